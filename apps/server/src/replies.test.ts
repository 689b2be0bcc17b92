// Reply templates over HTTP on both backends: admins write them (checked against the bot's intents and
// variables, problems at their field), every agent lists, searches and previews them for a conversation
// with the order the customer gave the bot filled in; another workspace can neither see nor touch them.
import { FILLED_ON_SEND } from '@zhike/contracts/protocol';
import { createIdGenerator, PERSONAL_REPLY_VARIABLES, systemClock } from '@zhike/core';
import { type Backend, testBackends } from '@zhike/db';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from './auth/secrets.ts';
import { createTestApp, eventually, type TestApp, type TestSession } from './testing.ts';

const refund = {
  shortcut: '/TuiKuan',
  title: '退款时效（合规）',
  body: '您好 {{customer.name}}，订单 {{order.number}}（{{order.status}}）的退款已受理，{{shop.name}} 将在 1–3 个工作日内原路退回。',
  intents: ['refund_request'],
  compliance: true,
  locale: 'zh-CN',
};

interface TemplateView {
  id: string;
  shortcut: string;
  title: string;
  source: string | null;
  archivedAt: string | null;
}

it('the console knows which variables the server fills on send', () => {
  expect([...FILLED_ON_SEND]).toEqual([...PERSONAL_REPLY_VARIABLES]);
});

