// The API channel's fast path, `Prefer: respond-async`: 202 once the message is durably held, stored
// later by the intake drain under the id the answer promised, each sender's messages in order; a held
// message survives the process, waits (with its sender's later ones) when it cannot be stored yet, and a
// full intake turns senders away with 503 + Retry-After, keeping nothing. On both backends.
import type { Clock, Message, ReceiveCustomerMessageInput } from '@zhike/core';
import { type Backend, createTestDatabase, testBackends } from '@zhike/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIntakeDrain } from './channels/intakeDrain.ts';
import { createTestApp, type TestApp } from './testing.ts';

const ASYNC = { prefer: 'respond-async' };

describe.each(testBackends)('inbound with Prefer: respond-async on %s', (backend: Backend) => {
  let t: TestApp;
  let key: string;
  let workspaceId: string;
  beforeAll(async () => {
    // Nothing runs by itself: the test drains when it wants to look at what was held.
    t = await createTestApp(backend, { startWorker: false });
    key = await t.apiKey();
    workspaceId = await t.demoWorkspaceId();
  });
  afterAll(async () => t?.close());

  const send = (customer: string, text: string, messageId: string, headers: Record<string, string> = ASYNC) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/inbound',
      headers: { authorization: `Bearer ${key}`, ...headers },
      payload: { customer: { externalId: customer }, text, messageId },
    });

  const messagesOf = async (customer: string): Promise<Message[]> => {
    const store = t.app.zhike.db.forWorkspace(workspaceId);
    const found = await store.customers.findByIdentity('external', customer);
    if (!found) return [];
    const out: Message[] = [];
    for (const c of await store.conversations.list({ limit: 50 }))
      if (c.customerId === found.id) out.push(...(await store.messages.list(c.id, { limit: 200 })));
    return out.filter((m) => m.author === 'customer');
  };

  it('answers 202 once held; the drain stores every sender’s messages in order under the promised ids', async () => {
    const senders = Array.from({ length: 12 }, (_, i) => `held-${i}`);
    const promised = new Map<string, string>();
    // Senders write side by side, each one message after another (so acceptance order is known).
    await Promise.all(
      senders.map(async (s) => {
        for (let n = 0; n < 15; n++) {
          const res = await send(s, `${s} 第${n}条`, `${s}-${n}`);
          expect(res.statusCode, res.body).toBe(202);
          expect(res.headers['preference-applied']).toBe('respond-async');
          const body = res.json() as { messageId: string; duplicate: boolean; status: string };
          expect(body).toMatchObject({ duplicate: false, status: 'held' });
          promised.set(`${s}-${n}`, body.messageId);
        }
      }),
    );
    // A resend before the drain ran is the held message.
    const again = await send('held-3', 'held-3 第4条', 'held-3-4');
    expect(again.statusCode).toBe(202);
    expect(again.json()).toMatchObject({
      messageId: promised.get('held-3-4'),
      duplicate: true,
      status: 'held',
    });

    // Held, not stored: nothing in any conversation yet, all of it in the intake.
    expect(await messagesOf('held-0')).toEqual([]);
    expect((await t.app.zhike.db.intake.depth()).held).toBe(180);
    expect(t.app.zhike.intake.held()).toBe(180);
    const metrics = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/^zhike_inbound_held_messages 180$/m);

    expect(await t.app.zhike.intake.drainNow()).toBe(180);
    for (const s of senders) {
      const stored = await messagesOf(s);
      expect(stored.map((m) => m.text)).toEqual(Array.from({ length: 15 }, (_, n) => `${s} 第${n}条`));
      expect(stored.map((m) => m.id)).toEqual(
        Array.from({ length: 15 }, (_, n) => promised.get(`${s}-${n}`)),
      );
    }
    expect((await t.app.zhike.db.intake.depth()).held).toBe(0);

    // A resend after it was stored answers with its conversation; so does the same message sent
    // without the header.
    const stored = (await messagesOf('held-5'))[2] as Message;
    const late = await send('held-5', 'held-5 第2条', 'held-5-2');
    expect(late.json()).toEqual({
      messageId: stored.id,
      conversationId: stored.conversationId,
      duplicate: true,
      status: 'stored',
    });
    const plain = await send('held-5', 'held-5 第2条', 'held-5-2', {});
    expect(plain.statusCode).toBe(200);
    expect(plain.json()).toEqual({
      messageId: stored.id,
      conversationId: stored.conversationId,
      duplicate: true,
    });
    expect(await messagesOf('held-5')).toHaveLength(15);
  }, 120_000);

  it('a message that cannot be stored yet waits with its sender’s later ones; others go on', async () => {
    // A moment ahead of the messages below, which are due as soon as they are held.
    let now = Date.now() + 60_000;
    const clock: Clock = { now: () => new Date(now) };
    let failing = true;
    const { commands } = t.app.zhike;
    const drain = createIntakeDrain({
      db: t.app.zhike.db,
      clock,
      log: t.app.zhike.log,
      owner: 'flaky-drain',
      commands: {
        async receiveCustomerMessage(ws: string, input: ReceiveCustomerMessageInput) {
          if (failing && input.text === 'stuck 1') throw new Error('the customer key store is away');
          return commands.receiveCustomerMessage(ws, input);
        },
      },
    });
    // The app's drain gives its lease up (it drained above), so this one can take it.
    await t.app.zhike.intake.stop();
    for (const [customer, text, id] of [
      ['stuck', 'stuck 1', 's1'],
      ['other', 'other 1', 'o1'],
      ['stuck', 'stuck 2', 's2'],
    ] as const)
      expect((await send(customer, text, id)).statusCode).toBe(202);

    expect(await drain.drainNow()).toBe(1);
    expect((await messagesOf('other')).map((m) => m.text)).toEqual(['other 1']);
    expect(await messagesOf('stuck')).toEqual([]);
    // Both of the sender's messages wait for the retry; nothing was dropped.
    expect((await t.app.zhike.db.intake.depth()).held).toBe(2);
    expect(await drain.drainNow()).toBe(0);

    failing = false;
    now += 10 * 60_000;
    expect(await drain.drainNow()).toBe(2);
    expect((await messagesOf('stuck')).map((m) => m.text)).toEqual(['stuck 1', 'stuck 2']);
    await drain.stop();
  });

  it('is sealed at rest: the held row does not carry the customer’s words in clear', async () => {
    expect(t.config.masterKeys.length).toBeGreaterThan(0);
    expect((await send('sealed', '我的手机号是13800138000', 'sealed-1')).statusCode).toBe(202);
    const [row] = await t.app.zhike.db.intake.due(new Date(Date.now() + 1000).toISOString(), 10);
    expect(row?.payload).toBeDefined();
    expect(row?.payload).not.toContain('13800138000');
    expect(row?.payload).not.toContain('sealed');
    expect(await t.app.zhike.intake.drainNow()).toBe(1);
  });
});

