// Bot analytics through the real app on both backends: real customer messages drive the demo bot
// (an answer, nonsense twice → hand-off, "转人工", an agent stepping in, a resolved chat), then the
// metrics, the clustered unanswered questions (masked), dismissing, permissions, tenancy and validation.
import { type Backend, testBackends } from '@zhike/db';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from './auth/secrets.ts';
import { createTestApp, eventually, type TestApp, type TestSession } from './testing.ts';

describe.each(testBackends)('bot analytics on %s', (backend: Backend) => {
  let t: TestApp;
  let key: string;
  let workspaceId: string;
  let owner: TestSession;
  const inject = (options: InjectOptions) => t.app.inject(options);
  let seq = 0;

  /** One customer message through the API channel; resolves once the bot's turn is stored. */
  async function say(customer: string, text: string) {
    const res = await inject({
      method: 'POST',
      url: '/api/v1/inbound',
      headers: { authorization: `Bearer ${key}` },
      payload: { customer: { externalId: customer }, text, messageId: `a-${++seq}` },
    });
    expect(res.statusCode).toBe(200);
    const { conversationId, messageId } = res.json() as { conversationId: string; messageId: string };
    const turns = t.app.zhike.db.forWorkspace(workspaceId).botTurns;
    await eventually(async () => {
      const all = await inject({
        url: `/api/v1/conversations/${conversationId}/messages?limit=200`,
        headers: { authorization: `Bearer ${key}` },
      });
      const messages = all.json().messages as { id: string }[];
      return messages.findIndex((m) => m.id === messageId) < messages.length - 1;
    }, 30_000);
    expect(turns).toBeDefined();
    return conversationId;
  }

  async function addUser(role: 'agent' | 'supervisor', email: string): Promise<TestSession> {
    await t.app.zhike.db.directory.addUser({
      id: t.app.zhike.newId(),
      workspaceId,
      email,
      name: role,
      role,
      createdAt: new Date().toISOString(),
      passwordHash: await hashPassword('role-password'),
    });
    return t.login(email, 'role-password');
  }

  const analytics = async (session: TestSession, query = '') =>
    inject({ url: `/api/v1/bot/analytics${query}`, headers: { cookie: session.cookie } });
  const unanswered = async (session: TestSession, query = '') =>
    inject({ url: `/api/v1/bot/unanswered${query}`, headers: { cookie: session.cookie } });

  /** Entries in the (verified) audit chain. */
  const auditCount = async () => {
    const verdict = await t.app.zhike.db.audit.verify();
    if (!verdict.ok) throw new Error(`audit chain broken: ${verdict.reason}`);
    return verdict.count;
  };

  let answeredThenAgent: string;
  let resolved: string;

  beforeAll(async () => {
    t = await createTestApp(backend);
    key = await t.apiKey();
    workspaceId = await t.demoWorkspaceId();
    owner = await t.login();
    // The bot's own analytics, without routing rules taking first messages away from it.
    await t.app.zhike.bot.warm(workspaceId, 'zh-CN');
    const routing = t.app.zhike.db.forWorkspace(workspaceId).routing;
    for (const rule of await routing.listRules()) await routing.deleteRule(rule.id);
    // A question the bot answers, then nonsense twice: a clarifying question, then a hand-off.
    await say('visitor-nonsense', '你们几点关门');
    await say('visitor-nonsense', '呜啦啦啦 biubiu');
    await say('visitor-nonsense', '咕噜咕噜');
    // Nonsense with an email in it, twice: its question must come back masked.
    await say('visitor-email', '叽里呱啦 wang.xiao@example.com');
    await say('visitor-email', '咕噜咕噜咕噜');
    // An explicit request for a human.
    await say('visitor-human', '转人工');
    // Answered, then an agent writes anyway: not contained.
    answeredThenAgent = await say('visitor-agent', '你们几点关门');
    const reply = await inject({
      method: 'POST',
      url: `/api/v1/conversations/${answeredThenAgent}/messages`,
      headers: owner.headers,
      payload: { text: '您好，还有什么可以帮您？' },
    });
    expect(reply.statusCode).toBeLessThan(300);
    // Answered and resolved: contained.
    resolved = await say('visitor-resolved', '你们几点关门');
    const status = await inject({
      method: 'POST',
      url: `/api/v1/conversations/${resolved}/status`,
      headers: owner.headers,
      payload: { status: 'resolved' },
    });
    expect(status.statusCode).toBe(200);
  }, 120_000);
  afterAll(async () => t?.close());

  it('counts the turns, hand-offs, containment and fallbacks of real conversations', async () => {
    const res = await analytics(owner);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    // Eight customer messages: three answered, 呜啦啦啦 clarified, 叽里呱啦 a fallback, then the second
    // nonsense of each of those two customers and 转人工 handed off.
    expect(body.turns).toBe(8);
    expect(body.outcomes).toEqual({
      answered: 3,
      clarified: 1,
      fallback: 1,
      handed_off: 3,
      form_step: 0,
      action: 0,
    });
    expect(body.fallbackRate).toBe(1 / 8);
    expect(body.handoffs).toBe(3);
    expect(body.handoffReasons).toEqual([
      { reason: 'fallback', count: 2 },
      { reason: 'customer_request', count: 1 },
    ]);
    expect(body.conversations).toEqual({ handled: 5, contained: 1, escalated: 4, ongoing: 0 });
    expect(body.containmentRate).toBeCloseTo(1 / 5, 10);
    expect(body.topAnswers).toHaveLength(1);
    expect(body.topAnswers[0].count).toBe(3);
    expect(body.topAnswers[0].label).toEqual(expect.any(String));
    expect(body.daily).toHaveLength(7);
    expect(body.daily.at(-1)).toEqual({
      day: body.range.to,
      turns: 8,
      conversations: 5,
      answered: 3,
      fallbacks: 1,
      handoffs: 3,
    });
    expect(body.range.timeZone).toBe('Asia/Shanghai');
  });

  it('lists the unanswered questions as clusters, with phone numbers masked', async () => {
    const res = await unanswered(owner);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.masked).toBe(true);
    expect(body.questions).toBe(4);
    const clusters = body.clusters as { representative: string; examples: string[]; count: number }[];
    const all = clusters.flatMap((c) => [c.representative, ...c.examples]).sort();
    expect(all).toEqual(
      ['呜啦啦啦 biubiu', '叽里呱啦 w********@example.com', '咕噜咕噜', '咕噜咕噜咕噜'].sort(),
    );
    expect(JSON.stringify(body)).not.toContain('wang.xiao');
    // The two 咕噜 lines are one question asked twice; the rest stand alone.
    expect(clusters.map((c) => c.count)).toEqual([2, 1, 1]);
    expect([clusters[0]!.representative, ...clusters[0]!.examples].sort()).toEqual([
      '咕噜咕噜',
      '咕噜咕噜咕噜',
    ]);
  });

  it('never shows or touches another workspace’s turns', async () => {
    const otherId = t.app.zhike.newId();
    const now = new Date().toISOString();
    await t.app.zhike.db.directory.seedWorkspace({
      workspace: { id: otherId, slug: `other-${backend}`, name: 'other', locale: 'zh-CN', createdAt: now },
      owner: {
        id: t.app.zhike.newId(),
        workspaceId: otherId,
        email: 'other-owner@test.zhike.local',
        name: 'other',
        role: 'owner',
        createdAt: now,
        passwordHash: await hashPassword('other-password'),
      },
      inboxes: [],
      faqs: [],
    });
    const other = await t.login('other-owner@test.zhike.local', 'other-password');
    const body = (await analytics(other)).json();
    expect(body.turns).toBe(0);
    expect(body.conversations.handled).toBe(0);
    expect(body.containmentRate).toBeNull();
    expect(body.fallbackRate).toBeNull();
    expect((await unanswered(other)).json().clusters).toEqual([]);
    // Another workspace's turn ids dismiss nothing.
    const mine = await t.app.zhike.db.forWorkspace(workspaceId).botTurns.unanswered(
      {
        days: [{ day: 'all', start: '2000-01-01T00:00:00.000Z', end: '2100-01-01T00:00:00.000Z' }],
        idleBefore: now,
      },
      10,
    );
    expect(mine.length).toBeGreaterThan(0);
    const res = await inject({
      method: 'POST',
      url: '/api/v1/bot/unanswered/dismiss',
      headers: other.headers,
      payload: { turnIds: mine.map((m) => m.id) },
    });
    expect(res.json()).toEqual({ dismissed: 0 });
    expect((await unanswered(owner)).json().questions).toBe(4);
  });

  it('reveals the questions to a user allowed to, and audits it', async () => {
    const audited = await auditCount();
    const res = await unanswered(owner, '?reveal=true');
    expect(res.statusCode).toBe(200);
    expect(JSON.stringify(res.json())).toContain('wang.xiao@example.com');
    expect(await auditCount()).toBe(audited + 1);
  });

  it('dismisses a cluster for good, audited; the metrics still count its turns', async () => {
    const before = (await unanswered(owner)).json().clusters as { turnIds: string[] }[];
    const ids = before.flatMap((c) => c.turnIds);
    const audited = await auditCount();
    const res = await inject({
      method: 'POST',
      url: '/api/v1/bot/unanswered/dismiss',
      headers: owner.headers,
      payload: { turnIds: ids },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ dismissed: ids.length });
    expect((await unanswered(owner)).json().clusters).toEqual([]);
    expect((await analytics(owner)).json().turns).toBe(8);
    const again = await inject({
      method: 'POST',
      url: '/api/v1/bot/unanswered/dismiss',
      headers: owner.headers,
      payload: { turnIds: ids },
    });
    expect(again.json()).toEqual({ dismissed: 0 });
    // Dismissing nothing (already dismissed, or not this workspace's) is not a change worth a record.
    expect(await auditCount()).toBe(audited + 1);
  });

  it('is for supervisors, admins and owners; agents and strangers are refused', async () => {
    const agent = await addUser('agent', 'agent-analytics@test.zhike.local');
    const supervisor = await addUser('supervisor', 'supervisor-analytics@test.zhike.local');
    expect((await analytics(agent)).statusCode).toBe(403);
    expect((await unanswered(agent)).statusCode).toBe(403);
    const dismiss = await inject({
      method: 'POST',
      url: '/api/v1/bot/unanswered/dismiss',
      headers: agent.headers,
      payload: { turnIds: [t.app.zhike.newId()] },
    });
    expect(dismiss.statusCode).toBe(403);
    expect((await analytics(supervisor)).statusCode).toBe(200);
    expect((await unanswered(supervisor)).statusCode).toBe(200);
    expect((await inject({ url: '/api/v1/bot/analytics' })).statusCode).toBe(401);
    // An API key acts for an integration, never for a person reading analytics.
    const byKey = await inject({ url: '/api/v1/bot/analytics', headers: { authorization: `Bearer ${key}` } });
    expect(byKey.statusCode).toBe(403);
  });

  it('counts no bot turn while the owner has the bot switched off', async () => {
    const store = t.app.zhike.db.forWorkspace(workspaceId);
    const at = new Date().toISOString();
    await store.setup.save({ botEnabled: false, completedAt: at }, at);
    try {
      await say('visitor-bot-off', '你们几点关门');
      expect((await analytics(owner)).json().turns).toBe(8);
    } finally {
      await store.setup.save({ botEnabled: true, completedAt: at }, at);
    }
  });

  it('validates the range and the body; never a 500', async () => {
    for (const query of [
      '?from=2026-13-01',
      '?from=2026-02-30',
      '?from=2026-11-10&to=2026-11-01',
      '?from=2020-01-01&to=2026-01-01',
      '?from=yesterday',
      '?bogus=1',
    ]) {
      const res = await analytics(owner, query);
      expect(res.statusCode, query).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    for (const query of ['?limit=0', '?limit=201', '?reveal=maybe', '?to=2026-1-1'])
      expect((await unanswered(owner, query)).statusCode, query).toBe(400);
    for (const payload of [{}, { turnIds: [] }, { turnIds: ['not-an-id'] }, { turnIds: 'x' }]) {
      const res = await inject({
        method: 'POST',
        url: '/api/v1/bot/unanswered/dismiss',
        headers: owner.headers,
        payload,
      });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
    }
    const one = await analytics(owner, '?from=2026-11-01&to=2026-11-01');
    expect(one.statusCode).toBe(200);
    expect(one.json().daily.map((d: { day: string }) => d.day)).toEqual(['2026-11-01']);
  });
});
