// The open conversation's reply suggestions: loaded for its latest customer message, replaced by live
// `suggestions` frames, and the learning loop — which suggestion went into the reply box, and whether
// the reply the agent then sent kept it (accepted), changed it (edited) or used none (ignored).
import type { Message, Suggestion } from '@zhike/contracts';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useConsoleFrames, useFeedStatus } from '../realtime/RealtimeContext.tsx';
import { useSignedIn } from '../session/SessionContext.tsx';

export interface SuggestionsState {
  messageId: string | null;
  suggestions: Suggestion[];
  loading: boolean;
}

/**
 * Sent as suggested: whitespace aside, the same text — a `{{variable}}` the server fills on sending (the
 * customer's name) matches whatever it became.
 */
export function sentAsSuggested(suggested: string, sent: string): boolean {
  const squeeze = (text: string) => text.replace(/\s+/g, '');
  const pattern = squeeze(suggested)
    .split(/\{\{[\w.-]+\}\}/)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*?');
  return new RegExp(`^${pattern}$`, 's').test(squeeze(sent));
}

/**
 * Whether the suggestions shown (for `shown`) are for a later customer message than `incoming`'s. Message
 * ids are UUIDv7, ordered by time as text: a load that started before the customer's next message and
 * answers after its frame must not put the older suggestions back.
 */
export function newer(shown: string | null, incoming: string | null): boolean {
  return shown !== null && incoming !== null && shown > incoming;
}

export function useSuggestions(conversationId: string) {
  const { api } = useSignedIn();
  const { generation, status } = useFeedStatus();
  // Loaded again once the feed is live: a message that arrived while it was connecting sent its frame
  // to nobody.
  const live = status === 'live';
  const [state, setState] = useState<SuggestionsState>({ messageId: null, suggestions: [], loading: true });
  /** The suggestion last put into the reply box, for the customer message it answered. */
  const used = useRef<{ messageId: string; rank: number; text: string } | null>(null);
  /** Customer messages whose verdict was sent (one per message and agent). */
  const reported = useRef(new Set<string>());
  const current = useRef(state);
  current.current = state;

  // biome-ignore lint/correctness/useExhaustiveDependencies: generation and live are deliberate reload triggers
  useEffect(() => {
    const controller = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    api.conversationSuggestions(conversationId, controller.signal).then(
      (found) =>
        setState((s) =>
          newer(s.messageId, found.messageId)
            ? { ...s, loading: false }
            : { messageId: found.messageId, suggestions: found.suggestions, loading: false },
        ),
      () => {
        // Suggestions are a help, not the conversation: a failure leaves the panel empty, no alert.
        if (!controller.signal.aborted) setState({ messageId: null, suggestions: [], loading: false });
      },
    );
    return () => controller.abort();
  }, [api, conversationId, generation, live]);

  useConsoleFrames((frame) => {
    if (frame.type === 'suggestions' && frame.conversationId === conversationId)
      setState((s) =>
        newer(s.messageId, frame.messageId)
          ? s
          : { messageId: frame.messageId, suggestions: frame.suggestions, loading: false },
      );
  });

  /** Marks suggestion `rank` as put into the reply box; returns its text, or null if there is none. */
  const take = useCallback((rank: number): string | null => {
    const { messageId, suggestions } = current.current;
    const suggestion = suggestions.find((s) => s.rank === rank);
    if (!suggestion || !messageId) return null;
    used.current = { messageId, rank, text: suggestion.text };
    return suggestion.text;
  }, []);

  /** After the agent's reply was stored: records what they did with this message's suggestions. */
  const sent = useCallback(
    (reply: Message) => {
      const { messageId, suggestions } = current.current;
      if (!messageId || suggestions.length === 0 || reported.current.has(messageId)) return;
      reported.current.add(messageId);
      const pick = used.current?.messageId === messageId ? used.current : null;
      used.current = null;
      const body = pick
        ? {
            messageId,
            action: sentAsSuggested(pick.text, reply.text) ? ('accepted' as const) : ('edited' as const),
            rank: pick.rank,
            sentMessageId: reply.id,
          }
        : { messageId, action: 'ignored' as const };
      // The verdict feeds the learning loop; losing one is not worth bothering the agent about.
      api.suggestionFeedback(conversationId, body).catch(() => {});
    },
    [api, conversationId],
  );

  return { ...state, take, sent };
}
