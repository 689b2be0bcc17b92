// Issue 6 acceptance for human queues, through the real app and its durable worker with a controlled
// clock, on SQLite and PostgreSQL: a VIP's complaint jumps ahead of earlier normal conversations; an agent
// at capacity gets no new assignment; an unanswered offer moves to the next agent after the 30 s timeout
// (and supervisors hear of it). Then two dispatchers racing on one database never exceed a capacity.
import { type DomainEvent, dispatchQueue } from '@zhike/core';
import { type Backend, testBackends } from '@zhike/db';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../apps/server/src/auth/secrets.ts';
import { createTestApp, type TestApp, type TestSession } from '../../apps/server/src/testing.ts';

function manualClock(start = Date.now()) {
  let now = start;
  return {
    now: () => new Date(now),
    advance(ms: number) {
      now += ms;
    },
  };
}

describe.each(testBackends)('queues on %s', (backend: Backend) => {
  let t: TestApp;
  let key: string;
  let owner: TestSession;
  let workspaceId: string;
  const clock = manualClock();
  const agents: Record<'a' | 'b', { id: string; session: TestSession }> = {} as never;
  const events: DomainEvent[] = [];
  let seq = 0;
  const inject = (options: InjectOptions) => t.app.inject(options);
  const bearer = () => ({ authorization: `Bearer ${key}` });

  /** Runs every due job (bot turns, dispatch, expiries) until none is left. */
  async function drain() {
    for (let round = 0; round < 50; round++) if ((await t.app.zhike.worker.runDue()) === 0) return;
    throw new Error('jobs kept coming');
  }
  const store = () => t.app.zhike.db.forWorkspace(workspaceId);
  const pendingOffers = async () => (await store().offers.pending()).map((o) => [o.userId, o.conversationId]);

  async function say(externalId: string, text: string): Promise<string> {
    const res = await inject({
      method: 'POST',
      url: '/api/v1/inbound',
      headers: bearer(),
      payload: { customer: { externalId }, text, messageId: `q-${++seq}` },
    });
    expect(res.statusCode).toBe(200);
    await drain();
    return res.json().conversationId as string;
  }

  beforeAll(async () => {
    t = await createTestApp(backend, { clock, startWorker: false });
    key = await t.apiKey();
    owner = await t.login();
    workspaceId = await t.demoWorkspaceId();
    t.app.zhike.bus.subscribe((e) => {
      events.push(e);
    });
    await t.app.zhike.bot.warm(workspaceId, 'zh-CN');
    for (const letter of ['a', 'b'] as const) {
      const id = t.app.zhike.newId();
      const email = `agent-${letter}@queues.test`;
      await t.app.zhike.db.directory.addUser({
        id,
        workspaceId,
        email,
        name: `坐席${letter.toUpperCase()}`,
        role: 'agent',
        createdAt: clock.now().toISOString(),
        passwordHash: await hashPassword('agent password 1'),
      });
      agents[letter] = { id, session: await t.login(email, 'agent password 1') };
    }
  }, 60_000);
  afterAll(async () => t?.close());

  it('offers a VIP’s complaint before earlier normal conversations', async () => {
    const normal: string[] = [];
    for (const n of [1, 2, 3]) {
      normal.push(await say(`normal-${n}`, '转人工'));
      clock.advance(1_000);
    }
    // A known VIP (member level and spend from the shop's CRM) complains last.
    const vip = t.app.zhike.newId();
    await store().customers.create({
      id: vip,
      name: null,
      email: null,
      phone: null,
      identity: { kind: 'external', value: 'vip-1', verified: true, source: 'api' },
      createdAt: clock.now().toISOString(),
    });
    const profile = await inject({
      method: 'PUT',
      url: `/api/v1/customers/${vip}/profile`,
      headers: bearer(),
      payload: { memberLevel: '金卡', lifetimeSpendFen: 120_000, orderCount: 8, tags: [] },
    });
    expect(profile.statusCode).toBe(200);
    const complaint = await say('vip-1', '你们的产品质量太差了，我要投诉！');

    const line = (await inject({ url: '/api/v1/queues/waiting', headers: { cookie: owner.cookie } })).json()
      .waiting as { conversationId: string; priority: string; position: number }[];
    expect(line.map((w) => w.conversationId)).toEqual([complaint, ...normal]);
    expect(line[0]?.priority).toBe('urgent');
    // Nobody online yet: nothing offered, and the customers were told their place.
    expect(await pendingOffers()).toEqual([]);
    const told = (
      await inject({ url: `/api/v1/conversations/${normal[2]}/messages`, headers: bearer() })
    ).json().messages as { author: string; text: string }[];
    expect(told.at(-1)).toMatchObject({ author: 'system', text: expect.stringContaining('第 3 位') });

    // Agent A comes online with room for one: the complaint is offered first.
    const a = agents.a.session;
    const capacity = await inject({
      method: 'PATCH',
      url: `/api/v1/agents/${agents.a.id}`,
      headers: owner.headers,
      payload: { capacity: 1 },
    });
    expect(capacity.statusCode).toBe(200);
    const status = await inject({
      method: 'PUT',
      url: '/api/v1/agents/me/status',
      headers: a.headers,
      payload: { status: 'online' },
    });
    expect(status.json()).toMatchObject({ status: 'online', available: true, capacity: 1 });
    await drain();
    expect(await pendingOffers()).toEqual([[agents.a.id, complaint]]);
    const offered = events.find((e) => e.name === 'conversation.offered');
    expect(offered).toMatchObject({ conversationId: complaint, userId: agents.a.id });
  });

  it('gives an agent at capacity no new conversation, and the next one when a slot frees up', async () => {
    const a = agents.a.session;
    const [offer] = (await inject({ url: '/api/v1/offers', headers: { cookie: a.cookie } })).json()
      .offers as {
      id: string;
      conversationId: string;
      offeredAt: string;
      expiresAt: string;
    }[];
    expect(Date.parse(offer!.expiresAt) - Date.parse(offer!.offeredAt)).toBe(30_000);
    clock.advance(5_000); // picked up in 5 s
    const accepted = await inject({
      method: 'POST',
      url: `/api/v1/offers/${offer!.id}/accept`,
      headers: a.headers,
    });
    expect(accepted.json()).toEqual({ conversationId: offer!.conversationId });
    await drain();
    const held = await store().conversations.get(offer!.conversationId);
    expect(held).toMatchObject({ assigneeId: agents.a.id, waitingSince: null });
    // At capacity (1 held): three conversations wait and none is offered to A.
    expect(await pendingOffers()).toEqual([]);
    expect((await store().queueWaits.waiting()).length).toBe(3);
    const list = (await inject({ url: '/api/v1/agents', headers: { cookie: owner.cookie } })).json()
      .agents as {
      userId: string;
      load: number;
    }[];
    expect(list.find((x) => x.userId === agents.a.id)?.load).toBe(1);
    // Resolving it frees the slot: the earliest normal conversation is offered next.
    const resolved = await inject({
      method: 'POST',
      url: `/api/v1/conversations/${offer!.conversationId}/status`,
      headers: a.headers,
      payload: { status: 'resolved' },
    });
    expect(resolved.statusCode).toBeLessThan(300);
    await drain();
    const line = (await inject({ url: '/api/v1/queues/waiting', headers: { cookie: owner.cookie } })).json()
      .waiting as { conversationId: string }[];
    expect(await pendingOffers()).toEqual([[agents.a.id, line[0]?.conversationId]]);
  });

  it('moves an unanswered offer to the next agent after 30 s and alerts supervisors', async () => {
    const [first] = await store().offers.pending();
    const b = agents.b.session;
    await inject({
      method: 'PUT',
      url: '/api/v1/agents/me/status',
      headers: b.headers,
      payload: { status: 'online' },
    });
    await drain();
    // B took one of the others meanwhile; A's offer is still A's.
    expect((await store().offers.pendingFor(first!.conversationId))?.userId).toBe(agents.a.id);
    clock.advance(29_000);
    await drain();
    expect((await store().offers.get(first!.id))?.status).toBe('pending');
    clock.advance(1_500);
    await drain();
    expect((await store().offers.get(first!.id))?.status).toBe('expired');
    const next = await store().offers.pendingFor(first!.conversationId);
    expect(next?.userId).toBe(agents.b.id);
    // B's own offers lapsed too (nobody answered them): each missed pickup is its own alert.
    expect(
      events.filter((e) => e.name === 'queue.pickup_missed' && e.conversationId === first!.conversationId),
    ).toEqual([expect.objectContaining({ userId: agents.a.id, offerId: first!.id })]);
    // Agents see a note on the conversation; the customer does not.
    const notes = (
      await inject({ url: `/api/v1/conversations/${first!.conversationId}/messages`, headers: bearer() })
    ).json().messages as { author: string; text: string }[];
    expect(notes.at(-1)?.text).toContain('未在 30 秒内接起');
  });

  it('two dispatchers racing on one database never offer past an agent’s capacity', async () => {
    // On PostgreSQL a second app on the same database (another process, its own pool) races the first;
    // SQLite has one writer (one connection per process), so there the race is within one app.
    const other =
      backend === 'postgres'
        ? await createTestApp(backend, { clock, startWorker: false, database: t.database })
        : null;
    try {
      for (const n of [4, 5, 6, 7, 8, 9]) await say(`race-${n}`, '转人工');
      for (let round = 0; round < 5; round++) {
        const deps = (app: TestApp) => ({
          store: app.app.zhike.db.forWorkspace(workspaceId),
          clock,
          newId: app.app.zhike.newId,
        });
        await Promise.all([dispatchQueue(deps(t)), dispatchQueue(deps(other ?? t)), dispatchQueue(deps(t))]);
        const held = await store().agents.heldCounts();
        const pending = await store().offers.pending();
        for (const [agent, capacity] of [
          [agents.a.id, 1],
          [agents.b.id, 3],
        ] as const) {
          const load = (held.get(agent) ?? 0) + pending.filter((o) => o.userId === agent).length;
          expect(load).toBeLessThanOrEqual(capacity);
        }
        // One outstanding offer per conversation at most.
        expect(new Set(pending.map((o) => o.conversationId)).size).toBe(pending.length);
      }
    } finally {
      await other?.close();
    }
  });
});
