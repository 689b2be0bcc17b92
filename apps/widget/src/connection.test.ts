import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type ConnectionOptions, WidgetConnection } from './connection.ts';
import { type KeyValueStore, memoryStore } from './storage.ts';
import { ChatStore } from './store.ts';
import { FakeWidgetServer, message } from './test-support.ts';

/** Runs due timers and lets queued socket events (microtasks) through. */
const tick = (ms = 0) => vi.advanceTimersByTimeAsync(ms);

function setup(
  options: Partial<ConnectionOptions> & { storage?: KeyValueStore; server?: FakeWidgetServer } = {},
) {
  const server = options.server ?? new FakeWidgetServer();
  const store = new ChatStore(options.storage ?? memoryStore(), 'zhike:test');
  let n = 0;
  const connection = new WidgetConnection({
    url: () => 'ws://zhike.test/api/v1/widget/ws?inbox=t&visitorToken=v',
    openSocket: server.factory,
    store,
    random: () => 1,
    newClientMessageId: () => `cid-${++n}`,
    ...options,
  });
  const statuses: string[] = [];
  connection.onStatus((s) => statuses.push(s));
  return { server, store, connection, statuses };
}

const texts = (store: ChatStore) =>
  store
    .entries()
    .map((e) => (e.kind === 'message' ? e.message.text : `${e.pending.text} (${e.pending.status})`));

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('WidgetConnection', () => {
  it('syncs from the last seen message once the server is ready', async () => {
    const { server, store, connection, statuses } = setup();
    const seen = message({ text: 'from the session bootstrap' });
    store.merge([seen]);
    server.stored.push(seen);
    const missed = server.reply({ text: 'sent between bootstrap and socket' });
    connection.start();
    await tick();
    expect(server.last.sent[0]).toEqual({ type: 'sync', after: seen.id });
    expect(statuses).toEqual(['connecting', 'online']);
    expect(texts(store)).toEqual([seen.text, missed.text]);
    connection.stop();
  });

  it('reports the visitor’s place in line, and that the wait is over', async () => {
    const { server, connection } = setup();
    const places: [number | null, number | null][] = [];
    connection.onQueue((position, minutes) => places.push([position, minutes]));
    connection.start();
    await tick();
    server.last.push({ type: 'queue', conversationId: 'c', position: 3, waitMinutes: 6 });
    server.last.push({ type: 'queue', conversationId: 'c', position: 1, waitMinutes: null });
    server.last.push({ type: 'queue', conversationId: 'c', position: null, waitMinutes: null });
    expect(places).toEqual([
      [3, 6],
      [1, null],
      [null, null],
    ]);
    connection.stop();
  });

  it('shows a sent message once: pending, then acknowledged', async () => {
    const { server, store, connection } = setup();
    connection.start();
    await tick();
    connection.send('我想退货');
    expect(texts(store)).toEqual(['我想退货 (sending)']);
    await tick();
    expect(texts(store)).toEqual(['我想退货']);
    expect(server.stored).toHaveLength(1);
    expect(store.entries()[0]?.key).toBe('cid-1');
    connection.stop();
  });

  it('resends an unacknowledged message after a reconnect with the same clientMessageId, without duplicates', async () => {
    const { server, store, connection } = setup();
    connection.start();
    await tick();
    server.ackSends = false; // the server stores it, but the ack is lost with the link
    connection.send('订单什么时候发货？');
    server.last.sever();
    server.ackSends = true;
    expect(texts(store)).toEqual(['订单什么时候发货？ (sending)']);

    await tick(1000); // first backoff step with random() = 1
    const second = server.last;
    expect(server.sockets).toHaveLength(2);
    expect(second.sent).toEqual([
      { type: 'sync', after: null },
      { type: 'send', clientMessageId: 'cid-1', text: '订单什么时候发货？' },
    ]);
    await tick();
    expect(server.stored).toHaveLength(1);
    expect(texts(store)).toEqual(['订单什么时候发货？']);
    connection.stop();
  });

  it('delivers a message that never reached the server once the link is back', async () => {
    const { server, store, connection } = setup();
    connection.start();
    await tick();
    server.dropIncoming = true;
    connection.send('hello?');
    server.last.sever();
    server.dropIncoming = false;
    const reply = server.reply({ text: 'missed while offline', author: 'agent', authorName: '小王' });
    await tick(1000);
    await tick();
    expect(server.stored.map((m) => m.text)).toEqual(['missed while offline', 'hello?']);
    expect(texts(store)).toEqual([reply.text, 'hello?']);
    connection.stop();
  });

  it('resends the persisted outbox after a page reload', async () => {
    const storage = memoryStore();
    const server = new FakeWidgetServer();
    const before = setup({ storage, server, newClientMessageId: () => 'cid-persisted' });
    before.connection.start();
    server.dropIncoming = true;
    await tick();
    before.connection.send('sent just before the reload');
    before.connection.stop();
    server.dropIncoming = false;

    const after = setup({ storage, server });
    expect(texts(after.store)).toEqual(['sent just before the reload (sending)']);
    after.connection.start();
    await tick();
    await tick();
    expect(server.last.sent[1]).toEqual({
      type: 'send',
      clientMessageId: 'cid-persisted',
      text: 'sent just before the reload',
    });
    expect(texts(after.store)).toEqual(['sent just before the reload']);
    after.connection.stop();
  });

  it('backs off exponentially up to the cap, and resets after a successful connect', async () => {
    const server = new FakeWidgetServer({ autoAccept: false });
    const { connection, statuses } = setup({ server, backoffBaseMs: 1000, backoffMaxMs: 8000 });
    connection.start();
    const gaps: number[] = [];
    for (let i = 0; i < 6; i += 1) {
      const count = server.sockets.length;
      server.last.close();
      let waited = 0;
      while (server.sockets.length === count) {
        await tick(100);
        waited += 100;
      }
      gaps.push(waited);
    }
    expect(gaps).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
    expect(statuses).toEqual(['connecting', 'offline']);

    server.last.accept();
    await tick();
    server.last.close();
    await tick(1000);
    expect(server.sockets).toHaveLength(8);
    connection.stop();
  });

  it('jitters the wait between half and all of the backoff step', async () => {
    const server = new FakeWidgetServer({ autoAccept: false });
    const { connection } = setup({ server, random: () => 0 });
    connection.start();
    server.last.close();
    await tick(499);
    expect(server.sockets).toHaveLength(1);
    await tick(1);
    expect(server.sockets).toHaveLength(2);
    connection.stop();
  });

  it('skips the backoff when the network comes back', async () => {
    const server = new FakeWidgetServer({ autoAccept: false });
    const { connection } = setup({ server });
    connection.start();
    server.last.close();
    connection.reconnectNow();
    expect(server.sockets).toHaveLength(2);
    connection.reconnectNow(); // an attempt is already under way
    expect(server.sockets).toHaveLength(2);
    connection.stop();
  });

  it('pings to keep alive and replaces a socket whose pong never comes', async () => {
    const { server, connection, statuses } = setup({ pingIntervalMs: 25_000, livenessTimeoutMs: 10_000 });
    connection.start();
    await tick();
    await tick(25_000);
    expect(server.last.sent.at(-1)).toEqual({ type: 'ping' });
    expect(server.sockets).toHaveLength(1);

    server.answerPings = false;
    await tick(25_000);
    await tick(10_000);
    expect(server.sockets[0]?.closed).toBe(true);
    expect(statuses.at(-1)).toBe('offline');
    server.answerPings = true;
    await tick(1000);
    expect(server.sockets).toHaveLength(2);
    expect(statuses.at(-1)).toBe('online');
    connection.stop();
  });

  it('gives up on a socket that never says ready', async () => {
    const server = new FakeWidgetServer({ autoAccept: false });
    const { connection } = setup({ server, livenessTimeoutMs: 5000 });
    connection.start();
    const first = server.last;
    first.openTransport(); // but never greeted
    await tick(5000);
    expect(first.closed).toBe(true);
    connection.stop();
  });

  it('gives up on a handshake that hangs', async () => {
    const server = new FakeWidgetServer({ autoAccept: false });
    const { connection } = setup({ server, livenessTimeoutMs: 5000 });
    connection.start();
    await tick(4999);
    expect(server.last.closed).toBe(false);
    await tick(1);
    expect(server.sockets[0]?.closed).toBe(true);
    await tick(1000);
    expect(server.sockets).toHaveLength(2);
    connection.stop();
  });

  it('marks a rejected message failed and retries it with the same clientMessageId', async () => {
    const { server, store, connection } = setup();
    connection.start();
    await tick();
    server.dropIncoming = true;
    const cid = connection.send('spam?');
    server.last.push({ type: 'error', code: 'rate_limited', detail: 'slow down', clientMessageId: cid });
    expect(texts(store)).toEqual(['spam? (failed)']);

    server.dropIncoming = false;
    connection.retry(cid);
    await tick();
    expect(server.last.sent.filter((f) => f.type === 'send')).toEqual([
      { type: 'send', clientMessageId: cid, text: 'spam?' },
      { type: 'send', clientMessageId: cid, text: 'spam?' },
    ]);
    expect(texts(store)).toEqual(['spam?']);
    connection.stop();
  });

  it('marks a send failed at once on an error frame, with a retry only when the code is retryable', async () => {
    const { server, store, connection } = setup({ ackTimeoutMs: 10_000 });
    connection.start();
    await tick();
    server.dropIncoming = true;
    const tooLong = connection.send('x'.repeat(10));
    const unlucky = connection.send('hello');
    server.last.push({
      type: 'error',
      code: 'validation_failed',
      detail: 'too long',
      clientMessageId: tooLong,
    });
    server.last.push({ type: 'error', code: 'internal', detail: 'oops', clientMessageId: unlucky });
    const pending = store.entries().flatMap((e) => (e.kind === 'pending' ? [e.pending] : []));
    expect(pending.map((p) => [p.status, p.error, p.retryable])).toEqual([
      ['failed', 'validation_failed', false],
      ['failed', 'internal', true],
    ]);
    expect(store.retry(tooLong)).toBeNull();
    // No ack timeout fires later for either: the socket stays up.
    await tick(30_000);
    expect(server.sockets).toHaveLength(1);
    connection.stop();
  });

  it('pages through a capped sync until the server says there is no more', async () => {
    const server = new FakeWidgetServer();
    server.syncLimit = 2;
    for (let i = 0; i < 5; i++) server.stored.push(message({ text: `m${i}` }));
    const { store, connection } = setup({ server });
    connection.start();
    await tick();
    expect(texts(store)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
    expect(server.last.sent.filter((f) => f.type === 'sync')).toHaveLength(3);
    connection.stop();
  });

  it('starts a new session on 4401 and reconnects with the new token, keeping the outbox', async () => {
    let token = 'old';
    const server = new FakeWidgetServer();
    const renewals: string[] = [];
    const { store, connection, statuses } = setup({
      server,
      url: () => `ws://zhike.test/api/v1/widget/ws?inbox=t&visitorToken=${token}`,
      renewSession: async () => {
        renewals.push(token);
        token = 'new';
      },
    });
    server.autoAccept = false;
    connection.start();
    connection.send('还在吗');
    server.last.closeWith(4401);
    server.autoAccept = true;
    await tick();
    expect(renewals).toEqual(['old']);
    expect(server.sockets).toHaveLength(2);
    expect(server.last.url).toContain('visitorToken=new');
    expect(server.last.sent.filter((f) => f.type === 'send').map((f) => f.type === 'send' && f.text)).toEqual(
      ['还在吗'],
    );
    expect(texts(store)).toEqual(['还在吗']);
    expect(statuses.at(-1)).toBe('online');
    connection.stop();
  });

  it('stops retrying and reports blocked when the origin is not allowed (4403)', async () => {
    const { server, connection, statuses } = setup();
    server.autoAccept = false;
    connection.start();
    server.last.closeWith(4403);
    await tick(60_000);
    expect(server.sockets).toHaveLength(1);
    expect(statuses.at(-1)).toBe('blocked');
    connection.reconnectNow();
    expect(server.sockets).toHaveLength(1);
  });

  it('reconnects when an ack does not come, and shows the message failed after repeated timeouts', async () => {
    const { server, store, connection } = setup({ ackTimeoutMs: 10_000, maxSendAttempts: 2 });
    connection.start();
    await tick();
    server.ackSends = false;
    connection.send('anyone?');
    await tick(10_000);
    expect(server.sockets[0]?.closed).toBe(true);
    await tick(1000);
    expect(server.sockets).toHaveLength(2);
    expect(server.last.sent.some((f) => f.type === 'send')).toBe(true);
    // the sync's history already contains the stored message, so it is settled — no failure, no duplicate
    expect(texts(store)).toEqual(['anyone?']);

    server.dropIncoming = true;
    connection.send('lost');
    await tick(10_000);
    await tick(1000);
    await tick(10_000);
    expect(texts(store)).toEqual(['anyone?', 'lost (failed)']);
    connection.stop();
  });

  it('counts live bot and agent replies as unread until read', async () => {
    const { server, store, connection } = setup();
    connection.start();
    await tick();
    server.reply({ text: '您好，请问有什么可以帮您？' });
    server.reply({ text: '我是客服小王', author: 'agent', authorName: '小王' });
    expect(store.unreadCount()).toBe(2);
    store.markRead();
    expect(store.unreadCount()).toBe(0);
    connection.stop();
  });

  it('ignores frames that are not JSON or not frames', async () => {
    const { server, store, connection } = setup();
    connection.start();
    await tick();
    server.last.pushRaw('not json');
    server.last.pushRaw('null');
    server.last.pushRaw(JSON.stringify({ type: 'message', message: { nope: true } }));
    expect(store.entries()).toEqual([]);
    connection.stop();
  });
});
