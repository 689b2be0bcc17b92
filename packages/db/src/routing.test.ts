// The routing repositories on both backends: rules in order, scoped to their workspace; a template's
// default rules seeded once and replaced on a template switch while the owner's own and edited rules
// stay; tier settings; customer profiles with their tier and the phone keys orders are matched by.
import {
  changeTierSettings,
  createIdGenerator,
  defaultTierSettings,
  profilesFromOrders,
  type RoutingRuleInput,
  seedTemplateRules,
  setCustomerProfile,
  systemClock,
  type TemplateRouting,
  type WorkspaceStore,
} from '@zhike/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from './database.ts';
import { createTestDatabase, type TestDatabase, testBackends } from './testing.ts';

const template = (suffix: string): TemplateRouting => ({
  rules: [
    {
      name: { 'zh-CN': `投诉${suffix}`, 'en-US': `Complaint${suffix}` },
      conditions: [{ field: 'handoff_reason', values: ['complaint'] }],
      actions: { target: { kind: 'queue', queue: 'complaints' }, priority: 'high', tags: [], notify: null },
    },
    {
      name: { 'zh-CN': `VIP${suffix}`, 'en-US': `VIP${suffix}` },
      conditions: [{ field: 'tier', values: ['vip'] }],
      actions: { target: { kind: 'bot' }, priority: 'high', tags: [], notify: null },
    },
  ],
});

const ownRule: RoutingRuleInput = {
  name: '英文转人工',
  enabled: true,
  conditions: [{ field: 'language', values: ['en'] }],
  actions: { target: { kind: 'queue', queueId: 'general' }, priority: null, tags: ['english'], notify: null },
};

describe.each(testBackends)('routing repositories on %s', (backend) => {
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
    for (const slug of ['ra', 'rb']) {
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

  it('seeds a template once, keeps the owner’s rules on a switch, orders and scopes rules', async () => {
    const a = store(0);
    const queueIdFor = async (key: string) => `queue-${key}`;
    const seed = (templateId: string, suffix: string) =>
      seedTemplateRules(
        { store: a, newId },
        { templateId, locale: 'zh-CN', routing: template(suffix), queueIdFor, at: at() },
      );
    expect(await seed('retail', '')).toBe(true);
    expect(await seed('retail', '')).toBe(false);
    let rules = await a.routing.listRules();
    expect(rules.map((r) => r.name)).toEqual(['投诉', 'VIP']);
    expect(rules[0]?.actions.target).toEqual({ kind: 'queue', queueId: 'queue-complaints' });
    expect(rules.every((r) => r.origin === 'template')).toBe(true);

    const own = await a.routing.createRule({
      ...ownRule,
      id: newId(),
      origin: 'owner',
      createdAt: at(),
      updatedAt: at(),
    });
    // Editing a template rule makes it the owner's.
    const edited = await a.routing.updateRule(rules[1]!.id, { ...rules[1]!, name: 'VIP 改过' }, at());
    expect(edited?.origin).toBe('owner');

    expect(await seed('beauty', ' B')).toBe(true);
    rules = await a.routing.listRules();
    expect(rules.map((r) => r.name)).toEqual(['VIP 改过', '英文转人工', '投诉 B', 'VIP B']);
    expect((await a.routing.settings()).seededTemplate).toBe('beauty/zh-CN');

    const reversed = rules.map((r) => r.id).reverse();
    expect(await a.routing.reorder(reversed, at())).toBe(true);
    expect((await a.routing.listRules()).map((r) => r.id)).toEqual(reversed);
    expect(await a.routing.reorder(reversed.slice(1), at())).toBe(false);
    expect(await a.routing.reorder([...reversed.slice(1), reversed[1]!], at())).toBe(false);

    // Another workspace sees, edits and deletes none of it.
    const b = store(1);
    expect(await b.routing.listRules()).toEqual([]);
    expect(await b.routing.getRule(own.id)).toBeNull();
    expect(await b.routing.updateRule(own.id, ownRule, at())).toBeNull();
    expect(await b.routing.deleteRule(own.id)).toBe(false);
    expect(await b.routing.reorder([own.id], at())).toBe(false);
    expect(await a.routing.deleteRule(own.id)).toBe(true);
    expect(await a.routing.getRule(own.id)).toBeNull();
  });

  it('stores profiles with their tier, re-tiers on new thresholds, and sums orders by phone', async () => {
    const a = store(0);
    const customerId = newId();
    await a.customers.create({
      id: customerId,
      name: null,
      email: null,
      phone: '13800138000',
      identity: { kind: 'external', value: 'crm-1', verified: true, source: 'api' },
      createdAt: at(),
    });
    expect(await a.customerProfiles.get(customerId)).toMatchObject({
      tier: 'new',
      updatedAt: null,
      tags: [],
    });
    const saved = await setCustomerProfile(a, {
      customerId,
      profile: { memberLevel: ' 金卡 ', lifetimeSpendFen: 1000, orderCount: 1, tags: ['a', 'a', ' '] },
      tiers: defaultTierSettings,
      at: at(),
    });
    expect(saved).toMatchObject({ memberLevel: '金卡', tags: ['a'], tier: 'vip' });
    expect(await a.customerProfiles.get(customerId)).toMatchObject({ memberLevel: '金卡', tier: 'vip' });
    expect(await store(1).customerProfiles.get(customerId)).toBeNull();
    expect(
      await setCustomerProfile(store(1), {
        customerId,
        profile: { memberLevel: null, lifetimeSpendFen: 0, orderCount: 0, tags: [] },
        tiers: defaultTierSettings,
        at: at(),
      }),
    ).toBeNull();

    await a.transaction((tx) =>
      changeTierSettings(tx, { tiers: { ...defaultTierSettings, vipMemberLevels: ['钻石'] }, at: at() }),
    );
    expect((await a.customerProfiles.get(customerId))?.tier).toBe('regular');

    // The customer's profile phone is sealed; its blind index matches the orders' phones.
    await a.orders.upsert(
      {
        number: 'R1',
        status: '已签收',
        carrier: null,
        trackingNumber: null,
        phone: '+86 138-0013-8000',
        items: [],
        total: '5000.00',
      },
      at(),
    );
    await a.orders.upsert(
      {
        number: 'R2',
        status: '已发货',
        carrier: null,
        trackingNumber: null,
        phone: '13800138000',
        items: [],
        total: '12.5',
      },
      at(),
    );
    await a.orders.upsert(
      {
        number: 'R3',
        status: '已发货',
        carrier: null,
        trackingNumber: null,
        phone: '13900000000',
        items: [],
        total: '1.00',
      },
      at(),
    );
    const result = await a.transaction((tx) =>
      profilesFromOrders({ store: tx, at: at() }, { maxOrders: 100 }),
    );
    expect(result).toEqual({ orders: 3, matchedOrders: 2, customers: 1 });
    expect(await a.customerProfiles.get(customerId)).toMatchObject({
      lifetimeSpendFen: 501_250,
      orderCount: 2,
      memberLevel: '金卡',
      tier: 'vip',
    });
  });
});
