import type { Conversation, Message } from '@zhike/contracts';
import { describe, expect, it } from 'vitest';
import { reconnectDelay } from './backoff.ts';
import {
  applyMessage,
  type ConversationListState,
  conversationListReducer,
  initialListState,
  type ListFilter,
  matchesFilter,
  mergeConversations,
} from './conversationList.ts';
import { initialMessagesState, mergeMessages, messagesReducer } from './messages.ts';

const ME = '0190a000-0000-7000-8000-00000000000a';
const OTHER = '0190a000-0000-7000-8000-00000000000b';
const id = (n: number) => `0190a000-0000-7000-8000-${String(n).padStart(12, '0')}`;
const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 9, minute)).toISOString();

function conv(n: number, patch: Partial<Conversation> = {}): Conversation {
  return {
    id: id(n),
    inboxId: id(900),
    channel: 'widget',
    status: 'open',
    priority: 'normal',
    tags: [],
    assignee: null,
    customer: { id: id(500 + n), name: null, externalId: null },
    handedOff: false,
    routing: null,
    lastMessage: null,
    createdAt: at(n),
    updatedAt: at(n),
    ...patch,
  };
}

function msg(n: number, conversation: number, minute: number, patch: Partial<Message> = {}): Message {
  return {
    id: id(1000 + n),
    conversationId: id(conversation),
    author: 'customer',
    authorId: null,
    authorName: null,
    text: `m${n}`,
    attachments: [],
    createdAt: at(minute),
    ...patch,
  };
}

const openAll: ListFilter = { assignee: 'all', status: 'open' };
const ids = (s: { items: readonly Conversation[] }) => s.items.map((c) => c.id);

function loaded(
  filter: ListFilter,
  items: Conversation[],
  nextCursor: string | null = null,
): ConversationListState {
  return conversationListReducer(initialListState(filter, ME), {
    type: 'loaded',
    conversations: items,
    nextCursor,
    append: false,
  });
}

