import type { ConsoleServerFrame, Conversation } from '@zhike/contracts';
import { describe, expect, it } from 'vitest';
import {
  type AlertContext,
  alertFor,
  DEFAULT_NOTIFY_SETTINGS,
  loadNotifySettings,
  saveNotifySettings,
} from './notifications.ts';

const conversation = (id: string, assignee: string | null, status: Conversation['status'] = 'open') =>
  ({
    type: 'conversation.updated',
    conversation: {
      id,
      status,
      assignee: assignee ? { id: assignee, name: assignee } : null,
      customer: { id: 'cust', name: '王女士', externalId: null },
    },
  }) as unknown as ConsoleServerFrame;

const offer = (userId: string, conversationId = 'c9'): ConsoleServerFrame => ({
  type: 'offer',
  offer: {
    id: `o-${conversationId}`,
    conversationId,
    userId,
    queueId: null,
    expiresAt: '2026-11-26T03:00:00Z',
  },
});

const context = (init: Partial<AlertContext> = {}): AlertContext => ({
  userId: 'me',
  mine: new Set(),
  openConversationId: null,
  focused: true,
  ...init,
});

describe('new work alerts', () => {
  it('alerts once when a conversation becomes mine, and again only after it left me', () => {
    const ctx = context();
    expect(alertFor(conversation('c1', null), ctx)).toBeNull();
    expect(alertFor(conversation('c1', 'me'), ctx)).toEqual({
      kind: 'assigned',
      conversationId: 'c1',
      tag: 'assigned-c1',
      customerName: '王女士',
    });
    // More updates of a conversation already mine (new messages) are not news.
    expect(alertFor(conversation('c1', 'me'), ctx)).toBeNull();
    expect(alertFor(conversation('c1', 'someone'), ctx)).toBeNull();
    expect(alertFor(conversation('c1', 'me'), ctx)?.kind).toBe('assigned');
  });

  it('stays quiet about what I already had and what I am looking at', () => {
    expect(alertFor(conversation('c2', 'me'), context({ mine: new Set(['c2']) }))).toBeNull();
    expect(alertFor(conversation('c3', 'me'), context({ openConversationId: 'c3' }))).toBeNull();
    // Open but in a window without focus (another app in front): that is when an alert matters.
    expect(
      alertFor(conversation('c4', 'me'), context({ openConversationId: 'c4', focused: false })),
    ).not.toBeNull();
    expect(alertFor(conversation('c5', 'me', 'resolved'), context())).toBeNull();
    expect(alertFor(conversation('c6', 'other'), context())).toBeNull();
  });

  it('alerts for my offers only', () => {
    expect(alertFor(offer('me'), context())).toMatchObject({
      kind: 'offer',
      conversationId: 'c9',
      tag: 'offer-o-c9',
    });
    expect(alertFor(offer('other'), context())).toBeNull();
    expect(alertFor({ type: 'agent.status', userId: 'me', status: 'online' }, context())).toBeNull();
  });

  it('keeps settings per user, and survives a broken stored value', () => {
    const store = new Map<string, string>();
    const storage = {
      getItem: (k: string) => store.get(k) ?? null,
      setItem: (k: string, v: string) => void store.set(k, v),
    };
    expect(loadNotifySettings(storage, 'me')).toEqual(DEFAULT_NOTIFY_SETTINGS);
    saveNotifySettings(storage, 'me', { desktop: true, sound: false });
    expect(loadNotifySettings(storage, 'me')).toEqual({ desktop: true, sound: false });
    expect(loadNotifySettings(storage, 'you')).toEqual(DEFAULT_NOTIFY_SETTINGS);
    store.set('zhike.notify.me', '{not json');
    expect(loadNotifySettings(storage, 'me')).toEqual(DEFAULT_NOTIFY_SETTINGS);
  });
});
