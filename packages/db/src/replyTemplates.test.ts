// The reply templates repository on both backends: shortcuts unique among live templates only, edits and
// archives scoped to their workspace, a template's replies seeded once and replaced on a template switch
// while the shop's own and edited ones stay; and the reply context read from a real store.
import {
  buildReplyContext,
  createIdGenerator,
  fillReplyVariables,
  normaliseIdentity,
  type ReplyTemplateInput,
  saveReplyTemplate,
  seedTemplateReplies,
  systemClock,
  type WorkspaceStore,
} from '@zhike/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from './database.ts';
import { createTestDatabase, type TestDatabase, testBackends } from './testing.ts';

const refund: ReplyTemplateInput = {
  shortcut: 'refund',
  title: '退款时效',
  body: '您好 {{customer.name}}，订单 {{order.number}} 的退款已受理。',
  intents: ['refund_request'],
  compliance: true,
  locale: 'zh-CN',
};

describe.each(testBackends)('reply templates on %s', (backend) => {
  let tdb: TestDatabase;
  let db: Database;
  const newId = createIdGenerator(systemClock);
  const at = () => new Date().toISOString();
  const workspaces: string[] = [];
  const owners: string[] = [];
  const store = (i: number): WorkspaceStore => db.forWorkspace(workspaces[i]!);

  beforeAll(async () => {
    tdb = await createTestDatabase(backend);
    db = openDatabase({ url: tdb.url, newId });
    await db.migrate();
    for (const slug of ['pa', 'pb']) {
      const id = newId();
      const owner = newId();
      workspaces.push(id);
      owners.push(owner);
      await db.directory.seedWorkspace({
        workspace: { id, slug, name: slug, locale: 'zh-CN', createdAt: at() },
        owner: {
          id: owner,
          workspaceId: id,
          email: `${slug}@x.test`,
          name: `店长${slug}`,
          role: 'owner',
          createdAt: at(),
          passwordHash: 'x',
        },
        inboxes: [
          {
            id: `inbox-${slug}`,
            workspaceId: id,
            name: 'web',
            channel: 'widget',
            widgetToken: `token-${id}`,
            allowedOrigins: [],
            webhookUrl: null,
            webhookSecret: null,
            greeting: null,
            createdAt: at(),
          },
        ],
        faqs: [],
      });
    }
  });
  afterAll(async () => {
    await db?.close();
    await tdb?.drop();
  });

  const save = (s: WorkspaceStore, id: string | null, template: ReplyTemplateInput) =>
    saveReplyTemplate({ store: s, newId, at: at() }, { id, template, userId: null });

  it('keeps shortcuts unique among live templates, scoped to the workspace', async () => {
    const a = store(0);
    const b = store(1);
    const created = await save(a, null, refund);
    if (!created.ok) throw new Error('not created');
    expect(created.template).toMatchObject({
      shortcut: 'refund',
      compliance: true,
      intents: ['refund_request'],
    });

    // The same shortcut again is refused at its field; the other workspace may use it.
    const again = await save(a, null, { ...refund, title: 'x' });
    expect(again).toEqual({ ok: false, problems: [expect.objectContaining({ path: 'shortcut' })] });
    expect((await save(b, null, refund)).ok).toBe(true);
    // The repository itself refuses a duplicate insert (a racing writer) without throwing.
    expect(
      await a.replyTemplates.create({
        ...refund,
        id: newId(),
        createdBy: null,
        createdAt: at(),
        updatedAt: at(),
      }),
    ).toBeNull();

    // Another workspace cannot read, edit or archive it.
    expect(await b.replyTemplates.get(created.template.id)).toBeNull();
    expect(await save(b, created.template.id, { ...refund, title: 'hijack' })).toEqual({
      ok: false,
      notFound: true,
    });
    expect(await b.replyTemplates.archive(created.template.id, at())).toBeNull();
    expect((await a.replyTemplates.get(created.template.id))?.title).toBe('退款时效');

    // Renaming onto a live shortcut is refused; archiving frees the shortcut.
    const thanks = await save(a, null, { ...refund, shortcut: 'thanks', compliance: false, intents: [] });
    if (!thanks.ok) throw new Error('not created');
    expect(await a.replyTemplates.update(thanks.template.id, { ...refund }, at())).toBe('shortcut_taken');
    expect((await a.replyTemplates.archive(created.template.id, at()))?.archivedAt).not.toBeNull();
    expect(await a.replyTemplates.archive(created.template.id, at())).toBeNull();
    const reused = await save(a, thanks.template.id, { ...refund, title: '改名' });
    expect(reused.ok && reused.template.shortcut).toBe('refund');
    expect((await a.replyTemplates.list()).map((t) => t.title)).toEqual(['改名']);
    expect(await a.replyTemplates.list({ includeArchived: true })).toHaveLength(2);
    expect(await save(a, created.template.id, refund)).toEqual({ ok: false, notFound: true });
  });

  it('seeds a template’s replies once and swaps unedited ones on a template switch', async () => {
    const a = store(1);
    const seed = (templateId: string, shortcuts: string[]) =>
      seedTemplateReplies(
        { store: a, newId },
        {
          templateId,
          locale: 'zh-CN',
          replies: {
            replies: shortcuts.map((shortcut) => ({
              shortcut,
              title: { 'zh-CN': `${templateId} ${shortcut}`, 'en-US': shortcut },
              body: { 'zh-CN': '您好', 'en-US': 'Hello' },
              intents: [],
              compliance: false,
            })),
          },
          at: at(),
        },
      );
    // workspace b holds an own `refund` already (previous test): the template's is skipped, not duplicated.
    expect(await seed('retail', ['refund', 'hello', 'ship'])).toBe(true);
    expect(await seed('retail', ['refund', 'hello', 'ship'])).toBe(false);
    let list = await a.replyTemplates.list();
    expect(list.map((t) => [t.shortcut, t.source])).toEqual([
      ['hello', 'retail/zh-CN'],
      ['refund', null],
      ['ship', 'retail/zh-CN'],
    ]);
    // An edited seeded reply becomes the shop's; an archived one is not brought back by a re-seed.
    const hello = list.find((t) => t.shortcut === 'hello')!;
    const edited = await a.replyTemplates.update(hello.id, { ...hello, body: '您好呀' }, at());
    expect(edited !== 'not_found' && edited !== 'shortcut_taken' && edited.source).toBeNull();

    expect(await seed('beauty', ['hello', 'book'])).toBe(true);
    list = await a.replyTemplates.list({ includeArchived: true });
    expect(list.map((t) => [t.shortcut, t.source])).toEqual([
      ['book', 'beauty/zh-CN'],
      ['hello', null],
      ['refund', null],
    ]);
  });

  it('builds the reply context from the bot’s dialogue and the orders table', async () => {
    const a = store(0);
    const customer = await a.customers.create({
      id: newId(),
      name: '王小明',
      email: null,
      phone: '13800138000',
      identity: {
        kind: 'phone',
        value: normaliseIdentity('phone', '13800138000'),
        verified: true,
        source: null,
      },
      createdAt: at(),
    });
    if (!customer) throw new Error('no customer');
    const conversationId = newId();
    await a.conversations.create({
      id: conversationId,
      workspaceId: workspaces[0]!,
      inboxId: 'inbox-pa',
      customerId: customer.id,
      channel: 'widget',
      status: 'open',
      priority: 'normal',
      tags: [],
      assigneeId: null,
      handedOff: true,
      botActive: false,
      queueId: null,
      priorityScore: 0,
      waitingSince: null,
      routing: null,
      createdAt: at(),
      updatedAt: at(),
    });
    for (const [number, phone] of [
      ['OLD1', '13800138000'],
      ['OTHER', '13900139000'],
    ] as const)
      await a.orders.upsert(
        { number, status: '已发货', carrier: '顺丰', trackingNumber: 'SF1', phone, items: [], total: '9.90' },
        at(),
      );
    const deps = {
      store: a,
      findOrder: (n: string) => a.orders.get(n),
      shopVariables: async () => ({ 'shop.name': '演示小店' }),
    };
    // No order number in the dialogue: the customer's latest order by phone.
    let context = await buildReplyContext(deps, { conversationId, agentId: owners[0]! });
    expect(context?.order).toMatchObject({ number: 'OLD1', source: 'latest' });
    expect(context?.agent?.name).toBe('店长pa');
    // The number the customer gave the bot wins; unknown to the shop, only the number fills.
    await a.botStates.save({
      conversationId,
      state: { version: 1, memory: { order_number: 'NEW9' }, pending: null },
      lastMessageId: 'm1',
      expectedLastMessageId: null,
      at: at(),
    });
    context = await buildReplyContext(deps, { conversationId, agentId: null });
    expect(context?.order).toMatchObject({ number: 'NEW9', status: null, source: 'dialogue' });
    expect(fillReplyVariables(`${refund.body}{{order.status}}{{shop.name}}`, context!)).toEqual({
      text: '您好 {{customer.name}}，订单 NEW9 的退款已受理。{{order.status}}演示小店',
      missing: ['order.status'],
      deferred: ['customer.name'],
    });
    expect(context?.customer?.name).toBe('王小明');
    // Another workspace's conversation is not found.
    expect(
      await buildReplyContext({ ...deps, store: store(1) }, { conversationId, agentId: null }),
    ).toBeNull();
  });
});