describe('conversation list', () => {
  it('orders by latest activity, newest first', () => {
    const s = loaded(openAll, [
      conv(1),
      conv(3),
      conv(2, { lastMessage: { author: 'customer', text: 'x', createdAt: at(9) } }),
    ]);
    expect(ids(s)).toEqual([id(2), id(3), id(1)]);
  });

  it('applies the assignee and status filters', () => {
    const mine = conv(1, { assignee: { id: ME, name: 'Me' } });
    const theirs = conv(2, { assignee: { id: OTHER, name: 'Li' } });
    const unassigned = conv(3);
    const resolved = conv(4, { status: 'resolved' });
    const all = [mine, theirs, unassigned, resolved];
    expect(all.filter((c) => matchesFilter(c, { assignee: 'mine', status: 'open' }, ME))).toEqual([mine]);
    expect(all.filter((c) => matchesFilter(c, { assignee: 'unassigned', status: 'open' }, ME))).toEqual([
      unassigned,
    ]);
    expect(all.filter((c) => matchesFilter(c, { assignee: 'all', status: 'resolved' }, ME))).toEqual([
      resolved,
    ]);
  });

  it('appends a page without duplicating rows a live update already added', () => {
    let s = loaded(openAll, [conv(5), conv(4)], 'c1');
    s = conversationListReducer(s, {
      type: 'frame',
      frame: { type: 'conversation.updated', conversation: conv(3) },
    });
    s = conversationListReducer(s, { type: 'loadMore' });
    expect(s.phase).toBe('loadingMore');
    s = conversationListReducer(s, {
      type: 'loaded',
      conversations: [conv(3), conv(2)],
      nextCursor: null,
      append: true,
    });
    expect(ids(s)).toEqual([id(5), id(4), id(3), id(2)]);
    expect(s.nextCursor).toBeNull();
    expect(s.phase).toBe('idle');
  });

  it('keeps a newer live copy when an older page arrives', () => {
    const live = conv(1, { updatedAt: at(30), priority: 'urgent' });
    let s = loaded(openAll, [live]);
    s = conversationListReducer(s, {
      type: 'loaded',
      conversations: [conv(1)],
      nextCursor: null,
      append: true,
    });
    expect(s.items[0]?.priority).toBe('urgent');
  });

  it('inserts a new conversation at the top and moves updated ones', () => {
    let s = loaded(openAll, [conv(2), conv(1)]);
    s = conversationListReducer(s, {
      type: 'frame',
      frame: { type: 'conversation.updated', conversation: conv(7, { updatedAt: at(40) }) },
    });
    expect(ids(s)).toEqual([id(7), id(2), id(1)]);
    s = conversationListReducer(s, {
      type: 'frame',
      frame: { type: 'conversation.updated', conversation: conv(1, { updatedAt: at(41), priority: 'high' }) },
    });
    expect(ids(s)).toEqual([id(1), id(7), id(2)]);
    expect(s.items).toHaveLength(3);
  });

  it('drops a conversation that no longer matches (resolved, or assigned to someone else)', () => {
    let s = loaded({ assignee: 'unassigned', status: 'open' }, [conv(2), conv(1)]);
    s = conversationListReducer(s, {
      type: 'frame',
      frame: {
        type: 'conversation.updated',
        conversation: conv(1, { updatedAt: at(50), status: 'resolved' }),
      },
    });
    s = conversationListReducer(s, {
      type: 'frame',
      frame: {
        type: 'conversation.updated',
        conversation: conv(2, { updatedAt: at(51), assignee: { id: OTHER, name: 'Li' } }),
      },
    });
    expect(s.items).toEqual([]);
  });

  it('ignores a stale update that arrives after a newer one', () => {
    let s = loaded(openAll, [conv(1, { updatedAt: at(20), status: 'open' })]);
    s = conversationListReducer(s, {
      type: 'frame',
      frame: {
        type: 'conversation.updated',
        conversation: conv(1, { updatedAt: at(10), status: 'resolved' }),
      },
    });
    expect(ids(s)).toEqual([id(1)]);
  });

  it('moves a conversation up and updates its preview when a message arrives', () => {
    let s = loaded(openAll, [conv(3), conv(2), conv(1)]);
    s = conversationListReducer(s, {
      type: 'frame',
      frame: { type: 'message.created', conversationId: id(1), message: msg(1, 1, 45) },
    });
    expect(ids(s)).toEqual([id(1), id(3), id(2)]);
    expect(s.items[0]?.lastMessage).toEqual({ author: 'customer', text: 'm1', createdAt: at(45) });
  });

  it('does not let an older message replace a newer preview', () => {
    const items = applyMessage(
      [conv(1, { lastMessage: { author: 'bot', text: 'new', createdAt: at(30) } })],
      msg(1, 1, 20),
    );
    expect(items[0]?.lastMessage?.text).toBe('new');
  });

  it('ignores frames for conversations it does not hold and pongs', () => {
    const s = loaded(openAll, [conv(1)]);
    const after = conversationListReducer(s, {
      type: 'frame',
      frame: { type: 'message.created', conversationId: id(9), message: msg(1, 9, 59) },
    });
    expect(ids(after)).toEqual([id(1)]);
    expect(conversationListReducer(s, { type: 'frame', frame: { type: 'pong' } })).toBe(s);
  });

  it('a new filter clears the list', () => {
    const s = conversationListReducer(loaded(openAll, [conv(1)], 'x'), {
      type: 'load',
      filter: { assignee: 'mine', status: 'pending' },
    });
    expect(s).toMatchObject({ items: [], nextCursor: null, phase: 'loading', filter: { assignee: 'mine' } });
  });

  it('a refresh after a reconnect keeps rows on screen, then replaces them with the fresh page', () => {
    let s = conversationListReducer(loaded(openAll, [conv(2), conv(1)]), { type: 'refresh' });
    expect(s).toMatchObject({ phase: 'refreshing' });
    expect(ids(s)).toEqual([id(2), id(1)]);
    s = conversationListReducer(s, {
      type: 'loaded',
      conversations: [conv(3), conv(2)],
      nextCursor: null,
      append: false,
    });
    expect(ids(s)).toEqual([id(3), id(2)]);
  });

  it('mergeConversations dedupes by id', () => {
    expect(mergeConversations([conv(1), conv(2)], [conv(2), conv(3)]).map((c) => c.id)).toEqual([
      id(3),
      id(2),
      id(1),
    ]);
  });
});

