// Pure merge of a conversation's messages from history pages, send responses and live frames.
import type { Message } from '@zhike/contracts';

function compareMessages(a: Message, b: Message): number {
  const ta = Date.parse(a.createdAt);
  const tb = Date.parse(b.createdAt);
  return ta - tb || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * The newer of two copies of one message. Only its delivery changes after it is stored, and copies reach
 * the console out of order: a history page read before the worker recorded the send, or the
 * `message.created` frame (which never carries a delivery) landing after the `message.updated` one. The
 * copy whose delivery moved last wins, so the status shown never goes back to an older one or to none.
 */
function newerCopy(current: Message, incoming: Message): Message {
  const was = current.delivery;
  const now = incoming.delivery;
  if (!was || (now && now.updatedAt >= was.updatedAt)) return incoming;
  return { ...incoming, delivery: was };
}

/** Oldest first, one entry per id: the POST response and its realtime echo show up once. */
export function mergeMessages(current: readonly Message[], incoming: readonly Message[]): Message[] {
  const byId = new Map(current.map((m) => [m.id, m]));
  for (const m of incoming) {
    const known = byId.get(m.id);
    byId.set(m.id, known ? newerCopy(known, m) : m);
  }
  return [...byId.values()].sort(compareMessages);
}

export type MessagesState = {
  readonly conversationId: string;
  readonly messages: readonly Message[];
  readonly hasEarlier: boolean;
  readonly phase: 'loading' | 'loadingEarlier' | 'idle' | 'error';
};

export type MessagesAction =
  | { type: 'loaded'; messages: readonly Message[]; hasEarlier: boolean }
  | { type: 'loadEarlier' }
  | { type: 'earlierLoaded'; messages: readonly Message[]; hasEarlier: boolean }
  | { type: 'failed' }
  | { type: 'received'; message: Message };

export function initialMessagesState(conversationId: string): MessagesState {
  return { conversationId, messages: [], hasEarlier: false, phase: 'loading' };
}

export function messagesReducer(state: MessagesState, action: MessagesAction): MessagesState {
  switch (action.type) {
    case 'loaded':
      // Live messages that arrived while the first page was in flight are kept.
      return {
        ...state,
        messages: mergeMessages(state.messages, action.messages),
        hasEarlier: action.hasEarlier,
        phase: 'idle',
      };
    case 'loadEarlier':
      return { ...state, phase: 'loadingEarlier' };
    case 'earlierLoaded':
      return {
        ...state,
        messages: mergeMessages(state.messages, action.messages),
        hasEarlier: action.hasEarlier,
        phase: 'idle',
      };
    case 'failed':
      return { ...state, phase: 'error' };
    case 'received':
      if (action.message.conversationId !== state.conversationId) return state;
      return { ...state, messages: mergeMessages(state.messages, [action.message]) };
  }
}
