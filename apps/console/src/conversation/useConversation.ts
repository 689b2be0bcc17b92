// One conversation's header state (status, assignee…) with its actions, kept live from the feed.
import type { Conversation, ConversationStatus } from '@zhike/contracts';
import { useCallback, useEffect, useState } from 'react';
import { ApiError } from '../api/problem.ts';
import { useConsoleFrames, useFeedStatus } from '../realtime/RealtimeContext.tsx';
import { useSignedIn } from '../session/SessionContext.tsx';
import { useNotifyError } from '../ui/useNotifyError.ts';

type Phase = 'loading' | 'ready' | 'notFound';

const newer = (a: Conversation | null, b: Conversation): Conversation =>
  a && Date.parse(a.updatedAt) > Date.parse(b.updatedAt) ? a : b;

export function useConversation(
  id: string,
  initial: Conversation | null,
  onChanged: (c: Conversation) => void,
) {
  const { api } = useSignedIn();
  const notifyError = useNotifyError();
  const { generation } = useFeedStatus();
  const [conversation, setConversation] = useState<Conversation | null>(initial);
  const [phase, setPhase] = useState<Phase>(initial ? 'ready' : 'loading');
  const [busy, setBusy] = useState<'assign' | 'status' | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: generation is a deliberate reload trigger
  useEffect(() => {
    const controller = new AbortController();
    api.getConversation(id, controller.signal).then(
      (c) => {
        setConversation((prev) => newer(prev, c));
        setPhase('ready');
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        if (error instanceof ApiError && error.status === 404) setPhase('notFound');
        else notifyError(error);
      },
    );
    return () => controller.abort();
  }, [api, id, notifyError, generation]);

  useConsoleFrames((frame) => {
    if (frame.type === 'conversation.updated' && frame.conversation.id === id) {
      setConversation((prev) => newer(prev, frame.conversation));
      setPhase('ready');
    }
  });

  const apply = useCallback(
    (c: Conversation) => {
      setConversation((prev) => newer(prev, c));
      onChanged(c);
    },
    [onChanged],
  );

  /** Runs one conversation action, marks it busy meanwhile, and reports failures as a toast. */
  const act = useCallback(
    async (kind: 'assign' | 'status', call: () => Promise<Conversation>): Promise<boolean> => {
      setBusy(kind);
      try {
        apply(await call());
        return true;
      } catch (error) {
        notifyError(error);
        return false;
      } finally {
        setBusy(null);
      }
    },
    [apply, notifyError],
  );

  const assign = useCallback(
    (assigneeId: string | null) => act('assign', () => api.assign(id, { assigneeId })),
    [act, api, id],
  );
  const setStatus = useCallback(
    (status: ConversationStatus) => act('status', () => api.setStatus(id, { status })),
    [act, api, id],
  );

  return { conversation, phase, busy, assign, setStatus };
}
