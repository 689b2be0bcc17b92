// Routing rules and tier settings, and customers' value profiles (issue 6), scoped to one workspace.
import {
  type CustomerProfilesRepository,
  defaultTierSettings,
  normaliseIdentity,
  type RoutingActions,
  type RoutingCondition,
  type RoutingRepository,
  type RoutingRule,
  type RoutingSettings,
  type StoredCustomerProfile,
  type TierSettings,
} from '@zhike/core';
import type { Selectable } from 'kysely';
import type { RoutingRulesTable } from '../schema.ts';
import { F } from './customers.ts';
import { parseList, type Scope } from './scope.ts';

const toRule = (r: Selectable<RoutingRulesTable>): RoutingRule => ({
  id: r.id,
  name: r.name,
  enabled: Number(r.enabled) === 1,
  conditions: parseList<RoutingCondition>(r.conditions),
  actions: JSON.parse(r.actions) as RoutingActions,
  origin: r.origin === 'template' ? 'template' : 'owner',
  position: Number(r.position),
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
});

/** Stored settings merged over the defaults, so a threshold added later has a value for old rows. */
const toSettings = (row: { tiers: string; seededTemplate: string | null; updatedAt: string } | undefined) =>
  ({
    tiers: row
      ? { ...defaultTierSettings, ...(JSON.parse(row.tiers) as Partial<TierSettings>) }
      : defaultTierSettings,
    seededTemplate: row?.seededTemplate ?? null,
    updatedAt: row?.updatedAt ?? null,
  }) satisfies RoutingSettings;

