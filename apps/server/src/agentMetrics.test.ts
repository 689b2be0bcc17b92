// Agent metrics through the real app and its worker with a controlled clock, on both backends: a
// customer asks for a human, the offer is accepted 20 s later, the first reply comes 60 s after the
// hand-off and the resolution 630 s after the assignment — the endpoint must report exactly that, plus
// the hour online. Then who may see whom, validation, and another workspace seeing nothing.
import { type Backend, testBackends } from '@zhike/db';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from './auth/secrets.ts';
import { createTestApp, type TestApp, type TestSession } from './testing.ts';

const START = Date.parse('2026-11-20T02:00:00.000Z'); // 10:00 in Shanghai, the default zone

function manualClock(start: number) {
  let now = start;
  return {
    now: () => new Date(now),
    advance(seconds: number) {
      now += seconds * 1000;
    },
  };
}

describe.each(testBackends)('agent metrics over HTTP on %s', (backend: Backend) => {
  let t: TestApp;
  let key: string;
  let owner: TestSession;
  let workspaceId: string;
  const clock = manualClock(START);
  const agents = {} as Record<'a' | 'b', { id: string; session: TestSession }>;
  const inject = (options: InjectOptions) => t.app.inject(options);
  const metrics = (session: TestSession, query = 'from=2026-11-20&to=2026-11-20') =>
    inject({ url: `/api/v1/metrics/agents?${query}`, headers: { cookie: session.cookie } });

  async function drain() {
    for (let round = 0; round < 50; round++) if ((await t.app.zhike.worker.runDue()) === 0) return;
    throw new Error('jobs kept coming');
  }

  beforeAll(async () => {
    t = await createTestApp(backend, { clock, startWorker: false });
    key = await t.apiKey();
    owner = await t.login();
    workspaceId = await t.demoWorkspaceId();
    await t.app.zhike.bot.warm(workspaceId, 'zh-CN');
    for (const letter of ['a', 'b'] as const) {
      const id = t.app.zhike.newId();
      const email = `agent-${letter}@metrics.test`;
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

    const a = agents.a.session;
    const online = await inject({
      method: 'PUT',
      url: '/api/v1/agents/me/status',
      headers: a.headers,
      payload: { status: 'online' },
    });
    expect(online.statusCode).toBe(200);
    clock.advance(60);
    const asked = await inject({
      method: 'POST',
      url: '/api/v1/inbound',
      headers: { authorization: `Bearer ${key}` },
      payload: { customer: { externalId: 'metrics-1' }, text: '转人工', messageId: 'm-1' },
    });
    expect(asked.statusCode).toBe(200);
    const conversationId = asked.json().conversationId as string;
    await drain(); // the bot hands off at +60 s and the dispatcher offers it to A
    clock.advance(20);
    const [offer] = (await inject({ url: '/api/v1/offers', headers: { cookie: a.cookie } })).json()
      .offers as { id: string; conversationId: string }[];
    expect(offer?.conversationId).toBe(conversationId);
    const accepted = await inject({
      method: 'POST',
      url: `/api/v1/offers/${offer!.id}/accept`,
      headers: a.headers,
    });
    expect(accepted.statusCode).toBe(200);
    clock.advance(40);
    const reply = await inject({
      method: 'POST',
      url: `/api/v1/conversations/${conversationId}/messages`,
      headers: a.headers,
      payload: { text: '您好，我是坐席A，这就帮您处理' },
    });
    expect(reply.statusCode).toBeLessThan(300);
    // 590 s, not 600: the auto-away job of the reply's activity (due at +720 s) must not be due yet.
    clock.advance(590);
    const resolved = await inject({
      method: 'POST',
      url: `/api/v1/conversations/${conversationId}/status`,
      headers: a.headers,
      payload: { status: 'resolved' },
    });
    expect(resolved.statusCode).toBe(200);
    await drain();
    await t.app.zhike.db
      .forWorkspace(workspaceId)
      .assist.rate(conversationId, { score: 5, comment: null, ratedAt: clock.now().toISOString() });
    clock.advance(3600 - 710); // an hour after A came online
  }, 60_000);
  afterAll(async () => t?.close());

  it('reports the scripted first response and handle times, and conversations per hour online', async () => {
    const res = await metrics(owner);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.range).toEqual({ from: '2026-11-20', to: '2026-11-20', timeZone: 'Asia/Shanghai' });
    expect(body.scope).toBe('everyone');
    const a = body.agents.find((x: { userId: string }) => x.userId === agents.a.id);
    expect(a).toMatchObject({
      name: '坐席A',
      firstResponseSeconds: 60,
      firstResponses: 1,
      handleSeconds: 630,
      handled: 1,
      onlineSeconds: 3600,
      handledPerOnlineHour: 1,
      csatAverage: 5,
      rated: 1,
      suggestionsShown: 0,
      suggestionAcceptance: null,
    });
    // B did nothing and is listed with zeros, not left out.
    expect(body.agents.find((x: { userId: string }) => x.userId === agents.b.id)).toMatchObject({
      handled: 0,
      firstResponseSeconds: null,
      handledPerOnlineHour: null,
    });
    expect(body.queues).toHaveLength(1);
    expect(body.queues[0]).toMatchObject({ firstResponseSeconds: 60, handleSeconds: 630, handled: 1 });
    expect(body.daily).toEqual([
      expect.objectContaining({ day: '2026-11-20', handled: 1, firstResponses: 1 }),
    ]);
    expect(body.totals).toMatchObject({ handled: 1, firstResponseSeconds: 60, handleSeconds: 630 });
  });

  it('shows an agent only their own figures', async () => {
    const own = (await metrics(agents.b.session)).json();
    expect(own.scope).toBe('self');
    expect(own.agents.map((x: { userId: string }) => x.userId)).toEqual([agents.b.id]);
    expect(own.queues).toEqual([]);
    expect(own.totals.handled).toBe(0);
    const a = (await metrics(agents.a.session)).json();
    expect(a.agents).toEqual([expect.objectContaining({ userId: agents.a.id, handled: 1 })]);
  });

  it('refuses bad ranges and strangers with problem+json', async () => {
    for (const query of ['from=2026-13-01', 'from=2026-11-21&to=2026-11-20', 'to=yesterday', 'agent=x']) {
      const res = await metrics(owner, query);
      expect(res.statusCode, query).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    const anonymous = await inject({ url: '/api/v1/metrics/agents' });
    expect(anonymous.statusCode).toBe(401);
    const withKey = await inject({
      url: '/api/v1/metrics/agents',
      headers: { authorization: `Bearer ${key}` },
    });
    expect(withKey.statusCode).toBeGreaterThanOrEqual(401);
    expect(withKey.statusCode).toBeLessThan(404);
  });

  it("gives another workspace none of this workspace's activity", async () => {
    const created = clock.now().toISOString();
    const otherId = t.app.zhike.newId();
    const ownerId = t.app.zhike.newId();
    await t.app.zhike.db.directory.seedWorkspace({
      workspace: { id: otherId, slug: 'metrics-other', name: 'other', locale: 'zh-CN', createdAt: created },
      owner: {
        id: ownerId,
        workspaceId: otherId,
        email: 'owner@metrics-other.test',
        name: 'other owner',
        role: 'owner',
        createdAt: created,
        passwordHash: await hashPassword('other password 1'),
      },
      inboxes: [],
      faqs: [],
    });
    const stranger = await t.login('owner@metrics-other.test', 'other password 1');
    const body = (await metrics(stranger)).json();
    expect(body.agents).toEqual([]);
    expect(body.queues).toEqual([]);
    expect(body.totals).toMatchObject({ handled: 0, firstResponses: 0, onlineSeconds: 0 });
  });
});
