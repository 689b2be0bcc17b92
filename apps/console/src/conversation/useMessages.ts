// A conversation's messages: history pages, live frames and sending, merged without duplicates.
import type { Message } from '@zhike/contracts';
import { useCallback, useEffect, useReducer, useRef } from 'react';
import { initialMessagesState, messagesReducer } from '../realtime/messages.ts';
import { useConsoleFrames, useFeedStatus } from '../realtime/RealtimeContext.tsx';
import { useSignedIn } from '../session/SessionContext.tsx';
import { useNotifyError } from '../ui/useNotifyError.ts';

const PAGE_SIZE = 50;

export function useMessages(conversationId: string) {
  const { api } = useSignedIn();
  const notifyError = useNotifyError();
  const { generation } = useFeedStatus();
  const [state, dispatch] = useReducer(messagesReducer, conversationId, initialMessagesState);
  const stateRef = useRef(state);
  stateRef.current = state;

  // biome-ignore lint/correctness/useExhaustiveDependencies: generation is a deliberate reload trigger
  useEffect(() => {
    const controller = new AbortController();
    api.listMessages(conversationId, { limit: PAGE_SIZE }, controller.signal).then(
      ({ messages, hasMore }) => dispatch({ type: 'loaded', messages, hasEarlier: hasMore }),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        dispatch({ type: 'failed' });
        notifyError(error);
      },
    );
    return () => controller.abort();
  }, [api, conversationId, notifyError, generation]);

  useConsoleFrames((frame) => {
    // An update (a reply's delivery status) replaces the message of the same id.
    if (frame.type === 'message.created' || frame.type === 'message.updated')
      dispatch({ type: 'received', message: frame.message });
  });

  const loadEarlier = useCallback(() => {
    const oldest = stateRef.current.messages[0];
    if (!oldest || stateRef.current.phase !== 'idle') return;
    dispatch({ type: 'loadEarlier' });
    api.listMessages(conversationId, { before: oldest.id, limit: PAGE_SIZE }).then(
      ({ messages, hasMore }) => dispatch({ type: 'earlierLoaded', messages, hasEarlier: hasMore }),
      (error: unknown) => {
        dispatch({ type: 'earlierLoaded', messages: [], hasEarlier: true });
        notifyError(error);
      },
    );
  }, [api, conversationId, notifyError]);

  /** Resolves with the stored message (null on failure); the same clientMessageId makes a retry safe. */
  const send = useCallback(
    async (text: string, clientMessageId: string): Promise<Message | null> => {
      try {
        const message = await api.sendMessage(conversationId, { text, clientMessageId });
        dispatch({ type: 'received', message });
        return message;
      } catch (error) {
        notifyError(error);
        return null;
      }
    },
    [api, conversationId, notifyError],
  );

  return { ...state, loadEarlier, send };
}
