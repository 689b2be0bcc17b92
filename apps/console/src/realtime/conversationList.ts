// Pure state for the inbox list: pages from the API and live frames merge into one ordered, deduplicated list.
import type { ConsoleServerFrame, Conversation, ConversationStatus, Message } from '@zhike/contracts';

export type AssigneeFilter = 'mine' | 'unassigned' | 'all';
export type ListFilter = { readonly assignee: AssigneeFilter; readonly status: ConversationStatus };

export type ConversationListState = {
  readonly filter: ListFilter;
  readonly meId: string;
  readonly items: readonly Conversation[];
  readonly nextCursor: string | null;
  /** `refreshing` reloads the first page while the current rows stay on screen. */
  readonly phase: 'loading' | 'refreshing' | 'loadingMore' | 'idle' | 'error';
};

export type ConversationListAction =
  | { type: 'load'; filter: ListFilter }
  | { type: 'refresh' }
  | { type: 'loadMore' }
  | { type: 'loaded'; conversations: readonly Conversation[]; nextCursor: string | null; append: boolean }
  | { type: 'failed' }
  | { type: 'frame'; frame: ConsoleServerFrame };

const time = (iso: string): number => {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? 0 : ms;
};

/** Most recent activity: the last message or any other change, whichever is later. */
export function activityAt(c: Conversation): number {
  return Math.max(time(c.updatedAt), c.lastMessage ? time(c.lastMessage.createdAt) : 0);
}

/** Newest activity first; ids (UUIDv7, time-ordered) break ties so the order is stable. */
export function compareConversations(a: Conversation, b: Conversation): number {
  return activityAt(b) - activityAt(a) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

export function matchesFilter(c: Conversation, filter: ListFilter, meId: string): boolean {
  if (c.status !== filter.status) return false;
  if (filter.assignee === 'mine') return c.assignee?.id === meId;
  if (filter.assignee === 'unassigned') return c.assignee === null;
  return true;
}

/** Keeps whichever copy changed last, so a slow page cannot undo a newer live update. */
function newer(a: Conversation, b: Conversation): Conversation {
  return time(b.updatedAt) >= time(a.updatedAt) ? b : a;
}

export function mergeConversations(
  current: readonly Conversation[],
  incoming: readonly Conversation[],
): Conversation[] {
  const byId = new Map(current.map((c) => [c.id, c]));
  for (const c of incoming) {
    const existing = byId.get(c.id);
    byId.set(c.id, existing ? newer(existing, c) : c);
  }
  return [...byId.values()].sort(compareConversations);
}

/** Inserts, replaces or removes one conversation depending on whether it still belongs to the filter. */
export function upsertConversation(
  items: readonly Conversation[],
  c: Conversation,
  filter: ListFilter,
  meId: string,
): Conversation[] {
  const existing = items.find((x) => x.id === c.id);
  const latest = existing ? newer(existing, c) : c;
  const rest = items.filter((x) => x.id !== c.id);
  if (!matchesFilter(latest, filter, meId)) return rest;
  return [...rest, latest].sort(compareConversations);
}

/** Moves a conversation to its new place after a message; unknown conversations are left to the caller. */
export function applyMessage(items: readonly Conversation[], message: Message): Conversation[] {
  return items
    .map((c) => {
      if (c.id !== message.conversationId) return c;
      const previous = c.lastMessage ? time(c.lastMessage.createdAt) : 0;
      if (time(message.createdAt) < previous) return c;
      return {
        ...c,
        lastMessage: { author: message.author, text: message.text, createdAt: message.createdAt },
      };
    })
    .sort(compareConversations);
}

export function hasConversation(items: readonly Conversation[], id: string): boolean {
  return items.some((c) => c.id === id);
}

export function initialListState(filter: ListFilter, meId: string): ConversationListState {
  return { filter, meId, items: [], nextCursor: null, phase: 'loading' };
}

export function conversationListReducer(
  state: ConversationListState,
  action: ConversationListAction,
): ConversationListState {
  switch (action.type) {
    case 'load':
      return { ...state, filter: action.filter, items: [], nextCursor: null, phase: 'loading' };
    case 'refresh':
      return { ...state, phase: 'refreshing' };
    case 'loadMore':
      return state.nextCursor ? { ...state, phase: 'loadingMore' } : state;
    case 'loaded': {
      // A page only holds what matched when it was served; live updates since then win.
      const page = action.conversations.filter((c) => matchesFilter(c, state.filter, state.meId));
      const items = action.append ? mergeConversations(state.items, page) : mergeConversations([], page);
      return { ...state, items, nextCursor: action.nextCursor, phase: 'idle' };
    }
    case 'failed':
      return { ...state, phase: 'error' };
    case 'frame': {
      const frame = action.frame;
      if (frame.type === 'conversation.updated') {
        return {
          ...state,
          items: upsertConversation(state.items, frame.conversation, state.filter, state.meId),
        };
      }
      if (frame.type === 'message.created') {
        return { ...state, items: applyMessage(state.items, frame.message) };
      }
      return state;
    }
  }
}
