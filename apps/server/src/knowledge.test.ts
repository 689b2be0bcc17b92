// The knowledge base through the API on both backends: the demo shop starts with the retail template's
// FAQs, entries are created/edited/deleted with validation and audit, the bot answers from the new
// content on its next turn, "try it" explains a decision, and imports preview before they store.
import { join } from 'node:path';
import { compileBot } from '@zhike/bot';
import { type Backend, testBackends } from '@zhike/db';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from './auth/secrets.ts';
import { createTemplateBot } from './bot/templateBot.ts';
import { gbk, xlsx } from './knowledge/testFiles.ts';
import { createTestApp, eventually, type TestApp, type TestSession } from './testing.ts';

describe.each(testBackends)('knowledge base API on %s', (backend: Backend) => {
  let t: TestApp;
  let owner: TestSession;
  let agent: TestSession;
  let key: string;
  let seq = 0;
  const inject = (options: InjectOptions) => t.app.inject(options);
  const asOwner = (options: InjectOptions) =>
    inject({ ...options, headers: { ...owner.headers, ...options.headers } });
  const auditCount = async () => {
    const verdict = await t.app.zhike.db.audit.verify();
    if (!verdict.ok) throw new Error('audit chain broken');
    return verdict.count;
  };

  beforeAll(async () => {
    t = await createTestApp(backend);
    owner = await t.login();
    key = await t.apiKey();
    const workspaceId = await t.demoWorkspaceId();
    await t.app.zhike.db.directory.addUser({
      id: t.app.zhike.newId(),
      workspaceId,
      email: 'agent@kb.test',
      name: 'agent',
      role: 'agent',
      createdAt: new Date().toISOString(),
      passwordHash: await hashPassword('agent-password'),
    });
    agent = await t.login('agent@kb.test', 'agent-password');
  });
  afterAll(async () => t?.close());

  /** One customer message through the API channel; resolves with the bot's reply text. */
  async function ask(text: string): Promise<string> {
    const res = await inject({
      method: 'POST',
      url: '/api/v1/inbound',
      headers: { authorization: `Bearer ${key}` },
      payload: { customer: { externalId: `kb-${++seq}` }, text, messageId: `kb-m-${seq}` },
    });
    expect(res.statusCode).toBe(200);
    const { conversationId, messageId } = res.json() as { conversationId: string; messageId: string };
    return eventually(async () => {
      const all = (
        await inject({
          url: `/api/v1/conversations/${conversationId}/messages?limit=50`,
          headers: { authorization: `Bearer ${key}` },
        })
      ).json().messages as { id: string; author: string; text: string }[];
      const after = all.slice(all.findIndex((m) => m.id === messageId) + 1);
      return after.length > 0 ? after.map((m) => m.text).join('\n') : undefined;
    }, 30_000);
  }

  const newFaq = {
    question: '可以带宠物进店吗',
    similarQuestions: ['能带狗狗去门店吗', '门店允许宠物进入吗', '猫咪可以一起进店吗'],
    answer: '欢迎带宠物进店，请全程牵绳。',
    tags: ['门店'],
    enabled: true,
  };

  it('starts the demo shop with the retail template’s FAQs, readable by agents', async () => {
    const res = await inject({ url: '/api/v1/knowledge/faqs', headers: { cookie: agent.cookie } });
    expect(res.statusCode).toBe(200);
    const { faqs, tags } = res.json() as {
      faqs: { origin: string | null; enabled: boolean }[];
      tags: string[];
    };
    expect(faqs).toHaveLength(35);
    expect(faqs.every((f) => f.origin !== null && f.enabled)).toBe(true);
    expect(faqs.map((f) => f.origin)).toContain('opening-hours');
    expect(tags).toContain('shipping');
    const search = await inject({ url: '/api/v1/knowledge/faqs?q=发票', headers: { cookie: agent.cookie } });
    expect(search.json().faqs.map((f: { origin: string }) => f.origin)).toContain('invoice');
  });

  it('creates an entry from exactly the documented body, validates, and audits', async () => {
    const before = await auditCount();
    const created = await asOwner({ method: 'POST', url: '/api/v1/knowledge/faqs', payload: newFaq });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      ...newFaq,
      origin: null,
      edited: false,
      version: 1,
      keywords: [],
    });
    expect(await auditCount()).toBe(before + 1);

    for (const payload of [
      { ...newFaq, question: 'x'.repeat(201) },
      { ...newFaq, answer: '' },
      { ...newFaq, similarQuestions: 'not a list' },
      { ...newFaq, extra: true },
      { question: 'only a question' },
    ]) {
      const bad = await asOwner({ method: 'POST', url: '/api/v1/knowledge/faqs', payload });
      expect(bad.statusCode).toBe(400);
      expect(bad.headers['content-type']).toContain('application/problem+json');
    }
    const forbidden = await inject({
      method: 'POST',
      url: '/api/v1/knowledge/faqs',
      headers: agent.headers,
      payload: newFaq,
    });
    expect(forbidden.statusCode).toBe(403);
    expect(await auditCount()).toBe(before + 1);
  });

  it('answers from a new entry on the next turn, and from the edited answer after that', async () => {
    const list = await asOwner({ url: `/api/v1/knowledge/faqs?q=${encodeURIComponent('宠物')}` });
    const faq = list.json().faqs[0] as { id: string; version: number };
    expect(await ask('我能带我家狗进你们店里吗')).toBe('欢迎带宠物进店，请全程牵绳。');

    const edit = await asOwner({
      method: 'PATCH',
      url: `/api/v1/knowledge/faqs/${faq.id}`,
      payload: { answer: '抱歉，门店暂不允许宠物进入。', version: faq.version },
    });
    expect(edit.statusCode).toBe(200);
    expect(edit.json()).toMatchObject({ version: faq.version + 1, answer: '抱歉，门店暂不允许宠物进入。' });
    const stale = await asOwner({
      method: 'PATCH',
      url: `/api/v1/knowledge/faqs/${faq.id}`,
      payload: { answer: '旧版本的修改', version: faq.version },
    });
    expect(stale.statusCode).toBe(409);
    expect(await ask('我能带我家狗进你们店里吗')).toBe('抱歉，门店暂不允许宠物进入。');

    // Switched off, the bot no longer answers with it.
    await asOwner({ method: 'PATCH', url: `/api/v1/knowledge/faqs/${faq.id}`, payload: { enabled: false } });
    expect(await ask('我能带我家狗进你们店里吗')).not.toContain('宠物');
  });

  it('edits a template entry as the owner’s, and deletes it for good', async () => {
    const { faqs } = (await asOwner({ url: '/api/v1/knowledge/faqs?q=客服什么时间在线' })).json() as {
      faqs: { id: string; origin: string }[];
    };
    const hours = faqs.find((f) => f.origin === 'opening-hours')!;
    const edited = await asOwner({
      method: 'PATCH',
      url: `/api/v1/knowledge/faqs/${hours.id}`,
      payload: { answer: '客服每天 7:00–23:00 在线。' },
    });
    expect(edited.json()).toMatchObject({ edited: true, origin: 'opening-hours' });
    expect(await ask('你们几点关门')).toBe('客服每天 7:00–23:00 在线。');

    const gone = await asOwner({ method: 'DELETE', url: `/api/v1/knowledge/faqs/${hours.id}` });
    expect(gone.statusCode).toBe(204);
    expect((await asOwner({ url: `/api/v1/knowledge/faqs/${hours.id}` })).statusCode).toBe(404);
    expect((await asOwner({ method: 'DELETE', url: `/api/v1/knowledge/faqs/${hours.id}` })).statusCode).toBe(
      404,
    );
    // The next template sync (a compile) does not bring it back.
    await t.app.zhike.bot.syncKnowledge(await t.demoWorkspaceId(), 'zh-CN');
    const again = (await asOwner({ url: '/api/v1/knowledge/faqs' })).json().faqs as { origin: string }[];
    expect(again.some((f) => f.origin === 'opening-hours')).toBe(false);
  });

  it('stores articles and answers from the right passage, naming the article', async () => {
    const article = await asOwner({
      method: 'POST',
      url: '/api/v1/knowledge/articles',
      payload: {
        title: '以旧换新活动规则',
        body: '# 以旧换新活动规则\n\n## 旧机怎么估价\n旧机寄到后 2 个工作日内由质检员评估，估价结果在「我的-以旧换新」查看。\n\n## 补贴怎么发放\n确认估价后，补贴直接抵扣新机货款。',
        tags: ['活动'],
        enabled: true,
        sourceUrl: 'https://shop.example/trade-in',
      },
    });
    expect(article.statusCode).toBe(201);
    const reply = await ask('旧机寄过去以后多久出估价结果');
    expect(reply).toContain('2 个工作日内由质检员评估');
    expect(reply).toContain('《以旧换新活动规则》 https://shop.example/trade-in');
    const bad = await asOwner({
      method: 'POST',
      url: '/api/v1/knowledge/articles',
      payload: { title: 't', body: 'b', tags: [], enabled: true, sourceUrl: 'javascript:alert(1)' },
    });
    expect(bad.statusCode).toBe(400);
  });

  it('"try it" shows the decision, the candidates and the passages, storing nothing', async () => {
    const res = await inject({
      method: 'POST',
      url: '/api/v1/knowledge/try',
      headers: agent.headers,
      payload: { text: '你们发什么快递' },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ decision: 'answer', chosen: { kind: 'faq', title: '你们发什么快递？' } });
    expect(body.replies[0]).toContain('中通或韵达');
    expect(body.candidates[0].score).toBeGreaterThan(0.4);
    expect(body.passages[0]).toMatchObject({ kind: 'faq', title: '你们发什么快递？' });
    const unclear = await inject({
      method: 'POST',
      url: '/api/v1/knowledge/try',
      headers: agent.headers,
      payload: { text: '呜啦啦 咕噜' },
    });
    expect(['clarify', 'handoff']).toContain(unclear.json().decision);
    const refund = await asOwner({
      method: 'POST',
      url: '/api/v1/knowledge/try',
      payload: { text: '我要退款' },
    });
    expect(refund.json()).toMatchObject({
      decision: 'action',
      chosen: { kind: 'intent', id: 'refund_request' },
    });
  });

  if (backend === 'sqlite')
    it('recompiles the bot once per knowledge change, and never when nothing changed', async () => {
      let compiled = 0;
      const workspaceId = await t.demoWorkspaceId();
      const bot = createTemplateBot({
        db: t.app.zhike.db,
        templatesDir: join(t.app.zhike.repoRoot, 'templates'),
        compile: (options) => {
          compiled++;
          return compileBot(options);
        },
      });
      const turn = (n: number) =>
        bot.decide({
          workspaceId,
          conversationId: `kb-cache-${n}`,
          customerId: 'nobody',
          messageId: `kb-cache-${n}`,
          locale: 'zh-CN',
          text: '你们发什么快递',
          now: new Date(),
          state: null,
        });
      await Promise.all([1, 2, 3].map(turn));
      await turn(4);
      expect(compiled).toBe(1);
      const { faqs } = (await asOwner({ url: '/api/v1/knowledge/faqs?q=发什么快递' })).json() as {
        faqs: { id: string; question: string }[];
      };
      const courier = faqs.find((f) => f.question === '你们发什么快递？')!;
      await asOwner({
        method: 'PATCH',
        url: `/api/v1/knowledge/faqs/${courier.id}`,
        payload: { answer: '默认发顺丰，次日达。' },
      });
      expect((await turn(5)).replies).toEqual(['默认发顺丰，次日达。']);
      await turn(6);
      expect(compiled).toBe(2);
    });

  describe('import', () => {
    const importFile = (body: Buffer | string, contentType: string, query = '') =>
      asOwner({
        method: 'POST',
        url: `/api/v1/knowledge/import${query}`,
        headers: { 'content-type': contentType },
        payload: body,
      });
    const count = async () =>
      ((await asOwner({ url: '/api/v1/knowledge/faqs' })).json().faqs as unknown[]).length;

    it('previews a GBK CSV, then imports it, updating the same question and skipping unchanged ones', async () => {
      const csv = [
        '问题,相似问题,答案,标签',
        '支持开增值税专票吗,"能开专票吗|专用发票怎么开",可以，下单后在订单页申请。,财务',
        '你们发什么快递？,,默认发中通或韵达。,物流',
      ].join('\r\n');
      const before = await count();
      const preview = await importFile(gbk(csv), 'text/csv');
      expect(preview.statusCode).toBe(200);
      expect(preview.json()).toMatchObject({
        dryRun: true,
        encoding: 'gb18030',
        created: 1,
        updated: 1,
        errors: 0,
      });
      expect(preview.json().rows.map((r: { line: number; action: string }) => [r.line, r.action])).toEqual([
        [2, 'create'],
        [3, 'update'],
      ]);
      expect(await count()).toBe(before);

      const audit = await auditCount();
      const done = await importFile(gbk(csv), 'text/csv', '?dryRun=false');
      expect(done.json()).toMatchObject({ dryRun: false, created: 1, updated: 1 });
      expect(await count()).toBe(before + 1);
      expect(await auditCount()).toBe(audit + 1);
      const again = await importFile(Buffer.from(`\uFEFF${csv}`), 'text/csv');
      expect(again.json()).toMatchObject({ encoding: 'utf-8', created: 0, updated: 0, skipped: 2 });
      expect(await ask('你们支持开增值税专票吗')).toBe('可以，下单后在订单页申请。');
    });

    it('imports an XLSX sheet and a Markdown file of questions', async () => {
      const sheet = xlsx([
        ['Question', 'Similar questions', 'Answer', 'Tags'],
        ['可以预约上门安装吗', '能上门装吗\n安装师傅上门吗', '可以，下单后客服会联系您预约时间。', '服务'],
      ]);
      const fromSheet = await importFile(
        sheet,
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        '?dryRun=false',
      );
      expect(fromSheet.json()).toMatchObject({ format: 'xlsx', created: 1 });
      const md = '## 有没有学生优惠\n凭学生证享 95 折。\n\n## 支持团购吗\n10 件以上请联系客服。';
      const fromMd = await importFile(md, 'text/markdown', '?dryRun=false');
      expect(fromMd.json()).toMatchObject({ format: 'markdown', kind: 'faqs', created: 2 });
      const asArticle = await importFile(md, 'text/markdown', '?as=article&title=优惠说明&dryRun=false');
      expect(asArticle.json()).toMatchObject({ kind: 'article', created: 1 });
      const articles = (await asOwner({ url: '/api/v1/knowledge/articles?q=学生证' })).json().articles;
      expect(articles.map((a: { title: string }) => a.title)).toEqual(['优惠说明']);
    });

    it('refuses bad files with a problem and stores nothing from a file with row errors', async () => {
      const before = await count();
      const rowErrors = '问题,答案\n好问题,好答案\n,没有问题\n好问题,重复';
      const preview = await importFile(rowErrors, 'text/csv');
      expect(preview.json()).toMatchObject({ created: 1, errors: 2 });
      const refused = await importFile(rowErrors, 'text/csv', '?dryRun=false');
      expect(refused.statusCode).toBe(400);
      expect(refused.json().errors.map((e: { path: string }) => e.path)).toEqual(['line 3', 'line 4']);
      for (const [body, type] of [
        ['标题,内容\na,b', 'text/csv'],
        [Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), 'application/octet-stream'],
        [Buffer.from([0xff, 0xfe, 0x41, 0x00]), 'text/csv'],
        ['no headings here', 'text/markdown'],
      ] as const) {
        const bad = await importFile(body, type, '?dryRun=false');
        expect(bad.statusCode).toBe(400);
        expect(bad.headers['content-type']).toContain('application/problem+json');
      }
      expect((await importFile('{"a":1}', 'application/json')).statusCode).toBe(415);
      expect((await importFile('x', 'application/octet-stream')).statusCode).toBe(415);
      expect(await count()).toBe(before);
    });
  });
});