describe('messages', () => {
  it('shows a sent message once whether the response or the realtime echo comes first', () => {
    const sent = msg(2, 1, 11, { author: 'agent', authorName: 'Wang' });
    let s = messagesReducer(initialMessagesState(id(1)), {
      type: 'loaded',
      messages: [msg(1, 1, 10)],
      hasEarlier: false,
    });
    s = messagesReducer(s, { type: 'received', message: sent }); // echo
    s = messagesReducer(s, { type: 'received', message: sent }); // POST response
    expect(s.messages.map((m) => m.id)).toEqual([id(1001), id(1002)]);
  });

  it('keeps live messages that arrived before the first page, in time order', () => {
    let s = messagesReducer(initialMessagesState(id(1)), { type: 'received', message: msg(3, 1, 30) });
    s = messagesReducer(s, {
      type: 'loaded',
      messages: [msg(1, 1, 10), msg(2, 1, 20), msg(3, 1, 30)],
      hasEarlier: true,
    });
    expect(s.messages.map((m) => m.text)).toEqual(['m1', 'm2', 'm3']);
    expect(s).toMatchObject({ hasEarlier: true, phase: 'idle' });
  });

  it('prepends earlier pages and ignores other conversations', () => {
    let s = messagesReducer(initialMessagesState(id(1)), {
      type: 'loaded',
      messages: [msg(5, 1, 50)],
      hasEarlier: true,
    });
    s = messagesReducer(s, { type: 'loadEarlier' });
    s = messagesReducer(s, { type: 'earlierLoaded', messages: [msg(4, 1, 40)], hasEarlier: false });
    s = messagesReducer(s, { type: 'received', message: msg(6, 2, 55) });
    expect(s.messages.map((m) => m.text)).toEqual(['m4', 'm5']);
    expect(s.hasEarlier).toBe(false);
  });

  it('keeps a delivery status that arrived live when an older copy of the message comes after it', () => {
    const delivery = (status: 'queued' | 'sent' | 'delivered', minute: number) => ({
      status,
      error: null,
      parts: 1,
      passive: false,
      updatedAt: at(minute),
    });
    const bare = msg(2, 1, 11, { author: 'bot' });
    const sent = { ...bare, delivery: delivery('sent', 12) };
    // The status frame lands while the first page (read before the send) is in flight.
    let s = messagesReducer(initialMessagesState(id(1)), { type: 'received', message: sent });
    s = messagesReducer(s, { type: 'loaded', messages: [msg(1, 1, 10), bare], hasEarlier: false });
    expect(s.messages.at(-1)?.delivery?.status).toBe('sent');
    // The created frame, which carries no delivery, comes last.
    s = messagesReducer(s, { type: 'received', message: bare });
    expect(s.messages.at(-1)?.delivery?.status).toBe('sent');
    // A stale copy with an older status loses too; a newer one wins.
    s = messagesReducer(s, { type: 'received', message: { ...bare, delivery: delivery('queued', 11) } });
    expect(s.messages.at(-1)?.delivery?.status).toBe('sent');
    s = messagesReducer(s, { type: 'received', message: { ...bare, delivery: delivery('delivered', 13) } });
    expect(s.messages.at(-1)?.delivery?.status).toBe('delivered');
  });

  it('orders equal timestamps by id', () => {
    expect(mergeMessages([msg(2, 1, 10)], [msg(1, 1, 10)]).map((m) => m.text)).toEqual(['m1', 'm2']);
  });
});

describe('reconnect backoff', () => {
  it('grows exponentially, stays within [ceiling/2, ceiling], and caps at 30 s', () => {
    expect(reconnectDelay(0, () => 0)).toBe(250);
    expect(reconnectDelay(0, () => 1)).toBe(500);
    expect(reconnectDelay(3, () => 1)).toBe(4000);
    expect(reconnectDelay(20, () => 1)).toBe(30_000);
    expect(reconnectDelay(20, () => 0)).toBe(15_000);
  });
});