describe.each(testBackends)('reply templates over HTTP on %s', (backend: Backend) => {
  let t: TestApp;
  let owner: TestSession;
  let agent: TestSession;
  let other: TestSession;
  let workspaceId: string;
  const inject = (options: InjectOptions) => t.app.inject(options);
  const as = (session: TestSession, options: InjectOptions) =>
    inject({ ...options, headers: { ...session.headers, ...options.headers } });

  beforeAll(async () => {
    t = await createTestApp(backend);
    owner = await t.login();
    workspaceId = await t.demoWorkspaceId();
    const password = await hashPassword('role-password');
    await t.app.zhike.db.directory.addUser({
      id: t.app.zhike.newId(),
      workspaceId,
      email: 'agent@replies.test',
      name: '小李',
      role: 'agent',
      createdAt: new Date().toISOString(),
      passwordHash: password,
    });
    agent = await t.login('agent@replies.test', 'role-password');
    // A second shop with its own owner.
    const newId = createIdGenerator(systemClock);
    const otherId = newId();
    await t.app.zhike.db.directory.seedWorkspace({
      workspace: {
        id: otherId,
        slug: 'other-replies',
        name: 'Other',
        locale: 'zh-CN',
        createdAt: new Date().toISOString(),
      },
      owner: {
        id: newId(),
        workspaceId: otherId,
        email: 'owner@other-replies.test',
        name: 'Other owner',
        role: 'owner',
        createdAt: new Date().toISOString(),
        passwordHash: password,
      },
      inboxes: [],
      faqs: [],
    });
    other = await t.login('owner@other-replies.test', 'role-password');
  });
  afterAll(async () => t?.close());

  it('admins create with checks at each field; agents list and search but cannot write', async () => {
    const created = await as(owner, { method: 'POST', url: '/api/v1/reply-templates', payload: refund });
    expect(created.statusCode, created.body).toBe(201);
    const template = created.json().template as TemplateView;
    expect(template).toMatchObject({ shortcut: 'tuikuan', source: null, archivedAt: null });

    const problems = async (payload: Record<string, unknown>) => {
      const res = await as(owner, { method: 'POST', url: '/api/v1/reply-templates', payload });
      expect(res.statusCode, res.body).toBe(400);
      return (res.json().errors ?? []) as { path: string; message: string }[];
    };
    // Duplicate shortcut, an intent the retail bot does not have, a variable nobody fills.
    expect((await problems(refund)).map((e) => e.path)).toEqual(['body/shortcut']);
    expect((await problems({ ...refund, shortcut: 'x1', intents: ['no_such_intent'] }))[0]?.path).toBe(
      'body/intents/0',
    );
    const unknownVariable = await problems({ ...refund, shortcut: 'x2', body: '{{order.numbr}}' });
    expect(unknownVariable[0]).toMatchObject({
      path: 'body/body',
      message: expect.stringContaining('order.numbr'),
    });
    // Schema-level: a shortcut with a space, missing fields, extra fields.
    expect(
      (
        await as(owner, {
          method: 'POST',
          url: '/api/v1/reply-templates',
          payload: { ...refund, shortcut: 'a b' },
        })
      ).statusCode,
    ).toBe(400);
    expect(
      (await as(owner, { method: 'POST', url: '/api/v1/reply-templates', payload: { title: 'x' } }))
        .statusCode,
    ).toBe(400);
    expect(
      (
        await as(owner, {
          method: 'POST',
          url: '/api/v1/reply-templates',
          payload: { ...refund, shortcut: 'x3', extra: 1 },
        })
      ).statusCode,
    ).toBe(400);

    const list = await as(agent, { method: 'GET', url: '/api/v1/reply-templates?q=/tui' });
    expect(list.statusCode).toBe(200);
    expect((list.json().templates as TemplateView[]).map((x) => x.shortcut)).toEqual(['tuikuan']);
    const options = (await as(agent, { method: 'GET', url: '/api/v1/reply-templates/options' })).json();
    expect(options.intents.map((i: { id: string }) => i.id)).toContain('refund_request');
    expect(options.variables.map((v: { key: string }) => v.key)).toEqual(
      expect.arrayContaining(['order.number', 'shop.name']),
    );
    const denied = await as(agent, {
      method: 'POST',
      url: '/api/v1/reply-templates',
      payload: { ...refund, shortcut: 'mine' },
    });
    expect(denied.statusCode).toBe(403);
    expect(
      (await as(agent, { method: 'DELETE', url: `/api/v1/reply-templates/${template.id}` })).statusCode,
    ).toBe(403);
  });

  it('previews a template for a conversation with the order the customer gave the bot', async () => {
    const key = await t.apiKey();
    const inbound = await inject({
      method: 'POST',
      url: '/api/v1/inbound',
      headers: { authorization: `Bearer ${key}` },
      payload: {
        customer: { externalId: 'replies-1', name: '王小明' },
        text: '我要退款，订单号 ZK20261125001',
        messageId: 'replies-m1',
      },
    });
    expect(inbound.statusCode, inbound.body).toBe(200);
    const conversationId = inbound.json().conversationId as string;
    const store = t.app.zhike.db.forWorkspace(workspaceId);
    await eventually(async () => (await store.botStates.get(conversationId)) ?? undefined, 30_000);

    const { templates } = (
      await as(agent, { method: 'GET', url: '/api/v1/reply-templates?q=tuikuan' })
    ).json() as {
      templates: TemplateView[];
    };
    const preview = await as(agent, {
      method: 'POST',
      url: `/api/v1/conversations/${conversationId}/reply-preview`,
      payload: { templateId: templates[0]?.id },
    });
    expect(preview.statusCode, preview.body).toBe(200);
    // The customer's name is not shown to the agent (names are masked for them): it is filled on send.
    expect(preview.json()).toEqual({
      text: '您好 {{customer.name}}，订单 ZK20261125001（已发货）的退款已受理，演示小店 将在 1–3 个工作日内原路退回。',
      missing: [],
      deferred: ['customer.name'],
      order: { number: 'ZK20261125001', source: 'dialogue' },
    });
    expect(preview.body).not.toContain('王小明');
    const sent = await as(agent, {
      method: 'POST',
      url: `/api/v1/conversations/${conversationId}/messages`,
      payload: { text: preview.json().text, clientMessageId: 'replies-send-1' },
    });
    expect(sent.statusCode, sent.body).toBeLessThan(300);
    expect(sent.json().text).toBe(
      '您好 王小明，订单 ZK20261125001（已发货）的退款已受理，演示小店 将在 1–3 个工作日内原路退回。',
    );
    // The demo shop got the retail template's replies: its refund compliance wording fills the same way.
    const seeded = (await as(agent, { method: 'GET', url: '/api/v1/reply-templates?q=refund' })).json()
      .templates as (TemplateView & { compliance: boolean; intents: string[] })[];
    const compliance = seeded.find((x) => x.shortcut === 'refund');
    expect(compliance).toMatchObject({ source: 'retail/zh-CN', compliance: true });
    expect(compliance?.intents).toContain('refund_request');
    const filled = await as(agent, {
      method: 'POST',
      url: `/api/v1/conversations/${conversationId}/reply-preview`,
      payload: { templateId: compliance?.id },
    });
    expect(filled.json()).toMatchObject({ missing: [], deferred: ['customer.name'] });
    expect(filled.json().text).toMatch(/^您好 \{\{customer\.name\}\}，订单 ZK20261125001 的退款申请已受理。/);
    // Free text: what cannot be filled stays visible and is reported.
    const text = await as(agent, {
      method: 'POST',
      url: `/api/v1/conversations/${conversationId}/reply-preview`,
      payload: { body: '{{agent.name}} 为您服务，快递 {{order.carrier}}，{{shop.nothing}}' },
    });
    expect(text.json()).toMatchObject({
      text: '小李 为您服务，快递 顺丰速运，{{shop.nothing}}',
      missing: ['shop.nothing'],
    });
    // Neither body nor template, or an unknown conversation.
    expect(
      (
        await as(agent, {
          method: 'POST',
          url: `/api/v1/conversations/${conversationId}/reply-preview`,
          payload: {},
        })
      ).statusCode,
    ).toBe(400);
    const unknown = await as(agent, {
      method: 'POST',
      url: `/api/v1/conversations/${t.app.zhike.newId()}/reply-preview`,
      payload: { body: 'x' },
    });
    expect(unknown.statusCode).toBe(404);
    // Another workspace's owner cannot preview this conversation or use this template.
    expect(
      (
        await as(other, {
          method: 'POST',
          url: `/api/v1/conversations/${conversationId}/reply-preview`,
          payload: { body: 'x' },
        })
      ).statusCode,
    ).toBe(404);
  });

  it('keeps each workspace’s templates to itself; edits and archives are audited', async () => {
    const { templates } = (
      await as(owner, { method: 'GET', url: '/api/v1/reply-templates?q=tuikuan' })
    ).json() as {
      templates: TemplateView[];
    };
    const id = templates[0]!.id;
    expect(
      (await as(other, { method: 'GET', url: '/api/v1/reply-templates?q=tuikuan' })).json().templates,
    ).toEqual([]);
    const put = (session: TestSession, payload: Record<string, unknown>) =>
      as(session, { method: 'PUT', url: `/api/v1/reply-templates/${id}`, payload });
    expect((await put(other, { ...refund, intents: [], title: 'taken over' })).statusCode).toBe(404);
    expect((await as(other, { method: 'DELETE', url: `/api/v1/reply-templates/${id}` })).statusCode).toBe(
      404,
    );

    const edited = await put(owner, { ...refund, title: '退款时效' });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json().template.title).toBe('退款时效');
    const archived = await as(owner, { method: 'DELETE', url: `/api/v1/reply-templates/${id}` });
    expect(archived.json().template.archivedAt).not.toBeNull();
    expect((await as(owner, { method: 'DELETE', url: `/api/v1/reply-templates/${id}` })).statusCode).toBe(
      404,
    );
    expect((await put(owner, refund)).statusCode).toBe(404);
    // An archived template is no longer offered, and its shortcut can be used again.
    expect(
      (await as(agent, { method: 'GET', url: '/api/v1/reply-templates?q=tuikuan' })).json().templates,
    ).toEqual([]);
    expect(
      (await as(owner, { method: 'POST', url: '/api/v1/reply-templates', payload: refund })).statusCode,
    ).toBe(201);

    const audit = await as(owner, { method: 'GET', url: '/api/v1/audit?limit=20' });
    const changes = (
      audit.json().entries as { target: { type: string } | null; details: { change?: string } }[]
    )
      .filter((e) => e.target?.type === 'reply_template')
      .map((e) => e.details.change);
    expect(changes).toEqual(
      expect.arrayContaining(['template_created', 'template_updated', 'template_archived']),
    );
  });
});
