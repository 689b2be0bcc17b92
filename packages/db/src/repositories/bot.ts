// The bot's tables (migration 0003): orders, call-back tasks (tickets: tickets.ts), dialogue states and settings, each
// confined to the scope's workspace. Personal data is sealed, with the customer's own key where the row
// has a customer, and bound to its column.
import type { BotSettings, BusinessHours, CallbackTask, Order, WorkspaceRepositories } from '@zhike/core';
import type { Selectable } from 'kysely';
import { openNullable, type PersonalDataCodec, sealNullable } from '../personalData.ts';
import type { CallbacksTable, OrdersTable } from '../schema.ts';
import { parseList, type Scope } from './scope.ts';

export const BOT_SEALED_FIELDS = {
  orderPhone: 'orders.phone',
  ticketFields: 'tickets.fields',
  callbackPhone: 'callbacks.phone',
  callbackNote: 'callbacks.note',
  botState: 'bot_states.state',
} as const;

/**
 * Tickets, call-backs and dialogue state belong to a customer: sealed with their own key (erasing them
 * shreds these too), read back through it so this process holds the key. Rows without a customer use
 * the workspace's key.
 */
const codecOf = (s: Scope, customerId: string | null): Promise<PersonalDataCodec> =>
  customerId ? s.customerCodec(customerId) : s.codec();

const conversationCustomer = async (s: Scope, conversationId: string): Promise<string | null> =>
  (
    await s.db
      .selectFrom('conversations')
      .select('customerId')
      .where('workspaceId', '=', s.workspaceId)
      .where('id', '=', conversationId)
      .executeTakeFirst()
  )?.customerId ?? null;

export const normaliseOrderNumber = (number: string): string => number.trim().toUpperCase();

