// The knowledge base repository and the template sync on both backends: scoping, search, versions, the
// compare-and-set edit, and seeding/replacing template entries while keeping the owner's.
import {
  createIdGenerator,
  deleteKnowledgeFaq,
  syncTemplateKnowledge,
  systemClock,
  type TemplateKnowledge,
  type WorkspaceStore,
} from '@zhike/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from './database.ts';
import { createTestDatabase, type TestDatabase, testBackends } from './testing.ts';

const faq = (
  question: string,
  answer: string,
  extra: Partial<{ tags: string[]; enabled: boolean }> = {},
) => ({
  question,
  similarQuestions: [`${question}？`],
  answer,
  keywords: [],
  tags: extra.tags ?? [],
  enabled: extra.enabled ?? true,
});

const retail: TemplateKnowledge = {
  templateId: 'retail',
  locale: 'zh-CN',
  faqs: [
    { id: 'hours', question: '几点营业', similar: ['营业时间'], answer: '{{shop.hours}}', tags: ['store'] },
    { id: 'shipping', question: '多久发货', answer: '24 小时内', keywords: ['发货'] },
    { id: 'invoice', question: '能开发票吗', answer: '可以' },
  ],
};

describe.each(testBackends)('knowledge base on %s', (backend) => {
  let tdb: TestDatabase;
  let db: Database;
  const newId = createIdGenerator(systemClock);
  const at = () => new Date().toISOString();
  const workspaces: string[] = [];
  const store = (i: number): WorkspaceStore => db.forWorkspace(workspaces[i]!);

  beforeAll(async () => {
    tdb = await createTestDatabase(backend);
    db = openDatabase({ url: tdb.url, newId });
    await db.migrate();
    for (const slug of ['ka', 'kb', 'kc']) {
      const id = newId();
      workspaces.push(id);
      await db.directory.seedWorkspace({
        workspace: { id, slug, name: slug, locale: 'zh-CN', createdAt: at() },
        owner: {
          id: newId(),
          workspaceId: id,
          email: `${slug}@x.test`,
          name: slug,
          role: 'owner',
          createdAt: at(),
          passwordHash: 'x',
        },
        inboxes: [],
        faqs: [],
      });
    }
  });
  afterAll(async () => {
    await db?.close();
    await tdb?.drop();
  });

  it('creates, finds, filters and deletes entries inside one workspace only, bumping the version', async () => {
    const a = store(0).knowledge;
    expect(await a.state()).toBeNull();
    const shipping = await a.faqs.create(
      faq('发什么快递', '默认中通 100%_包邮', { tags: ['shipping'] }),
      at(),
    );
    const hidden = await a.faqs.create(
      faq('可以自提吗', '不可以', { tags: ['store'], enabled: false }),
      at(),
    );
    expect(shipping).toMatchObject({
      version: 1,
      edited: false,
      origin: null,
      similarQuestions: ['发什么快递？'],
    });
    expect((await a.state())?.version).toBe(2);

    expect((await a.faqs.list({ query: '快递', limit: 50 })).map((f) => f.id)).toEqual([shipping.id]);
    // LIKE wildcards in the query are literal characters.
    expect((await a.faqs.list({ query: '100%_', limit: 50 })).map((f) => f.id)).toEqual([shipping.id]);
    expect(await a.faqs.list({ query: '%', limit: 50 })).toHaveLength(1);
    expect((await a.faqs.list({ tag: 'store', limit: 50 })).map((f) => f.id)).toEqual([hidden.id]);
    expect((await a.faqs.list({ enabled: true, limit: 50 })).map((f) => f.id)).toEqual([shipping.id]);
    expect(await a.faqs.list({ tag: 'shop', limit: 50 })).toEqual([]);
    expect(await a.tags()).toEqual(['shipping', 'store']);

    const b = store(1).knowledge;
    expect(await b.faqs.get(shipping.id)).toBeNull();
    expect(await b.faqs.list({ limit: 50 })).toEqual([]);
    expect(await b.faqs.update(shipping.id, { patch: { answer: 'x' } }, at())).toEqual({
      status: 'not_found',
    });
    expect(await b.faqs.delete(shipping.id, at())).toBeNull();
    expect((await a.faqs.get(shipping.id))?.answer).toBe('默认中通 100%_包邮');
    expect(await b.state()).toBeNull();

    expect((await a.faqs.delete(hidden.id, at()))?.id).toBe(hidden.id);
    expect(await a.faqs.get(hidden.id)).toBeNull();
    expect((await a.state())?.version).toBe(3);
  });

  it('refuses a stale edit and lets exactly one of two concurrent editors win', async () => {
    const a = store(0).knowledge;
    const entry = await a.faqs.create(faq('支持货到付款吗', '不支持'), at());
    const stale = await a.faqs.update(entry.id, { patch: { answer: '支持' }, expectedVersion: 7 }, at());
    expect(stale).toMatchObject({ status: 'stale', item: { version: 1, answer: '不支持' } });
    const results = await Promise.all(
      ['甲', '乙'].map((answer) => a.faqs.update(entry.id, { patch: { answer }, expectedVersion: 1 }, at())),
    );
    expect(results.map((r) => r.status).sort()).toEqual(['stale', 'updated']);
    const saved = await a.faqs.get(entry.id);
    expect(saved?.version).toBe(2);
    expect(['甲', '乙']).toContain(saved?.answer);
  });

  it('stores articles with search, tags and versions', async () => {
    const a = store(0).knowledge;
    const article = await a.articles.create(
      {
        title: '保修政策',
        body: '## 范围\n整机保修一年。',
        tags: ['policy'],
        sourceUrl: null,
        enabled: true,
      },
      at(),
    );
    expect((await a.articles.list({ query: '保修一年', limit: 10 })).map((x) => x.id)).toEqual([article.id]);
    expect(await store(2).knowledge.articles.get(article.id)).toBeNull();
    const updated = await a.articles.update(
      article.id,
      { patch: { enabled: false }, expectedVersion: 1 },
      at(),
    );
    expect(updated).toMatchObject({ status: 'updated', item: { enabled: false, version: 2 } });
    expect(await a.tags()).toContain('policy');
    expect((await a.articles.delete(article.id, at()))?.title).toBe('保修政策');
  });

  it('seeds from the template once, refreshes unedited entries, and keeps the owner’s on a template change', async () => {
    const s = store(2);
    const first = await syncTemplateKnowledge(s, retail, at());
    expect(first).toMatchObject({ synced: true, created: 3 });
    // Concurrent compiles: one sync does the work, the others see it done.
    const again = await Promise.all([1, 2, 3].map(() => syncTemplateKnowledge(s, retail, at())));
    expect(again.every((o) => !o.synced)).toBe(true);
    const all = await s.knowledge.faqs.all();
    expect(all.map((f) => f.origin).sort()).toEqual(['hours', 'invoice', 'shipping']);

    const byOrigin = (origin: string) => all.find((f) => f.origin === origin)!;
    // The owner edits one answer, switches one off, deletes one and writes one of their own.
    const edited = await s.knowledge.faqs.update(
      byOrigin('hours').id,
      { patch: { answer: '每天 8 点' } },
      at(),
    );
    expect(edited).toMatchObject({ status: 'updated', item: { edited: true } });
    const off = await s.knowledge.faqs.update(byOrigin('shipping').id, { patch: { enabled: false } }, at());
    expect(off).toMatchObject({ status: 'updated', item: { edited: false, enabled: false } });
    await deleteKnowledgeFaq(s, byOrigin('invoice').id, at());
    const own = await s.knowledge.faqs.create(faq('有实体店吗', '有'), at());

    // A changed template file refreshes unedited entries (keeping their switch) and never restores deletions.
    const improved: TemplateKnowledge = {
      ...retail,
      faqs: retail.faqs.map((f) => (f.id === 'shipping' ? { ...f, answer: '12 小时内' } : f)),
    };
    expect(await syncTemplateKnowledge(s, improved, at())).toMatchObject({
      synced: true,
      updated: 1,
      created: 0,
    });
    const refreshed = await s.knowledge.faqs.all();
    expect(refreshed.find((f) => f.origin === 'shipping')).toMatchObject({
      answer: '12 小时内',
      enabled: false,
    });
    expect(refreshed.find((f) => f.origin === 'hours')?.answer).toBe('每天 8 点');
    expect(refreshed.some((f) => f.origin === 'invoice')).toBe(false);

    // Another industry: unedited template entries go, edited and owner-written stay, new ones arrive.
    const version = (await s.knowledge.state())!.version;
    const clinic: TemplateKnowledge = {
      templateId: 'clinic',
      locale: 'zh-CN',
      faqs: [
        { id: 'invoice', question: '能开发票吗', answer: '可以开医疗发票' },
        { id: 'booking', question: '怎么预约', answer: '电话预约' },
      ],
    };
    expect(await syncTemplateKnowledge(s, clinic, at())).toMatchObject({
      synced: true,
      removed: 1,
      created: 2,
    });
    const after = await s.knowledge.faqs.all();
    expect(after.map((f) => [f.origin, f.answer]).sort()).toEqual(
      [
        [null, '有'],
        ['booking', '电话预约'],
        ['hours', '每天 8 点'],
        ['invoice', '可以开医疗发票'],
      ].sort(),
    );
    expect(after.find((f) => f.id === own.id)).toBeDefined();
    expect((await s.knowledge.state())!.version).toBeGreaterThan(version);
    // Other workspaces saw none of it.
    expect((await store(1).knowledge.faqs.all()).length).toBe(0);
  });
});
