// Bot settings and the setup wizard's API on both backends: a fresh workspace starts unset, saving
// validates against the chosen template, bumps the version the compiled bot is cached by, is audited,
// and the bot then answers with the owner's values (or not at all when switched off).
import type { BotSettingsView, SetupStatus, TemplateList } from '@zhike/contracts';
import { type Backend, testBackends } from '@zhike/db';
import type { AuditRecord } from '@zhike/security';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from './http/apiKeys.ts';
import { createTestApp, eventually, type TestApp, type TestSession } from './testing.ts';
import { createWorkspace } from './workspaces.ts';

const OWNER = { email: 'owner@noodles.test', password: 'noodles-owner-password' };

const cateringBody = {
  templateId: 'catering',
  variables: {
    'shop.name': '老王牛肉面',
    'shop.hours': '每天 10:30–21:30',
    'shop.phone': '021-5555 0101',
    'policy.prepaid_refund': '预订押金到店前 24 小时可全额退还',
  },
  businessHours: {
    timeZone: 'Asia/Shanghai',
    periods: [{ days: [0, 1, 2, 3, 4, 5, 6], open: '10:30', close: '21:30' }],
  },
  orderNumberPattern: null,
  botEnabled: true,
};

describe.each(testBackends)('bot settings and setup on %s', (backend: Backend) => {
  let t: TestApp;
  let owner: TestSession;
  let workspaceId: string;
  let apiKey: string;
  const audited: AuditRecord[] = [];
  const inject = (options: InjectOptions) => t.app.inject(options);
  const asOwner = (options: InjectOptions) =>
    inject({ ...options, headers: { ...owner.headers, ...options.headers } });
  let seq = 0;

  beforeAll(async () => {
    t = await createTestApp(backend);
    const audit = t.app.zhike.db.audit;
    const record = audit.record.bind(audit);
    audit.record = async (input) => {
      audited.push(input);
      return record(input);
    };
    const created = await createWorkspace(t.app.zhike, {
      name: '老王牛肉面',
      slug: 'laowang',
      ownerEmail: OWNER.email,
      ownerPassword: OWNER.password,
    });
    if (!created.ok) throw new Error(created.message);
    workspaceId = created.workspace.id;
    owner = await t.login(OWNER.email, OWNER.password);
    apiKey = (await createApiKey(t.app.zhike, workspaceId, 'test')).secret;
  });
  afterAll(async () => t?.close());

  /** One customer message through the API channel; resolves with what followed it once the bot's turn is stored. */
  async function say(
    text: string,
  ): Promise<{ conversationId: string; replies: { author: string; text: string }[] }> {
    const res = await inject({
      method: 'POST',
      url: '/api/v1/inbound',
      headers: { authorization: `Bearer ${apiKey}` },
      payload: { customer: { externalId: `c-${++seq}` }, text, messageId: `m-${seq}` },
    });
    expect(res.statusCode).toBe(200);
    const { conversationId, messageId } = res.json() as { conversationId: string; messageId: string };
    const replies = await eventually(async () => {
      const all = (
        await inject({
          url: `/api/v1/conversations/${conversationId}/messages?limit=200`,
          headers: { authorization: `Bearer ${apiKey}` },
        })
      ).json().messages as { id: string; author: string; text: string }[];
      const after = all.slice(all.findIndex((m) => m.id === messageId) + 1);
      return after.length > 0 ? after.map((m) => ({ author: m.author, text: m.text })) : undefined;
    }, 30_000);
    return { conversationId, replies };
  }

  it('lists every industry template with names, variables and counts in both locales', async () => {
    const res = await asOwner({ url: '/api/v1/templates' });
    expect(res.statusCode).toBe(200);
    const { templates } = res.json() as TemplateList;
    expect(templates.map((x) => x.id)).toEqual(
      expect.arrayContaining(['catering', 'clinic', 'education', 'hotel', 'retail']),
    );
    expect(templates.length).toBeGreaterThanOrEqual(8);
    const catering = templates.find((x) => x.id === 'catering');
    expect(catering?.faqCount).toBeGreaterThan(5);
    expect(catering?.intentCount).toBeGreaterThan(3);
    expect(catering?.locales['zh-CN']?.name).toBe('餐饮外卖');
    expect(catering?.locales['en-US']?.name).toMatch(/[A-Za-z]/);
    const keys = catering?.locales['zh-CN']?.variables.map((v) => v.key);
    expect(keys).toEqual(expect.arrayContaining(['shop.name', 'shop.hours', 'shop.phone', 'shop.address']));
    expect(catering?.locales['zh-CN']?.variables.find((v) => v.key === 'shop.hours')?.default).not.toBe('');
  });

  it('a new workspace starts unset and needs the wizard; the seeded demo shop does not', async () => {
    const status = (await asOwner({ url: '/api/v1/setup' })).json() as SetupStatus;
    expect(status).toEqual({ completed: false, completedAt: null, botEnabled: true });
    const view = (await asOwner({ url: '/api/v1/bot/settings' })).json() as BotSettingsView;
    expect(view).toMatchObject({ configured: false, templateId: null, version: 0, locale: 'zh-CN' });

    const demoOwner = await t.login();
    const demo = await inject({ url: '/api/v1/setup', headers: demoOwner.headers });
    expect((demo.json() as SetupStatus).completed).toBe(true);
  });

  it('cannot complete the wizard before the bot is configured', async () => {
    const res = await asOwner({ method: 'POST', url: '/api/v1/setup/complete' });
    expect(res.statusCode).toBe(409);
  });

  it.each([
    ['an unknown template', { templateId: 'spaceships' }, 'body/templateId'],
    [
      'a variable the template does not declare',
      { variables: { 'shop.rocket': 'x' } },
      'body/variables/shop.rocket',
    ],
    ['a blank value', { variables: { 'shop.name': '  ' } }, 'body/variables/shop.name'],
    [
      'an unknown time zone',
      { businessHours: { timeZone: 'Mars/Olympus', periods: [] } },
      'body/businessHours/timeZone',
    ],
    [
      'a period that opens when it closes',
      {
        businessHours: { timeZone: 'Asia/Shanghai', periods: [{ days: [1], open: '09:00', close: '09:00' }] },
      },
      'body/businessHours/periods/0/close',
    ],
    [
      'an hour past 24:00',
      {
        businessHours: { timeZone: 'Asia/Shanghai', periods: [{ days: [1], open: '09:00', close: '25:00' }] },
      },
      'body/businessHours/periods/0/close',
    ],
    [
      'a weekday 7',
      {
        businessHours: { timeZone: 'Asia/Shanghai', periods: [{ days: [7], open: '09:00', close: '18:00' }] },
      },
      'body/businessHours/periods/0/days/0',
    ],
    ['a broken order-number pattern', { orderNumberPattern: 'ZK(\\d+' }, 'body/orderNumberPattern'],
    [
      'an order-number pattern matching nothing at all',
      { orderNumberPattern: '\\d*' },
      'body/orderNumberPattern',
    ],
    ['an extra field', { colour: 'red' }, 'body'],
  ])('refuses %s with a 400 naming the field, and stores nothing', async (_, patch, path) => {
    const res = await asOwner({
      method: 'PUT',
      url: '/api/v1/bot/settings',
      payload: { ...cateringBody, ...patch },
    });
    expect(res.statusCode).toBe(400);
    const problem = res.json() as { errors?: { path: string }[] };
    expect(problem.errors?.map((e) => e.path)).toContainEqual(expect.stringContaining(path));
    expect(await t.app.zhike.db.forWorkspace(workspaceId).botSettings.get()).toBeNull();
  });

  it('refuses agents of no permission, API keys and requests without CSRF', async () => {
    expect(
      (await inject({ url: '/api/v1/bot/settings', headers: { authorization: `Bearer ${apiKey}` } }))
        .statusCode,
    ).toBe(403);
    const noCsrf = await inject({
      method: 'PUT',
      url: '/api/v1/bot/settings',
      headers: { cookie: owner.cookie },
      payload: cateringBody,
    });
    expect(noCsrf.statusCode).toBe(403);
    expect((await inject({ url: '/api/v1/templates' })).statusCode).toBe(401);
  });

  it('saves a version the bot answers with, audits it, and completes the wizard', async () => {
    const saved = await asOwner({ method: 'PUT', url: '/api/v1/bot/settings', payload: cateringBody });
    expect(saved.statusCode).toBe(200);
    const view = saved.json() as BotSettingsView;
    expect(view).toMatchObject({
      configured: true,
      templateId: 'catering',
      version: 1,
      botEnabled: true,
      variables: cateringBody.variables,
      businessHours: cateringBody.businessHours,
      setup: { completed: false },
    });
    expect(audited.at(-1)).toMatchObject({
      workspaceId,
      action: 'settings.changed',
      actor: { type: 'user', id: owner.info.user.id },
      details: { setting: 'bot', templateId: 'catering', version: 1 },
    });
    // Values stay out of the audit log; only the names of what changed.
    expect(JSON.stringify(audited.at(-1))).not.toContain('老王牛肉面');

    const hours = await say('你们几点开门？');
    expect(hours.replies.map((r) => r.author)).toContain('bot');
    expect(hours.replies.map((r) => r.text).join('\n')).toContain('10:30–21:30');

    const done = await asOwner({ method: 'POST', url: '/api/v1/setup/complete' });
    expect(done.statusCode).toBe(200);
    const status = done.json() as SetupStatus;
    expect(status.completed).toBe(true);
    expect(status.completedAt).not.toBeNull();
    expect(audited.at(-1)).toMatchObject({ action: 'settings.changed', details: { setting: 'setup' } });
    // Finishing twice keeps the first time.
    const again = (await asOwner({ method: 'POST', url: '/api/v1/setup/complete' })).json() as SetupStatus;
    expect(again.completedAt).toBe(status.completedAt);
  });

  it('a new save is a new version: the bot answers with the new values', async () => {
    const body = {
      ...cateringBody,
      variables: { ...cateringBody.variables, 'shop.hours': '周二至周日 11:00–20:00' },
    };
    const saved = (
      await asOwner({ method: 'PUT', url: '/api/v1/bot/settings', payload: body })
    ).json() as BotSettingsView;
    expect(saved.version).toBe(2);
    expect(saved.setup.completed).toBe(true);
    expect(audited.at(-1)?.details).toMatchObject({ changedVariables: 'shop.hours', version: 2 });
    const hours = await say('今天营业到几点');
    expect(hours.replies.map((r) => r.text).join('\n')).toContain('11:00–20:00');
  });

  it('switched off, the bot stays silent and every message goes to people', async () => {
    const off = { ...cateringBody, botEnabled: false };
    const saved = (
      await asOwner({ method: 'PUT', url: '/api/v1/bot/settings', payload: off })
    ).json() as BotSettingsView;
    expect(saved.botEnabled).toBe(false);
    const ask = await say('你们几点开门？');
    expect(ask.replies.map((r) => r.author)).not.toContain('bot');
    const conversation = (
      await inject({
        url: `/api/v1/conversations/${ask.conversationId}`,
        headers: { authorization: `Bearer ${apiKey}` },
      })
    ).json() as { handedOff: boolean };
    expect(conversation.handedOff).toBe(true);
    expect(((await asOwner({ url: '/api/v1/setup' })).json() as SetupStatus).botEnabled).toBe(false);
  });

  it('keeps workspaces apart: the demo owner sees the demo bot, not this one', async () => {
    const demoOwner = await t.login();
    const demo = (
      await inject({ url: '/api/v1/bot/settings', headers: demoOwner.headers })
    ).json() as BotSettingsView;
    expect(demo.templateId).toBe('retail');
    expect(demo.variables['shop.name']).toBeUndefined();
  });
});

describe.each(testBackends)('an installation started without the demo on %s', (backend: Backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(backend, { env: { ZHIKE_DEMO: '0' }, startWorker: false });
  });
  afterAll(async () => t?.close());

  it('sends the owner of the empty first workspace through the wizard until it is finished', async () => {
    const owner = await t.login();
    const status = async () =>
      ((await t.app.inject({ url: '/api/v1/setup', headers: owner.headers })).json() as SetupStatus)
        .completed;
    expect(owner.info.workspace.slug).toBe('default');
    expect(await status()).toBe(false);
    const saved = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/bot/settings',
      headers: owner.headers,
      payload: { ...cateringBody, templateId: 'hotel', variables: { 'shop.name': '山居民宿' } },
    });
    expect(saved.statusCode).toBe(200);
    // Saving the bot is a step of the wizard, not its end: an owner who leaves now comes back to it.
    expect(await status()).toBe(false);
    await t.app.inject({ method: 'POST', url: '/api/v1/setup/complete', headers: owner.headers });
    expect(await status()).toBe(true);
  });
});