const toOrder = (codec: PersonalDataCodec, row: Selectable<OrdersTable>): Order => ({
  number: row.number,
  status: row.status,
  carrier: row.carrier,
  trackingNumber: row.trackingNumber,
  phone: openNullable(codec, row.phone, BOT_SEALED_FIELDS.orderPhone),
  items: parseList<Order['items'][number]>(row.items),
  total: row.total,
  couponCode: row.couponCode,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

export function ordersRepository(s: Scope): WorkspaceRepositories['orders'] {
  return {
    async get(number) {
      const row = await s.db
        .selectFrom('orders')
        .selectAll()
        .where('workspaceId', '=', s.workspaceId)
        .where('number', '=', normaliseOrderNumber(number))
        .executeTakeFirst();
      return row ? toOrder(await s.codec(), row) : null;
    },
    async list({ limit }) {
      const rows = await s.db
        .selectFrom('orders')
        .selectAll()
        .where('workspaceId', '=', s.workspaceId)
        .orderBy('updatedAt', 'desc')
        .orderBy('number', 'desc')
        .limit(limit)
        .execute();
      const codec = await s.codec();
      return rows.map((r) => toOrder(codec, r));
    },
    async upsert(order, at) {
      const codec = await s.codec();
      const fields = {
        status: order.status,
        carrier: order.carrier,
        trackingNumber: order.trackingNumber,
        phone: sealNullable(codec, order.phone, BOT_SEALED_FIELDS.orderPhone),
        items: JSON.stringify(order.items),
        total: order.total,
        // Callers that do not know the coupon (the CSV import, connectors) leave it as it was.
        ...(order.couponCode !== undefined
          ? { couponCode: order.couponCode?.trim().toUpperCase() || null }
          : {}),
        updatedAt: at,
      };
      const inserted = await s.db
        .insertInto('orders')
        .values({
          id: s.newId(),
          workspaceId: s.workspaceId,
          number: normaliseOrderNumber(order.number),
          createdAt: at,
          ...fields,
        })
        .onConflict((oc) => oc.columns(['workspaceId', 'number']).doNothing())
        .returning('id')
        .executeTakeFirst();
      if (inserted) return true;
      await s.db
        .updateTable('orders')
        .set(fields)
        .where('workspaceId', '=', s.workspaceId)
        .where('number', '=', normaliseOrderNumber(order.number))
        .execute();
      return false;
    },
  };
}

/** T/CB + the day (UTC+8, the shops' calendar) + a 5-digit per-workspace sequence for that day. */
async function nextNumber(
  s: Scope,
  table: 'tickets' | 'callbacks',
  prefix: string,
  createdAt: string,
): Promise<string> {
  const day = new Date(new Date(createdAt).getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
  const stem = `${prefix}${day.replaceAll('-', '')}`;
  const row = await s.db
    .selectFrom(table)
    .select((eb) => eb.fn.max('number').as('last'))
    .where('workspaceId', '=', s.workspaceId)
    .where('number', 'like', `${stem}%`)
    .executeTakeFirst();
  const last = row?.last ? Number(String(row.last).slice(stem.length)) : 0;
  return `${stem}${String(last + 1).padStart(5, '0')}`;
}

/**
 * Inserts with the next free number; a concurrent writer taking the same number means another try.
 * ON CONFLICT DO NOTHING keeps a PostgreSQL transaction usable; a source-key hit returns the existing row.
 */
export async function createNumbered<T>(
  s: Scope,
  table: 'tickets' | 'callbacks',
  prefix: string,
  input: { sourceKey: string | null; createdAt: string },
  insert: (id: string, number: string) => Promise<boolean>,
  load: (where: { id?: string; sourceKey?: string }) => Promise<T | null>,
): Promise<T> {
  for (let attempt = 0; attempt < 10; attempt++) {
    if (input.sourceKey) {
      const existing = await load({ sourceKey: input.sourceKey });
      if (existing) return existing;
    }
    const id = s.newId();
    if (await insert(id, await nextNumber(s, table, prefix, input.createdAt))) {
      const created = await load({ id });
      if (created) return created;
    }
  }
  throw new Error(`could not allocate a ${table} number`);
}

const toCallback = (codec: PersonalDataCodec, row: Selectable<CallbacksTable>): CallbackTask => ({
  id: row.id,
  number: row.number,
  phone: codec.open(row.phone, BOT_SEALED_FIELDS.callbackPhone),
  note: codec.open(row.note, BOT_SEALED_FIELDS.callbackNote),
  status: 'open',
  conversationId: row.conversationId,
  customerId: row.customerId,
  createdAt: row.createdAt,
});

export function callbacksRepository(s: Scope): WorkspaceRepositories['callbacks'] {
  const load = async (where: { id?: string; sourceKey?: string }) => {
    let q = s.db.selectFrom('callbacks').selectAll().where('workspaceId', '=', s.workspaceId);
    if (where.id) q = q.where('id', '=', where.id);
    if (where.sourceKey) q = q.where('sourceKey', '=', where.sourceKey);
    const row = await q.executeTakeFirst();
    return row ? toCallback(await codecOf(s, row.customerId), row) : null;
  };
  return {
    async create(input) {
      const codec = await codecOf(s, input.customerId);
      return createNumbered(
        s,
        'callbacks',
        'CB',
        input,
        async (id, number) => {
          const row = await s.db
            .insertInto('callbacks')
            .values({
              id,
              workspaceId: s.workspaceId,
              number,
              phone: codec.seal(input.phone, BOT_SEALED_FIELDS.callbackPhone),
              note: codec.seal(input.note, BOT_SEALED_FIELDS.callbackNote),
              status: 'open',
              conversationId: input.conversationId,
              customerId: input.customerId,
              sourceKey: input.sourceKey,
              createdAt: input.createdAt,
            })
            .onConflict((oc) => oc.doNothing())
            .returning('id')
            .executeTakeFirst();
          return row !== undefined;
        },
        load,
      );
    },
    async list({ limit }) {
      const rows = await s.db
        .selectFrom('callbacks')
        .selectAll()
        .where('workspaceId', '=', s.workspaceId)
        .orderBy('createdAt', 'desc')
        .orderBy('number', 'desc')
        .limit(limit)
        .execute();
      return Promise.all(rows.map(async (r) => toCallback(await codecOf(s, r.customerId), r)));
    },
  };
}

export function botStatesRepository(s: Scope): WorkspaceRepositories['botStates'] {
  return {
    async get(conversationId) {
      const row = await s.db
        .selectFrom('botStates')
        .select(['state', 'lastMessageId'])
        .where('workspaceId', '=', s.workspaceId)
        .where('conversationId', '=', conversationId)
        .executeTakeFirst();
      if (!row) return null;
      const codec = await codecOf(s, await conversationCustomer(s, conversationId));
      return {
        state: JSON.parse(codec.open(row.state, BOT_SEALED_FIELDS.botState)) as unknown,
        lastMessageId: row.lastMessageId,
      };
    },
    async save({ conversationId, state, lastMessageId, expectedLastMessageId, at }) {
      const codec = await codecOf(s, await conversationCustomer(s, conversationId));
      const sealed = codec.seal(JSON.stringify(state ?? null), BOT_SEALED_FIELDS.botState);
      // Compare-and-set: the row lock of the UPDATE (or the unique key of the INSERT) makes a concurrent
      // turn on the same conversation wait, then find the condition false instead of overwriting.
      if (expectedLastMessageId === null) {
        const row = await s.db
          .insertInto('botStates')
          .values({ workspaceId: s.workspaceId, conversationId, state: sealed, lastMessageId, updatedAt: at })
          .onConflict((oc) => oc.columns(['workspaceId', 'conversationId']).doNothing())
          .returning('conversationId')
          .executeTakeFirst();
        return row !== undefined;
      }
      const result = await s.db
        .updateTable('botStates')
        .set({ state: sealed, lastMessageId, updatedAt: at })
        .where('workspaceId', '=', s.workspaceId)
        .where('conversationId', '=', conversationId)
        .where('lastMessageId', '=', expectedLastMessageId)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
  };
}

export function botSettingsRepository(s: Scope): WorkspaceRepositories['botSettings'] {
  const get = async (): Promise<BotSettings | null> => {
    const row = await s.db
      .selectFrom('botSettings')
      .selectAll()
      .where('workspaceId', '=', s.workspaceId)
      .executeTakeFirst();
    if (!row) return null;
    return {
      templateId: row.templateId,
      variables: JSON.parse(row.variables) as Record<string, string>,
      businessHours: row.businessHours === null ? null : (JSON.parse(row.businessHours) as BusinessHours),
      orderNumberPattern: row.orderNumberPattern,
      version: row.version,
      updatedAt: row.updatedAt,
    };
  };
  return {
    get,
    async save(settings, at) {
      const previous = await get();
      const values = {
        templateId: settings.templateId,
        variables: JSON.stringify(settings.variables),
        businessHours: settings.businessHours === null ? null : JSON.stringify(settings.businessHours),
        orderNumberPattern: settings.orderNumberPattern,
        version: (previous?.version ?? 0) + 1,
        updatedAt: at,
      };
      await s.db
        .insertInto('botSettings')
        .values({ workspaceId: s.workspaceId, ...values })
        .onConflict((oc) => oc.column('workspaceId').doUpdateSet(values))
        .execute();
      return { ...settings, version: values.version, updatedAt: at };
    },
  };
}
