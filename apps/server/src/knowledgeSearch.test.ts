// The agents' knowledge search through the real app on both backends: the demo shop's retail knowledge
// found the way the bot reads a message — including the refund-time FAQ for a question the bot would
// answer with a refund form — plus limits, validation, who may search, and a shop without a bot.
import { type Backend, testBackends } from '@zhike/db';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from './auth/secrets.ts';
import { createTestApp, type TestApp, type TestSession } from './testing.ts';

describe.each(testBackends)('knowledge search on %s', (backend: Backend) => {
  let t: TestApp;
  let owner: TestSession;
  let key: string;
  const inject = (options: InjectOptions) => t.app.inject(options);
  const search = (payload: unknown, session: TestSession = owner) =>
    inject({
      method: 'POST',
      url: '/api/v1/knowledge/search',
      headers: session.headers,
      payload: payload as object,
    });
  type Hit = { id: string; kind: string; title: string; text: string; score: number };

  beforeAll(async () => {
    t = await createTestApp(backend);
    owner = await t.login();
    key = await t.apiKey();
    await t.app.zhike.bot.warm(await t.demoWorkspaceId(), 'zh-CN');
  }, 60_000);
  afterAll(async () => t?.close());

  it("finds the answer the bot gives, with the owner's policy text filled in", async () => {
    const res = await search({ text: '你们发什么快递' });
    expect(res.statusCode).toBe(200);
    const hits = res.json().hits as Hit[];
    expect(hits[0]).toMatchObject({ kind: 'faq', title: '你们发什么快递？' });
    expect(hits[0]?.text).not.toContain('{{');
    for (let i = 1; i < hits.length; i++) expect(hits[i - 1]!.score).toBeGreaterThanOrEqual(hits[i]!.score);
  });

  it('finds the refund-time FAQ even where the bot would start a refund form instead', async () => {
    // The bot acts on 申请退款 (asks for the order number) and its turn reports no passage at all…
    const tried = (
      await inject({
        method: 'POST',
        url: '/api/v1/knowledge/try',
        headers: owner.headers,
        payload: { text: '申请退款' },
      })
    ).json();
    expect(tried).toMatchObject({ decision: 'action', passages: [] });
    // …yet the agent looking it up finds the refund-time wording among the FAQs it may be about.
    const hits = (await search({ text: '申请退款' })).json().hits as Hit[];
    const refund = hits.find((h) => h.title === '退款多久到账？');
    expect(refund).toMatchObject({ kind: 'faq' });
    expect(refund?.text).toContain('原路');
    expect(refund?.text).not.toContain('{{');
  });

  it('keeps to the limit, and refuses bad input with problem+json', async () => {
    expect(((await search({ text: '退货', limit: 1 })).json().hits as Hit[]).length).toBeLessThanOrEqual(1);
    for (const body of [
      { text: '' },
      { text: 'x'.repeat(501) },
      { text: '退货', limit: 11 },
      { text: '退货', q: 1 },
      {},
    ]) {
      const res = await search(body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
  });

  it('lets agents and API keys search, and nobody else', async () => {
    const workspaceId = await t.demoWorkspaceId();
    await t.app.zhike.db.directory.addUser({
      id: t.app.zhike.newId(),
      workspaceId,
      email: 'agent@search.test',
      name: '坐席',
      role: 'agent',
      createdAt: new Date().toISOString(),
      passwordHash: await hashPassword('agent password 1'),
    });
    const agent = await t.login('agent@search.test', 'agent password 1');
    expect((await search({ text: '发票怎么开' }, agent)).statusCode).toBe(200);
    const withKey = await inject({
      method: 'POST',
      url: '/api/v1/knowledge/search',
      headers: { authorization: `Bearer ${key}` },
      payload: { text: '发票怎么开' },
    });
    expect(withKey.statusCode).toBe(200);
    const anonymous = await inject({
      method: 'POST',
      url: '/api/v1/knowledge/search',
      payload: { text: '发票' },
    });
    expect(anonymous.statusCode).toBe(401);
  });

  it('says so when the shop has no bot yet', async () => {
    const id = t.app.zhike.newId();
    const created = new Date().toISOString();
    await t.app.zhike.db.directory.seedWorkspace({
      workspace: { id, slug: 'search-empty', name: 'empty', locale: 'zh-CN', createdAt: created },
      owner: {
        id: t.app.zhike.newId(),
        workspaceId: id,
        email: 'owner@search-empty.test',
        name: 'owner',
        role: 'owner',
        createdAt: created,
        passwordHash: await hashPassword('empty password 1'),
      },
      inboxes: [],
      faqs: [],
    });
    const other = await t.login('owner@search-empty.test', 'empty password 1');
    const res = await search({ text: '你们发什么快递' }, other);
    expect(res.statusCode).toBe(409);
  });
});