describe.each(testBackends)('held API messages across processes on %s', (backend: Backend) => {
  it('a message held by a process that went down is stored by the next one', async () => {
    const database = await createTestDatabase(backend);
    const first = await createTestApp(backend, { startWorker: false, database });
    const key = await first.apiKey();
    const workspaceId = await first.demoWorkspaceId();
    const res = await first.app.inject({
      method: 'POST',
      url: '/api/v1/inbound',
      headers: { authorization: `Bearer ${key}`, ...ASYNC },
      payload: { customer: { externalId: 'survivor' }, text: '还在吗？', messageId: 'survivor-1' },
    });
    expect(res.statusCode).toBe(202);
    const { messageId } = res.json() as { messageId: string };
    await first.close();

    // The next process drains by itself once started.
    const second = await createTestApp(backend, { database });
    try {
      const store = second.app.zhike.db.forWorkspace(workspaceId);
      let stored: Message | null = null;
      for (let i = 0; i < 200 && !stored; i++) {
        stored = await store.messages.get(messageId);
        if (!stored) await new Promise((r) => setTimeout(r, 50));
      }
      expect(stored?.text).toBe('还在吗？');
    } finally {
      await second.close();
      await database.drop();
    }
  }, 60_000);

  it('a full intake answers 503 with Retry-After and keeps nothing', async () => {
    const t = await createTestApp(backend, { startWorker: false, env: { ZHIKE_INBOUND_HELD_LIMIT: '3' } });
    try {
      const key = await t.apiKey();
      const post = (i: number) =>
        t.app.inject({
          method: 'POST',
          url: '/api/v1/inbound',
          headers: { authorization: `Bearer ${key}`, ...ASYNC },
          payload: { customer: { externalId: 'busy' }, text: `第${i}条`, messageId: `busy-${i}` },
        });
      for (let i = 0; i < 3; i++) expect((await post(i)).statusCode).toBe(202);
      const full = await post(3);
      expect(full.statusCode).toBe(503);
      expect(Number(full.headers['retry-after'])).toBeGreaterThan(0);
      expect((await t.app.zhike.db.intake.depth()).held).toBe(3);
      // Once stored, room again.
      expect(await t.app.zhike.intake.drainNow()).toBe(3);
      expect((await post(3)).statusCode).toBe(202);
    } finally {
      await t.close();
    }
  });
});