export function routingRepository(s: Scope): RoutingRepository {
  const rules = () => s.db.selectFrom('routingRules').selectAll().where('workspaceId', '=', s.workspaceId);
  const get = async (id: string) => {
    const row = await rules().where('id', '=', id).executeTakeFirst();
    return row ? toRule(row) : null;
  };
  const nextPosition = async () => {
    const row = await s.db
      .selectFrom('routingRules')
      .select((eb) => eb.fn.max('position').as('last'))
      .where('workspaceId', '=', s.workspaceId)
      .executeTakeFirst();
    return row?.last == null ? 0 : Number(row.last) + 1;
  };
  const insert = async (rule: Omit<RoutingRule, 'position'>, position: number) => {
    await s.db
      .insertInto('routingRules')
      .values({
        id: rule.id,
        workspaceId: s.workspaceId,
        position,
        name: rule.name,
        enabled: rule.enabled ? 1 : 0,
        conditions: JSON.stringify(rule.conditions),
        actions: JSON.stringify(rule.actions),
        origin: rule.origin,
        createdAt: rule.createdAt,
        updatedAt: rule.updatedAt,
      })
      .execute();
    return { ...rule, position };
  };
  const settingsRow = () =>
    s.db
      .selectFrom('routingSettings')
      .select(['tiers', 'seededTemplate', 'updatedAt'])
      .where('workspaceId', '=', s.workspaceId)
      .executeTakeFirst();
  const upsertSettings = async (values: { tiers?: string; seededTemplate?: string }, at: string) => {
    await s.db
      .insertInto('routingSettings')
      .values({
        workspaceId: s.workspaceId,
        tiers: values.tiers ?? JSON.stringify(defaultTierSettings),
        seededTemplate: values.seededTemplate ?? null,
        updatedAt: at,
      })
      .onConflict((oc) => oc.column('workspaceId').doUpdateSet({ ...values, updatedAt: at }))
      .execute();
  };

  return {
    async listRules() {
      return (await rules().orderBy('position').orderBy('id').execute()).map(toRule);
    },
    getRule: get,
    async createRule(rule) {
      return insert(rule, await nextPosition());
    },
    async updateRule(id, input, at) {
      const result = await s.db
        .updateTable('routingRules')
        .set({
          name: input.name,
          enabled: input.enabled ? 1 : 0,
          conditions: JSON.stringify(input.conditions),
          actions: JSON.stringify(input.actions),
          origin: 'owner',
          updatedAt: at,
        })
        .where('workspaceId', '=', s.workspaceId)
        .where('id', '=', id)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0 ? get(id) : null;
    },
    async deleteRule(id) {
      const result = await s.db
        .deleteFrom('routingRules')
        .where('workspaceId', '=', s.workspaceId)
        .where('id', '=', id)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
    async reorder(ids, at) {
      const existing = await rules().select('id').execute();
      const known = new Set(existing.map((r) => r.id));
      if (ids.length !== known.size || new Set(ids).size !== ids.length || ids.some((id) => !known.has(id)))
        return false;
      for (const [position, id] of ids.entries())
        await s.db
          .updateTable('routingRules')
          .set({ position, updatedAt: at })
          .where('workspaceId', '=', s.workspaceId)
          .where('id', '=', id)
          .execute();
      return true;
    },
    async settings() {
      return toSettings(await settingsRow());
    },
    async saveTierSettings(tiers, at) {
      await upsertSettings({ tiers: JSON.stringify(tiers) }, at);
      return toSettings(await settingsRow());
    },
    async seedTemplateRules(templateKey, seeded, at) {
      const current = await settingsRow();
      if (current?.seededTemplate === templateKey) return false;
      // The previous template's rules the owner never touched give way; the owner's stay ahead of the new ones.
      await s.db
        .deleteFrom('routingRules')
        .where('workspaceId', '=', s.workspaceId)
        .where('origin', '=', 'template')
        .execute();
      let position = await nextPosition();
      for (const rule of seeded) await insert(rule, position++);
      await upsertSettings({ seededTemplate: templateKey }, at);
      return true;
    },
  };
}

/** A phone as phone identities are keyed (normalised, then the blind index); null when it is no phone. */
function phoneLookup(codec: { lookup(value: string, kind?: 'phone'): string }, phone: string): string | null {
  try {
    return codec.lookup(normaliseIdentity('phone', phone), 'phone');
  } catch {
    return null;
  }
}

export function customerProfilesRepository(s: Scope): CustomerProfilesRepository {
  const columns = [
    'id',
    'memberLevel',
    'lifetimeSpendFen',
    'orderCount',
    'profileTags',
    'tier',
    'profileUpdatedAt',
  ] as const;
  const toProfile = (r: {
    memberLevel: string | null;
    lifetimeSpendFen: number;
    orderCount: number;
    profileTags: string;
    tier: string;
    profileUpdatedAt: string | null;
  }): StoredCustomerProfile => ({
    memberLevel: r.memberLevel,
    lifetimeSpendFen: Number(r.lifetimeSpendFen),
    orderCount: Number(r.orderCount),
    tags: parseList<string>(r.profileTags),
    tier: r.tier === 'vip' || r.tier === 'regular' ? r.tier : 'new',
    updatedAt: r.profileUpdatedAt,
  });
  return {
    async get(customerId) {
      const row = await s.db
        .selectFrom('customers')
        .select(columns)
        .where('workspaceId', '=', s.workspaceId)
        .where('id', '=', customerId)
        .executeTakeFirst();
      return row ? toProfile(row) : null;
    },
    async save(customerId, profile, at) {
      const result = await s.db
        .updateTable('customers')
        .set({
          memberLevel: profile.memberLevel,
          lifetimeSpendFen: Math.round(profile.lifetimeSpendFen),
          orderCount: Math.round(profile.orderCount),
          profileTags: JSON.stringify(profile.tags),
          tier: profile.tier,
          profileUpdatedAt: at,
        })
        .where('workspaceId', '=', s.workspaceId)
        .where('id', '=', customerId)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
    async phoneKeys() {
      const codec = await s.codec();
      const keys: { customerId: string; phoneKey: string }[] = [];
      // A phone identity already carries its blind index; a profile phone is opened and indexed here.
      const identities = await s.db
        .selectFrom('customerIdentities')
        .select(['customerId', 'value'])
        .where('workspaceId', '=', s.workspaceId)
        .where('kind', '=', 'phone')
        .execute();
      for (const i of identities) keys.push({ customerId: i.customerId, phoneKey: i.value });
      const rows = await s.db
        .selectFrom('customers')
        .select(['id', 'phone'])
        .where('workspaceId', '=', s.workspaceId)
        .where('phone', 'is not', null)
        .execute();
      for (const r of rows) {
        if (r.phone === null) continue;
        const phone = (await s.customerCodec(r.id)).open(r.phone, F.phone);
        const key = phoneLookup(codec, phone);
        if (key !== null) keys.push({ customerId: r.id, phoneKey: key });
      }
      return keys;
    },
    async phoneKey(phone) {
      return phoneLookup(await s.codec(), phone);
    },
    async all() {
      const rows = await s.db
        .selectFrom('customers')
        .select(columns)
        .where('workspaceId', '=', s.workspaceId)
        .orderBy('id')
        .execute();
      return rows.map((r) => ({ ...toProfile(r), customerId: r.id }));
    },
  };
}
