// Issue 6's routing through the API channel on both backends: the demo shop's default rules (seeded from
// the retail template) send a VIP's complaint to `complaints` with band urgent and a record naming the
// rule, keep a routine question with the bot, and the rules, simulator, tiers and profile import APIs.
import { type Backend, testBackends } from '@zhike/db';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, eventually, type TestApp, type TestSession } from './testing.ts';

describe.each(testBackends)('routing on %s', (backend: Backend) => {
  let t: TestApp;
  let key: string;
  let owner: TestSession;
  let workspaceId: string;
  let seq = 0;
  const bearer = () => ({ authorization: `Bearer ${key}` });
  const inject = (options: InjectOptions) => t.app.inject(options);

  beforeAll(async () => {
    t = await createTestApp(backend);
    key = await t.apiKey();
    owner = await t.login();
    workspaceId = await t.demoWorkspaceId();
  });
  afterAll(async () => t?.close());

  /** A customer the shop knows before they write (as a CRM import would create them). */
  async function knownCustomer(externalId: string): Promise<string> {
    const id = t.app.zhike.newId();
    await t.app.zhike.db.forWorkspace(workspaceId).customers.create({
      id,
      name: null,
      email: null,
      phone: null,
      identity: { kind: 'external', value: externalId, verified: true, source: 'api' },
      createdAt: new Date().toISOString(),
    });
    return id;
  }

  async function say(externalId: string, text: string) {
    const res = await inject({
      method: 'POST',
      url: '/api/v1/inbound',
      headers: bearer(),
      payload: { customer: { externalId }, text, messageId: `r-${++seq}` },
    });
    expect(res.statusCode).toBe(200);
    const { conversationId, messageId } = res.json() as { conversationId: string; messageId: string };
    const replies = await eventually(async () => {
      const all = (
        await inject({ url: `/api/v1/conversations/${conversationId}/messages?limit=200`, headers: bearer() })
      ).json().messages as { id: string; author: string; text: string }[];
      const after = all.slice(all.findIndex((m) => m.id === messageId) + 1);
      return after.length > 0 ? after : undefined;
    }, 30_000);
    const conversation = (
      await inject({ url: `/api/v1/conversations/${conversationId}`, headers: bearer() })
    ).json() as {
      handedOff: boolean;
      priority: string;
      tags: string[];
      routing: {
        ruleId: string | null;
        ruleName: string | null;
        target: string;
        queueId: string | null;
        priority: string;
        priorityScore: number;
        inputs: Record<string, unknown>;
      } | null;
    };
    return { conversationId, replies, conversation };
  }

  /** The workspace's queue with this key (the template's queues, seeded with the demo shop). */
  const queueId = async (key: string) =>
    (await t.app.zhike.db.forWorkspace(workspaceId).queues.findByKey(key))?.id;

  it('seeds the retail template’s default rules on the bot’s first compile', async () => {
    await t.app.zhike.bot.warm(workspaceId, 'zh-CN');
    const res = await inject({ url: '/api/v1/routing/rules', headers: { cookie: owner.cookie } });
    expect(res.statusCode).toBe(200);
    const rules = res.json().rules as { name: string; origin: string; actions: { target: unknown } }[];
    expect(rules.length).toBeGreaterThanOrEqual(5);
    expect(rules.every((r) => r.origin === 'template')).toBe(true);
    expect(rules.map((r) => r.name)).toContain('VIP 客户投诉');
  });

  it('routes a VIP’s complaint to complaints with band urgent, and the record shows the rule', async () => {
    const customerId = await knownCustomer('vip-1');
    const profile = await inject({
      method: 'PUT',
      url: `/api/v1/customers/${customerId}/profile`,
      headers: bearer(),
      payload: { memberLevel: '金卡', lifetimeSpendFen: 120_000, orderCount: 8, tags: [] },
    });
    expect(profile.statusCode).toBe(200);
    expect(profile.json().tier).toBe('vip');
    const { replies, conversation } = await say('vip-1', '你们的产品质量太差了，我要投诉！');
    // People take over at once: the customer hears the hand-off notice and their place in line, not a bot answer.
    expect(replies.map((m) => m.author)).toEqual(['system', 'system']);
    expect(conversation.handedOff).toBe(true);
    expect(conversation.priority).toBe('urgent');
    expect(conversation.routing).toMatchObject({
      ruleName: 'VIP 客户投诉',
      target: 'queue',
      queueId: await queueId('complaints'),
      priority: 'urgent',
    });
    expect(conversation.routing?.ruleId).toEqual(expect.any(String));
    expect(conversation.routing?.inputs).toMatchObject({ tier: 'vip', channel: 'api' });
    expect(conversation.routing?.priorityScore).toBeGreaterThan(50);
    expect(conversation.tags).toContain('complaint');
  });

  it('keeps a routine question with the bot and records why', async () => {
    const { replies, conversation } = await say('regular-1', '你们发什么快递？');
    expect(replies.map((m) => m.author)).toEqual(['bot']);
    expect(conversation.handedOff).toBe(false);
    expect(conversation.routing).toMatchObject({ target: 'bot', ruleId: null, priority: 'normal' });
    expect(conversation.routing?.inputs.intent).toEqual(expect.stringMatching(/^faq:/));
  });

  it('a safety issue from a new customer is urgent and tells the supervisors', async () => {
    const { conversation } = await say('new-1', '充电器插上就冒烟了，差点起火');
    expect(conversation.routing).toMatchObject({ queueId: await queueId('complaints'), priority: 'urgent' });
    expect(conversation.routing?.inputs.urgencySignals).toContain('safety');
  });

  it('validates rules with problems that point at the field, and edits, reorders and deletes them', async () => {
    const headers = owner.headers;
    const bad = await inject({
      method: 'POST',
      url: '/api/v1/routing/rules',
      headers,
      payload: {
        name: 'notify nobody',
        enabled: true,
        conditions: [{ field: 'tier', values: ['vip'] }],
        actions: { target: null, priority: null, tags: [], notify: { userIds: [], supervisors: false } },
      },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors).toEqual([{ path: 'body/actions/notify', message: expect.any(String) }]);
    const unknownUser = await inject({
      method: 'POST',
      url: '/api/v1/routing/rules',
      headers,
      payload: {
        name: 'notify a stranger',
        enabled: true,
        conditions: [],
        actions: {
          target: null,
          priority: null,
          tags: [],
          notify: { userIds: ['0190a000-0000-7000-8000-000000000001'], supervisors: false },
        },
      },
    });
    expect(unknownUser.statusCode).toBe(400);
    expect(unknownUser.json().errors[0].path).toBe('body/actions/notify/userIds/0');
    const badShape = await inject({
      method: 'POST',
      url: '/api/v1/routing/rules',
      headers,
      payload: {
        name: 'x',
        enabled: true,
        conditions: [{ field: 'anger', op: 'gte', value: 3 }],
        actions: { target: { kind: 'bot' }, priority: null, tags: [], notify: null },
      },
    });
    expect(badShape.statusCode).toBe(400);

    const noQueue = await inject({
      method: 'POST',
      url: '/api/v1/routing/rules',
      headers,
      payload: {
        name: 'nowhere',
        enabled: true,
        conditions: [],
        actions: {
          target: { kind: 'queue', queueId: 'no-such-queue' },
          priority: null,
          tags: [],
          notify: null,
        },
      },
    });
    expect(noQueue.statusCode).toBe(400);
    expect(noQueue.json().errors[0].path).toBe('body/actions/target/queueId');
    const created = await inject({
      method: 'POST',
      url: '/api/v1/routing/rules',
      headers,
      payload: {
        name: '英文消息转综合客服',
        enabled: true,
        conditions: [{ field: 'language', values: ['en'] }],
        actions: {
          target: { kind: 'queue', queueId: 'general' },
          priority: 'high',
          tags: ['english'],
          notify: null,
        },
      },
    });
    expect(created.statusCode).toBe(201);
    const rule = created.json().rule as { id: string; position: number; origin: string };
    expect(rule.origin).toBe('owner');
    const list = async () =>
      (await inject({ url: '/api/v1/routing/rules', headers: { cookie: owner.cookie } })).json().rules as {
        id: string;
        name: string;
      }[];
    const before = await list();
    expect(before.at(-1)?.id).toBe(rule.id);
    const order = [rule.id, ...before.filter((r) => r.id !== rule.id).map((r) => r.id)];
    const reordered = await inject({
      method: 'PUT',
      url: '/api/v1/routing/rule-order',
      headers,
      payload: { ids: order },
    });
    expect(reordered.statusCode).toBe(200);
    expect((await list())[0]?.id).toBe(rule.id);
    const partial = await inject({
      method: 'PUT',
      url: '/api/v1/routing/rule-order',
      headers,
      payload: { ids: order.slice(1) },
    });
    expect(partial.statusCode).toBe(400);

    // The simulator shows the new first rule deciding for an English message.
    const sim = await inject({
      method: 'POST',
      url: '/api/v1/routing/simulate',
      headers,
      payload: { text: 'Where is my parcel? It has been a week.', tier: 'regular' },
    });
    expect(sim.statusCode).toBe(200);
    expect(sim.json().decision).toMatchObject({
      ruleId: rule.id,
      queueId: await queueId('general'),
      priority: 'high',
    });
    expect(sim.json().matched[0]).toEqual({ ruleId: rule.id, name: '英文消息转综合客服', matched: true });

    const edited = await inject({
      method: 'PUT',
      url: `/api/v1/routing/rules/${rule.id}`,
      headers,
      payload: {
        name: '英文消息',
        enabled: false,
        conditions: [{ field: 'language', values: ['en'] }],
        actions: { target: { kind: 'queue', queueId: 'general' }, priority: null, tags: [], notify: null },
      },
    });
    expect(edited.statusCode).toBe(200);
    expect(edited.json().rule).toMatchObject({ name: '英文消息', enabled: false });
    const removed = await inject({ method: 'DELETE', url: `/api/v1/routing/rules/${rule.id}`, headers });
    expect(removed.statusCode).toBe(204);
    const again = await inject({ method: 'DELETE', url: `/api/v1/routing/rules/${rule.id}`, headers });
    expect(again.statusCode).toBe(404);
    expect((await list()).some((r) => r.id === rule.id)).toBe(false);
  });

  it('agents may not read or change rules', async () => {
    const { hashPassword } = await import('./auth/secrets.ts');
    await t.app.zhike.db.directory.addUser({
      id: t.app.zhike.newId(),
      workspaceId,
      email: 'agent@routing.test',
      name: 'agent',
      role: 'agent',
      createdAt: new Date().toISOString(),
      passwordHash: await hashPassword('agent-password'),
    });
    const agent = await t.login('agent@routing.test', 'agent-password');
    expect(
      (await inject({ url: '/api/v1/routing/rules', headers: { cookie: agent.cookie } })).statusCode,
    ).toBe(403);
  });

  it('imports tiers from CSV: preview first, then commit; bulk API by external id', async () => {
    const a = await knownCustomer('csv-a');
    const b = await knownCustomer('csv-b');
    const csv = [
      'external_id,phone,email,member_level,lifetime_spend,order_count,tags',
      'csv-a,,,,6000.50,3,',
      'csv-b,,,银卡,12.00,1,wholesale|repeat',
      'csv-unknown,,,金卡,0,0,',
    ].join('\n');
    const post = (commit: boolean) =>
      inject({
        method: 'POST',
        url: `/api/v1/customers/profiles/import${commit ? '?commit=true' : ''}`,
        headers: { ...owner.headers, 'content-type': 'text/csv' },
        payload: csv,
      });
    const preview = await post(false);
    expect(preview.statusCode).toBe(200);
    expect(preview.json()).toMatchObject({
      committed: false,
      rows: 3,
      matched: 2,
      tiers: { vip: 1, regular: 1, new: 0 },
    });
    expect(preview.json().problems).toEqual([{ line: 4, message: expect.stringContaining('no customer') }]);
    const profileOf = async (id: string) =>
      (await inject({ url: `/api/v1/customers/${id}/profile`, headers: { cookie: owner.cookie } })).json();
    expect((await profileOf(a)).tier).toBe('new');
    const committed = await post(true);
    expect(committed.json().committed).toBe(true);
    expect(await profileOf(a)).toMatchObject({ tier: 'vip', lifetimeSpendFen: 600_050, orderCount: 3 });
    expect(await profileOf(b)).toMatchObject({
      tier: 'regular',
      memberLevel: '银卡',
      tags: ['wholesale', 'repeat'],
    });

    const broken = await inject({
      method: 'POST',
      url: '/api/v1/customers/profiles/import',
      headers: { ...owner.headers, 'content-type': 'text/csv' },
      payload: 'external_id,phone,email,member_level,lifetime_spend,order_count,tags\ncsv-a,,,,12.345,x,\n',
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().errors[0].path).toBe('line 2');

    const bulk = await inject({
      method: 'POST',
      url: '/api/v1/customers/profiles',
      headers: bearer(),
      payload: {
        profiles: [
          { externalId: 'csv-b', memberLevel: null, lifetimeSpendFen: 0, orderCount: 0, tags: ['VIP'] },
          { externalId: 'nobody', memberLevel: null, lifetimeSpendFen: 0, orderCount: 0, tags: [] },
        ],
      },
    });
    expect(bulk.statusCode).toBe(200);
    expect(bulk.json()).toEqual({ updated: 1, unmatched: [{ line: 2, reason: expect.any(String) }] });
    expect((await profileOf(b)).tier).toBe('vip');

    // Raising the VIP spend threshold re-tiers the customer it no longer covers.
    const tiers = (await inject({ url: '/api/v1/routing/tiers', headers: { cookie: owner.cookie } })).json();
    const raised = await inject({
      method: 'PUT',
      url: '/api/v1/routing/tiers',
      headers: owner.headers,
      payload: { ...tiers, vipSpendFen: 1_000_000 },
    });
    expect(raised.statusCode).toBe(200);
    expect((await profileOf(a)).tier).toBe('regular');
  });

  it('computes spend and order count from the orders table by phone', async () => {
    const id = t.app.zhike.newId();
    await t.app.zhike.db.forWorkspace(workspaceId).customers.create({
      id,
      name: null,
      email: null,
      phone: '13800138000',
      identity: { kind: 'phone', value: '+8613800138000', verified: true, source: 'sms' },
      createdAt: new Date().toISOString(),
    });
    const res = await inject({
      method: 'POST',
      url: '/api/v1/customers/profiles/from-orders',
      headers: owner.headers,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().customers).toBeGreaterThanOrEqual(1);
    const profile = (
      await inject({ url: `/api/v1/customers/${id}/profile`, headers: { cookie: owner.cookie } })
    ).json();
    // The demo shop's three orders on 13800138000: 158.00 + 89.00 + 299.00.
    expect(profile).toMatchObject({ lifetimeSpendFen: 54_600, orderCount: 3, tier: 'regular' });
  });
});
