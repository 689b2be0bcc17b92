// Omnichannel identity on both backends: one customer per verified identity across inboxes, suggestions
// for unproven matches, merges that move every row and re-seal it under the survivor's key (so the
// absorbed customer's key is gone and everything still opens), and a timeline across channels.
import {
  type Clock,
  createIdGenerator,
  dismissMergeSuggestion,
  type Inbox,
  mergeCustomers,
  type ReceiveCustomerMessageInput,
  receiveCustomerMessage,
  setCustomerProfile,
  systemClock,
  type UseCaseDeps,
} from '@zhike/core';
import { generateMasterKey, masterKey } from '@zhike/security';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, parseDatabaseUrl } from './connect.ts';
import { type Database, openDatabase } from './database.ts';
import type { SeedInbox } from './directory.ts';
import {
  LINKED_CUSTOMER_TABLES,
  MERGED_CUSTOMER_TABLES,
  tablesWithCustomerId,
} from './repositories/customerMerges.ts';
import { createTestDatabase, type TestDatabase, testBackends } from './testing.ts';

describe.each(testBackends)('customer identity on %s', (backend) => {
  let tdb: TestDatabase;
  let db: Database;
  let raw: ReturnType<typeof connect>;
  const newId = createIdGenerator(systemClock);
  const ws = newId();
  const widget = newId();
  const api = newId();
  // Messages a second apart, so the timeline order is the order they were sent in.
  let tick = Date.parse('2026-11-20T08:00:00Z');
  const clock: Clock = {
    now: () => {
      tick += 1000;
      return new Date(tick);
    },
  };
  const deps = (): UseCaseDeps => ({ store: db.forWorkspace(ws), clock, newId });
  const receive = (
    input: Omit<ReceiveCustomerMessageInput, 'idempotencyKey'> & { idempotencyKey?: string },
  ) => receiveCustomerMessage(deps(), { idempotencyKey: newId(), ...input });

  beforeAll(async () => {
    tdb = await createTestDatabase(backend);
    db = openDatabase({ url: tdb.url, newId, masterKeys: [masterKey(generateMasterKey())] });
    raw = connect(parseDatabaseUrl(tdb.url), { poolSize: 1 });
    await db.migrate();
    const now = new Date().toISOString();
    const inbox = (id: string, channel: Inbox['channel']): SeedInbox => ({
      id,
      workspaceId: ws,
      name: channel === 'widget' ? '官网' : '短信网关',
      channel,
      widgetToken: channel === 'widget' ? newId() : null,
      allowedOrigins: [],
      webhookUrl: null,
      webhookSecret: null,
      greeting: null,
      createdAt: now,
    });
    await db.directory.seedWorkspace({
      workspace: { id: ws, slug: `i${Date.now()}`, name: 'shop', locale: 'zh-CN', createdAt: now },
      owner: {
        id: newId(),
        workspaceId: ws,
        email: `o${ws}@x.test`,
        name: 'o',
        role: 'owner',
        createdAt: now,
        passwordHash: 'x',
      },
      inboxes: [inbox(widget, 'widget'), inbox(api, 'api')],
      faqs: [],
    });
  });
  afterAll(async () => {
    await raw.kysely.destroy();
    await db.close();
    await tdb.drop();
  });

  it('a phone verified on the widget brings a later message from that phone to the same customer', async () => {
    const visitor = newId();
    const first = await receive({
      inboxId: widget,
      identity: { kind: 'visitor', value: visitor, verified: true },
      extraIdentities: [{ kind: 'phone', value: '138 1234 5678', verified: true, source: 'widget' }],
      text: '我的快递到哪了',
    });
    const later = await receive({
      inboxId: api,
      identity: { kind: 'phone', value: '+86-138-1234-5678', verified: true },
      text: '还是没收到',
    });
    expect(later.conversation.customerId).toBe(first.conversation.customerId);
    expect(later.conversation.id).not.toBe(first.conversation.id);
    const customer = await db.forWorkspace(ws).customers.get(first.conversation.customerId);
    expect(customer?.identities).toEqual([
      { kind: 'visitor', value: visitor, verified: true, source: 'widget' },
      { kind: 'phone', value: '+8613812345678', verified: true, source: 'widget' },
    ]);
    const timeline = await db.forWorkspace(ws).messages.listForCustomer(customer?.id ?? '', { limit: 10 });
    expect(timeline.map((m) => [m.inboxId, m.text])).toEqual([
      [widget, '我的快递到哪了'],
      [api, '还是没收到'],
    ]);
    // Paged: after the first message only the second remains.
    const page = await db
      .forWorkspace(ws)
      .messages.listForCustomer(customer?.id ?? '', { after: timeline[0]?.id, limit: 10 });
    expect(page.map((m) => m.text)).toEqual(['还是没收到']);
  });

  it('an unverified phone that someone else holds yields one suggestion, and dismissing closes it', async () => {
    const owner = await receive({
      inboxId: api,
      identity: { kind: 'phone', value: '13900001111', verified: true },
      text: '我是老客户',
    });
    const typed = () =>
      receive({
        inboxId: widget,
        identity: { kind: 'visitor', value: 'typed-visitor', verified: true },
        extraIdentities: [{ kind: 'phone', value: '139 0000 1111', verified: false, source: 'profile' }],
        text: '我的手机号是 139 0000 1111',
      });
    const first = await typed();
    expect(first.conversation.customerId).not.toBe(owner.conversation.customerId);
    expect(first.events.filter((e) => e.name === 'customer.merge_suggested')).toHaveLength(1);
    const again = await typed();
    expect(again.events.filter((e) => e.name === 'customer.merge_suggested')).toHaveLength(0);
    const open = await db
      .forWorkspace(ws)
      .customerMerges.openSuggestions({ customerId: owner.conversation.customerId, limit: 10 });
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({
      customerId: first.conversation.customerId,
      candidateId: owner.conversation.customerId,
      identityKind: 'phone',
    });
    const dismissed = await dismissMergeSuggestion(deps(), { suggestionId: open[0]?.id ?? '', userId: 'u1' });
    expect(dismissed.status).toBe('dismissed');
    expect(await db.forWorkspace(ws).customerMerges.openSuggestions({ limit: 10 })).toHaveLength(0);
    await expect(
      dismissMergeSuggestion(deps(), { suggestionId: open[0]?.id ?? '', userId: 'u1' }),
    ).rejects.toMatchObject({ code: 'conflict' });
    // A dismissed pair is not suggested again.
    const third = await typed();
    expect(third.events.filter((e) => e.name === 'customer.merge_suggested')).toHaveLength(0);
  });

  it('an agent merge moves every row, re-seals it under the survivor key and shreds the absorbed key', async () => {
    const survivor = await receive({
      inboxId: api,
      identity: { kind: 'external', value: 'crm-7', verified: true },
      profile: { name: '王五' },
      text: '订单 A1001 什么时候发货',
    });
    const absorbed = await receive({
      inboxId: widget,
      identity: { kind: 'visitor', value: 'merge-visitor', verified: true },
      profile: { phone: '13711112222', email: 'Wang.Wu@Example.com' },
      extraIdentities: [{ kind: 'email', value: 'Wang.Wu@Example.com', verified: false }],
      text: '我想退货，地址是幸福路 8 号',
    });
    const store = db.forWorkspace(ws);
    const absorbedId = absorbed.conversation.customerId;
    const conversationId = absorbed.conversation.id;
    const at = clock.now().toISOString();
    await store.tickets.create({
      type: 'refund',
      fields: { reason: '尺码不合适' },
      conversationId,
      customerId: absorbedId,
      sourceKey: `t-${absorbedId}`,
      createdAt: at,
    });
    await store.callbacks.create({
      phone: '13711112222',
      note: '下午回电',
      conversationId,
      customerId: absorbedId,
      sourceKey: `c-${absorbedId}`,
      createdAt: at,
    });
    await store.botStates.save({
      conversationId,
      state: { memory: { phone: '13711112222' } },
      lastMessageId: absorbed.message.id,
      expectedLastMessageId: null,
      at,
    });
    await store.botTurns.record({
      conversationId,
      customerId: absorbedId,
      messageId: absorbed.message.id,
      channel: 'widget',
      question: '我想退货',
      outcome: 'answered',
      target: null,
      targetLabel: null,
      confidence: 0.9,
      handoffReason: null,
      handoffPriority: null,
      at,
    });
    await store.attachments.create({
      id: newId(),
      conversationId,
      customerId: absorbedId,
      messageId: null,
      uploadedBy: 'customer',
      name: '退货单.jpg',
      mimeType: 'image/jpeg',
      size: 10,
      fileKey: 'k'.repeat(43),
      createdAt: at,
    });
    // A survey comment is the customer's words, sealed with their key (migration 0019).
    await store.assist.rate(conversationId, { score: 5, comment: '王五很满意', ratedAt: at });
    await store.privacy.recordConsent({
      id: newId(),
      customerId: absorbedId,
      purpose: 'marketing_sms',
      status: 'granted',
      source: 'widget',
      recordedBy: 'customer',
      at,
    });

    const tiers = (await store.routing.settings()).tiers;
    await setCustomerProfile(store, {
      customerId: survivor.conversation.customerId,
      profile: { memberLevel: null, lifetimeSpendFen: 10_000, orderCount: 1, tags: ['老客'] },
      tiers,
      at,
    });
    await setCustomerProfile(store, {
      customerId: absorbedId,
      profile: { memberLevel: '金卡', lifetimeSpendFen: 25_000, orderCount: 2, tags: ['退货'] },
      tiers,
      at,
    });

    const keysBefore = await raw.kysely
      .selectFrom('workspaceKeys')
      .select('keyId')
      .where('subjectId', '=', absorbedId)
      .execute();
    expect(keysBefore.length).toBeGreaterThan(0);

    const result = await mergeCustomers(deps(), {
      survivorId: survivor.conversation.customerId,
      absorbedId,
      reason: 'agent',
      suggestionId: null,
      mergedBy: 'u1',
    });
    expect(result.merge.moved).toMatchObject({
      identities: 2,
      conversations: 1,
      messages: 1,
      botStates: 1,
      tickets: 1,
      callbacks: 1,
      attachments: 1,
      botTurns: 1,
      consents: 1,
    });
    expect(result.events).toMatchObject([
      { name: 'customer.merged', survivorId: survivor.conversation.customerId, absorbedId },
    ]);
    // The absorbed customer's key is gone…
    expect(
      await raw.kysely
        .selectFrom('workspaceKeys')
        .select('keyId')
        .where('subjectId', '=', absorbedId)
        .execute(),
    ).toEqual([]);

    // …and everything that was theirs still opens, now as the survivor's.
    const s = db.forWorkspace(ws);
    const merged = await s.customers.get(absorbedId);
    expect(merged?.id).toBe(survivor.conversation.customerId);
    expect(merged).toMatchObject({ name: '王五', phone: '13711112222', email: 'Wang.Wu@Example.com' });
    expect(merged?.identities.map((i) => [i.kind, i.value])).toEqual(
      expect.arrayContaining([
        ['external', 'crm-7'],
        ['visitor', 'merge-visitor'],
        ['email', 'wang.wu@example.com'],
      ]),
    );
    const exported = await s.privacy.exportCustomer(survivor.conversation.customerId);
    expect(exported?.conversations.flatMap((c) => c.messages.map((m) => m.text))).toEqual([
      '订单 A1001 什么时候发货',
      '我想退货，地址是幸福路 8 号',
    ]);
    expect(exported?.tickets[0]?.fields).toEqual({ reason: '尺码不合适' });
    expect(exported?.callbacks[0]).toMatchObject({ phone: '13711112222', note: '下午回电' });
    expect(exported?.attachments[0]?.name).toBe('退货单.jpg');
    expect(exported?.consents).toHaveLength(1);
    expect((await s.botStates.get(conversationId))?.state).toEqual({ memory: { phone: '13711112222' } });
    expect(await s.assist.rating(conversationId)).toEqual({ score: 5, comment: '王五很满意', ratedAt: at });
    expect(await s.conversations.listByCustomer(survivor.conversation.customerId)).toHaveLength(2);
    expect(await s.customerMerges.survivorOf(absorbedId)).toBe(survivor.conversation.customerId);
    // What the shop said about each record adds up on the survivor.
    expect(await s.customerProfiles.get(survivor.conversation.customerId)).toMatchObject({
      memberLevel: '金卡',
      lifetimeSpendFen: 35_000,
      orderCount: 3,
      tags: ['老客', '退货'],
    });
    // Merging again is refused: they are one customer now.
    await expect(
      mergeCustomers(deps(), {
        survivorId: survivor.conversation.customerId,
        absorbedId,
        reason: 'agent',
        suggestionId: null,
        mergedBy: 'u1',
      }),
    ).rejects.toMatchObject({ code: 'conflict' });
  });

  it('a verified identity held by another verified customer merges the two automatically', async () => {
    const holder = await receive({
      inboxId: api,
      identity: { kind: 'wechat', value: 'wx-app:oOPENID-1', verified: true },
      text: '公众号里问过一次',
    });
    const newcomer = await receive({
      inboxId: widget,
      identity: { kind: 'visitor', value: 'auto-visitor', verified: true },
      text: '你好',
    });
    expect(newcomer.conversation.customerId).not.toBe(holder.conversation.customerId);
    const proven = await receive({
      inboxId: widget,
      identity: { kind: 'visitor', value: 'auto-visitor', verified: true },
      extraIdentities: [{ kind: 'wechat', value: 'wx-app:oOPENID-1', verified: true }],
      text: '我就是公众号那位',
    });
    expect(proven.conversation.customerId).toBe(holder.conversation.customerId);
    // The same widget conversation continues, now under the holder.
    expect(proven.conversation.id).toBe(newcomer.conversation.id);
    expect(proven.events.map((e) => e.name)).toContain('customer.merged');
    const timeline = await db
      .forWorkspace(ws)
      .messages.listForCustomer(holder.conversation.customerId, { limit: 10 });
    expect(timeline.map((m) => m.text)).toEqual(['公众号里问过一次', '你好', '我就是公众号那位']);
  });

  it('two channels racing with one verified phone make one customer', async () => {
    const results = await Promise.all(
      [widget, api, widget, api].map((inboxId, i) =>
        receive({
          inboxId,
          identity: { kind: 'visitor', value: `race-${i}`, verified: true },
          extraIdentities: [{ kind: 'phone', value: '13655556666', verified: true }],
          text: `第 ${i} 条`,
        }),
      ),
    );
    const customers = new Set(
      await Promise.all(
        results.map(async (r) => (await db.forWorkspace(ws).customers.get(r.conversation.customerId))?.id),
      ),
    );
    expect(customers.size).toBe(1);
  });

  it('every table with a customer_id column is one the merge knows how to move', async () => {
    expect(await tablesWithCustomerId({ db: raw.kysely, dialect: raw.dialect })).toEqual(
      [...MERGED_CUSTOMER_TABLES, ...LINKED_CUSTOMER_TABLES].sort(),
    );
  });
});
