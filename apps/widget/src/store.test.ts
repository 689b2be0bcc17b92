import { describe, expect, it } from 'vitest';
import { memoryStore } from './storage.ts';
import { ChatStore } from './store.ts';
import { message } from './test-support.ts';

const now = new Date('2025-01-01T08:00:00Z');

describe('ChatStore', () => {
  it('merges history and live messages in order, once each', () => {
    const store = new ChatStore(memoryStore(), 'zhike:t');
    const a = message({ text: 'a' });
    const b = message({ text: 'b', author: 'agent', authorName: '小王' });
    const c = message({ text: 'c' });
    expect(store.merge([a, c])).toEqual([a, c]);
    expect(store.merge([b, c, a])).toEqual([b]);
    expect(store.entries().map((e) => (e.kind === 'message' ? e.message.text : '?'))).toEqual([
      'a',
      'b',
      'c',
    ]);
    expect(store.lastMessageId()).toBe(c.id);
  });

  it('replaces a pending send with the acknowledged message under the same key', () => {
    const store = new ChatStore(memoryStore(), 'zhike:t');
    const pending = store.addPending('你好', 'cid-1', now);
    expect(store.entries()).toEqual([{ kind: 'pending', key: 'cid-1', pending }]);
    expect(store.unsent().map((p) => p.clientMessageId)).toEqual(['cid-1']);

    const stored = message({ text: '你好', author: 'customer', clientMessageId: 'cid-1' });
    store.ack('cid-1', stored);
    store.ack('cid-1', stored); // a duplicate ack after a resend
    expect(store.entries()).toEqual([{ kind: 'message', key: 'cid-1', message: stored }]);
    expect(store.unsent()).toEqual([]);
  });

  it('settles an outbox entry when its message arrives by sync even though the ack was lost', () => {
    const store = new ChatStore(memoryStore(), 'zhike:t');
    store.addPending('在吗', 'cid-2', now);
    store.merge([message({ text: '在吗', author: 'customer', clientMessageId: 'cid-2' })]);
    expect(store.unsent()).toEqual([]);
    expect(store.entries()).toHaveLength(1);
  });

  it('shows one message even if the same clientMessageId comes back under a second id', () => {
    const store = new ChatStore(memoryStore(), 'zhike:t');
    store.merge([message({ text: 'x', author: 'customer', clientMessageId: 'cid-3' })]);
    store.merge([message({ text: 'x', author: 'customer', clientMessageId: 'cid-3' })]);
    expect(store.entries()).toHaveLength(1);
  });

  it('persists the outbox so a reload still resends it, and forgets settled entries', () => {
    const storage = memoryStore();
    const first = new ChatStore(storage, 'zhike:t');
    first.addPending('one', 'cid-a', now);
    first.addPending('two', 'cid-b', now);
    first.fail('cid-b', 'rate_limited');

    const reloaded = new ChatStore(storage, 'zhike:t');
    expect(reloaded.unsent().map((p) => p.text)).toEqual(['one']);
    expect(reloaded.entries().map((e) => (e.kind === 'pending' ? e.pending.status : ''))).toEqual([
      'sending',
      'failed',
    ]);
    reloaded.merge([message({ text: 'one', author: 'customer', clientMessageId: 'cid-a' })]);
    expect(new ChatStore(storage, 'zhike:t').unsent()).toEqual([]);
  });

  it('puts a failed message back in the queue on retry', () => {
    const store = new ChatStore(memoryStore(), 'zhike:t');
    store.addPending('again', 'cid-r', now);
    store.fail('cid-r', 'internal');
    expect(store.unsent()).toEqual([]);
    expect(store.retry('cid-r')?.status).toBe('sending');
    expect(store.unsent().map((p) => p.clientMessageId)).toEqual(['cid-r']);
    expect(store.retry('unknown')).toBeNull();
  });

  it('keeps a message the server refused for good out of the retry queue, across reloads', () => {
    const storage = memoryStore();
    const store = new ChatStore(storage, 'zhike:t');
    store.addPending('x', 'cid-v', now);
    store.fail('cid-v', 'validation_failed', false);
    expect(store.retry('cid-v')).toBeNull();
    const reloaded = new ChatStore(storage, 'zhike:t');
    expect(reloaded.entries()).toMatchObject([
      { kind: 'pending', pending: { status: 'failed', retryable: false } },
    ]);
    // Entries saved before `retryable` existed stay retryable.
    storage.setItem(
      'zhike:t:outbox',
      JSON.stringify([{ clientMessageId: 'old', text: 'y', createdAt: now.toISOString(), status: 'failed' }]),
    );
    expect(new ChatStore(storage, 'zhike:t').retry('old')?.status).toBe('sending');
  });

  it('ignores a corrupt outbox in storage', () => {
    const storage = memoryStore();
    storage.setItem('zhike:t:outbox', '{not json');
    expect(new ChatStore(storage, 'zhike:t').entries()).toEqual([]);
    storage.setItem('zhike:t:outbox', JSON.stringify([{ text: 1 }, 'x']));
    expect(new ChatStore(storage, 'zhike:t').entries()).toEqual([]);
  });

  it('counts bot and agent messages after the read marker as unread, and remembers the marker', () => {
    const storage = memoryStore();
    const store = new ChatStore(storage, 'zhike:t');
    store.merge([message({ text: 'old', author: 'bot' })]);
    store.markReadIfUnset();
    expect(store.unreadCount()).toBe(0);

    store.merge([
      message({ text: 'mine', author: 'customer', clientMessageId: 'c' }),
      message({ text: 'bot', author: 'bot' }),
      message({ text: 'agent', author: 'agent', authorName: '小李' }),
      message({ text: 'sys', author: 'system' }),
    ]);
    expect(store.unreadCount()).toBe(2);

    const reloaded = new ChatStore(storage, 'zhike:t');
    reloaded.merge(store.entries().flatMap((e) => (e.kind === 'message' ? [e.message] : [])));
    reloaded.markReadIfUnset(); // the marker survived, so this must not clear the count
    expect(reloaded.unreadCount()).toBe(2);
    reloaded.markRead();
    expect(reloaded.unreadCount()).toBe(0);
  });

  it('notifies subscribers only on change', () => {
    const store = new ChatStore(memoryStore(), 'zhike:t');
    let calls = 0;
    store.subscribe(() => {
      calls += 1;
    });
    const m = message({ text: 'hi' });
    store.merge([m]);
    store.merge([m]);
    store.markRead();
    store.markRead();
    expect(calls).toBe(2);
  });
});
