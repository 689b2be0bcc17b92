// Inbox list state: loads pages for the current filter and keeps them live from the console feed.
import type { Conversation } from '@zhike/contracts';
import { useCallback, useEffect, useReducer, useRef } from 'react';
import {
  type ConversationListState,
  conversationListReducer,
  hasConversation,
  initialListState,
  type ListFilter,
} from '../realtime/conversationList.ts';
import { useConsoleFrames, useFeedStatus } from '../realtime/RealtimeContext.tsx';
import { useSignedIn } from '../session/SessionContext.tsx';
import { useNotifyError } from '../ui/useNotifyError.ts';

const PAGE_SIZE = 30;

export type ConversationListHandle = ConversationListState & {
  loadMore: () => void;
  /** Applies a change the user just made, before its realtime echo arrives. */
  applyLocal: (conversation: Conversation) => void;
};

export function useConversationList(filter: ListFilter): ConversationListHandle {
  const { api, session } = useSignedIn();
  const notifyError = useNotifyError();
  const { generation } = useFeedStatus();
  const [state, dispatch] = useReducer(conversationListReducer, initialListState(filter, session.user.id));
  const stateRef = useRef(state);
  stateRef.current = state;
  const inFlight = useRef<AbortController | null>(null);
  const fetchingUnknown = useRef(new Set<string>());

  const fetchPage = useCallback(
    (f: ListFilter, cursor: string | null) => {
      inFlight.current?.abort();
      const controller = new AbortController();
      inFlight.current = controller;
      const query = {
        assignee: f.assignee === 'mine' ? ('me' as const) : f.assignee,
        status: f.status,
        limit: PAGE_SIZE,
        ...(cursor ? { cursor } : {}),
      };
      api.listConversations(query, controller.signal).then(
        (page) => {
          if (controller.signal.aborted) return;
          dispatch({
            type: 'loaded',
            conversations: page.conversations,
            nextCursor: page.nextCursor,
            append: !!cursor,
          });
        },
        (error: unknown) => {
          if (controller.signal.aborted) return;
          dispatch({ type: 'failed' });
          notifyError(error);
        },
      );
    },
    [api, notifyError],
  );

  // A new filter starts from scratch; a reconnect (which may have missed frames) refreshes in place.
  const loadedFilter = useRef<ListFilter | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: generation is a deliberate reload trigger
  useEffect(() => {
    dispatch(loadedFilter.current === filter ? { type: 'refresh' } : { type: 'load', filter });
    loadedFilter.current = filter;
    fetchPage(filter, null);
    return () => inFlight.current?.abort();
  }, [filter, fetchPage, generation]);

  useConsoleFrames((frame) => {
    dispatch({ type: 'frame', frame });
    if (frame.type !== 'message.created') return;
    const id = frame.conversationId;
    if (hasConversation(stateRef.current.items, id) || fetchingUnknown.current.has(id)) return;
    // A message for a conversation we do not hold yet (e.g. a brand-new one): fetch it and let the
    // filter decide whether it belongs here.
    fetchingUnknown.current.add(id);
    api
      .getConversation(id)
      .then(
        (conversation) => dispatch({ type: 'frame', frame: { type: 'conversation.updated', conversation } }),
        () => {},
      )
      .finally(() => fetchingUnknown.current.delete(id));
  });

  const loadMore = useCallback(() => {
    const current = stateRef.current;
    if (!current.nextCursor || current.phase !== 'idle') return;
    dispatch({ type: 'loadMore' });
    fetchPage(current.filter, current.nextCursor);
  }, [fetchPage]);

  const applyLocal = useCallback((conversation: Conversation) => {
    dispatch({ type: 'frame', frame: { type: 'conversation.updated', conversation } });
  }, []);

  return { ...state, loadMore, applyLocal };
}
