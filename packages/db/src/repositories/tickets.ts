// Tickets of one workspace (migrations 0003 and 0024): the ticket row, its timeline entries, watchers,
// attachment links, custom field definitions, assignment rules and settings. Personal text is sealed with
// the customer's own key (the workspace's when the ticket has no customer), bound to its column.
import {
  type CustomFieldValue,
  defaultTicketSettings,
  type Ticket,
  type TicketAssignmentRule,
  type TicketEntry,
  type TicketFieldDefinition,
  type TicketsRepository,
} from '@zhike/core';
import type { Selectable } from 'kysely';
import { isUniqueViolation } from '../connect.ts';
import { openNullable, type PersonalDataCodec, sealNullable } from '../personalData.ts';
import type { TicketsTable } from '../schema.ts';
import { createNumbered } from './bot.ts';
import { parseList, type Scope } from './scope.ts';
import type { TicketEntriesTable } from './ticketTables.ts';

export const TICKET_SEALED_FIELDS = {
  fields: 'tickets.fields',
  subject: 'tickets.subject',
  description: 'tickets.description',
  customFields: 'tickets.custom_fields',
  entryBody: 'ticket_entries.body',
} as const;

const ACTIVE = ['new', 'open', 'pending'] as const;

/** A ticket's personal data is sealed with its customer's key, else the workspace's. */
export const ticketCodec = (s: Scope, customerId: string | null): Promise<PersonalDataCodec> =>
  customerId ? s.customerCodec(customerId) : s.codec();

export const toTicket = (codec: PersonalDataCodec, row: Selectable<TicketsTable>): Ticket => ({
  id: row.id,
  number: row.number,
  type: row.type,
  category: row.category,
  // 0003 rows have no subject (stored as plain '').
  subject: row.subject === '' ? '' : codec.open(row.subject, TICKET_SEALED_FIELDS.subject),
  description: openNullable(codec, row.description, TICKET_SEALED_FIELDS.description),
  fields: JSON.parse(codec.open(row.fields, TICKET_SEALED_FIELDS.fields)) as Record<string, string>,
  customFields:
    row.customFields === null
      ? {}
      : (JSON.parse(codec.open(row.customFields, TICKET_SEALED_FIELDS.customFields)) as Record<
          string,
          CustomFieldValue
        >),
  status: row.status as Ticket['status'],
  pendingReason: row.pendingReason as Ticket['pendingReason'],
  priority: row.priority as Ticket['priority'],
  source: row.source as Ticket['source'],
  conversationId: row.conversationId,
  customerId: row.customerId,
  assigneeId: row.assigneeId,
  queueId: row.queueId,
  orderNumbers: parseList<string>(row.orderNumbers),
  mergedIntoId: row.mergedIntoId,
  createdBy: row.createdBy,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt ?? row.createdAt,
  solvedAt: row.solvedAt,
  closedAt: row.closedAt,
});

export const toTicketEntry = (
  codec: PersonalDataCodec,
  row: Selectable<TicketEntriesTable>,
): TicketEntry => ({
  id: row.id,
  ticketId: row.ticketId,
  kind: row.kind as TicketEntry['kind'],
  authorType: row.authorType as TicketEntry['authorType'],
  authorId: row.authorId,
  body: openNullable(codec, row.body, TICKET_SEALED_FIELDS.entryBody),
  data: JSON.parse(row.data) as Record<string, unknown>,
  mentions: parseList<string>(row.mentions),
  messageId: row.messageId,
  createdAt: row.createdAt,
});

export function ticketsRepository(s: Scope): TicketsRepository {
  const ws = s.workspaceId;
  const rows = () => s.db.selectFrom('tickets').selectAll().where('workspaceId', '=', ws);
  const open = async (row: Selectable<TicketsTable> | undefined) =>
    row ? toTicket(await ticketCodec(s, row.customerId), row) : null;
  const openAll = (list: Selectable<TicketsTable>[]) =>
    Promise.all(list.map(async (r) => toTicket(await ticketCodec(s, r.customerId), r)));
  const load = async (where: { id?: string; sourceKey?: string }) => {
    let q = rows();
    if (where.id) q = q.where('id', '=', where.id);
    if (where.sourceKey) q = q.where('sourceKey', '=', where.sourceKey);
    return open(await q.executeTakeFirst());
  };
  const customerOf = async (ticketId: string) =>
    (
      await s.db
        .selectFrom('tickets')
        .select('customerId')
        .where('workspaceId', '=', ws)
        .where('id', '=', ticketId)
        .executeTakeFirst()
    )?.customerId ?? null;

  return {
    async create(input) {
      const codec = await ticketCodec(s, input.customerId);
      const subject = input.subject?.trim() || input.type;
      return createNumbered(
        s,
        'tickets',
        'T',
        input,
        async (id, number) => {
          const row = await s.db
            .insertInto('tickets')
            .values({
              id,
              workspaceId: ws,
              number,
              type: input.type,
              fields: codec.seal(JSON.stringify(input.fields), TICKET_SEALED_FIELDS.fields),
              status: input.status ?? 'new',
              conversationId: input.conversationId,
              customerId: input.customerId,
              sourceKey: input.sourceKey,
              createdAt: input.createdAt,
              subject: codec.seal(subject, TICKET_SEALED_FIELDS.subject),
              description: sealNullable(codec, input.description ?? null, TICKET_SEALED_FIELDS.description),
              category: input.category ?? null,
              priority: input.priority ?? 'normal',
              source: input.source ?? 'bot',
              assigneeId: input.assigneeId ?? null,
              queueId: input.queueId ?? null,
              customFields: codec.seal(
                JSON.stringify(input.customFields ?? {}),
                TICKET_SEALED_FIELDS.customFields,
              ),
              orderNumbers: JSON.stringify(input.orderNumbers ?? []),
              createdBy: input.createdBy ?? null,
              updatedAt: input.createdAt,
            })
            .onConflict((oc) => oc.doNothing())
            .returning('id')
            .executeTakeFirst();
          return row !== undefined;
        },
        load,
      );
    },
    get: (id) => load({ id }),
    findBySourceKey: (sourceKey) => load({ sourceKey }),
    async getByNumber(number) {
      return open(await rows().where('number', '=', number.trim().toUpperCase()).executeTakeFirst());
    },
    async list(filter) {
      let q = rows();
      if (filter.status?.length) q = q.where('status', 'in', filter.status);
      if (filter.priority) q = q.where('priority', '=', filter.priority);
      if (filter.assigneeId === null) q = q.where('assigneeId', 'is', null);
      else if (filter.assigneeId) q = q.where('assigneeId', '=', filter.assigneeId);
      if (filter.queueId) q = q.where('queueId', '=', filter.queueId);
      if (filter.category) q = q.where('category', '=', filter.category);
      if (filter.type) q = q.where('type', '=', filter.type);
      if (filter.customerId) q = q.where('customerId', '=', filter.customerId);
      if (filter.conversationId) q = q.where('conversationId', '=', filter.conversationId);
      if (filter.mergedIntoId) q = q.where('mergedIntoId', '=', filter.mergedIntoId);
      if (filter.before) {
        const cursor = await s.db
          .selectFrom('tickets')
          .select(['id', 'updatedAt'])
          .where('workspaceId', '=', ws)
          .where('id', '=', filter.before)
          .executeTakeFirst();
        if (cursor?.updatedAt) {
          const at = cursor.updatedAt;
          q = q.where((eb) =>
            eb.or([eb('updatedAt', '<', at), eb.and([eb('updatedAt', '=', at), eb('id', '<', cursor.id)])]),
          );
        }
      }
      return openAll(
        await q.orderBy('updatedAt', 'desc').orderBy('id', 'desc').limit(filter.limit).execute(),
      );
    },
    async forCustomer(customerId, limit) {
      return openAll(
        await rows()
          .where('customerId', '=', customerId)
          .orderBy('createdAt', 'desc')
          .orderBy('number', 'desc')
          .limit(limit)
          .execute(),
      );
    },
    async update(id, patch, expectedStatus) {
      const { subject, customFields, orderNumbers, ...plain } = patch;
      const sealed: Partial<Record<'subject' | 'customFields' | 'orderNumbers', string>> = {};
      if (subject !== undefined || customFields !== undefined) {
        const codec = await ticketCodec(s, await customerOf(id));
        if (subject !== undefined) sealed.subject = codec.seal(subject, TICKET_SEALED_FIELDS.subject);
        if (customFields !== undefined)
          sealed.customFields = codec.seal(JSON.stringify(customFields), TICKET_SEALED_FIELDS.customFields);
      }
      if (orderNumbers !== undefined) sealed.orderNumbers = JSON.stringify(orderNumbers);
      let q = s.db
        .updateTable('tickets')
        .set({ ...plain, ...sealed })
        .where('workspaceId', '=', ws)
        .where('id', '=', id);
      if (expectedStatus) q = q.where('status', '=', expectedStatus);
      return Number((await q.executeTakeFirst()).numUpdatedRows) > 0;
    },
    async markNotified(id, status) {
      const result = await s.db
        .updateTable('tickets')
        .set({ notifiedStatus: status })
        .where('workspaceId', '=', ws)
        .where('id', '=', id)
        .where((eb) => eb.or([eb('notifiedStatus', 'is', null), eb('notifiedStatus', '!=', status)]))
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
    async addEntry(entry) {
      const codec = await ticketCodec(s, await customerOf(entry.ticketId));
      const bySource = async () =>
        entry.sourceKey
          ? s.db
              .selectFrom('ticketEntries')
              .selectAll()
              .where('workspaceId', '=', ws)
              .where('sourceKey', '=', entry.sourceKey)
              .executeTakeFirst()
          : undefined;
      const existing = await bySource();
      if (existing) return toTicketEntry(codec, existing);
      const inserted = await s.db
        .insertInto('ticketEntries')
        .values({
          id: entry.id,
          workspaceId: ws,
          ticketId: entry.ticketId,
          kind: entry.kind,
          authorType: entry.authorType,
          authorId: entry.authorId,
          body: sealNullable(codec, entry.body, TICKET_SEALED_FIELDS.entryBody),
          data: JSON.stringify(entry.data),
          mentions: JSON.stringify(entry.mentions),
          messageId: entry.messageId,
          sourceKey: entry.sourceKey,
          createdAt: entry.createdAt,
        })
        .onConflict((oc) => oc.doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!inserted) {
        const raced = await bySource();
        if (raced) return toTicketEntry(codec, raced);
        throw new Error('ticket entry not written');
      }
      const { sourceKey: _key, ...rest } = entry;
      return rest;
    },
    async entries(ticketId) {
      const codec = await ticketCodec(s, await customerOf(ticketId));
      const list = await s.db
        .selectFrom('ticketEntries')
        .selectAll()
        .where('workspaceId', '=', ws)
        .where('ticketId', '=', ticketId)
        .orderBy('createdAt')
        .orderBy('id')
        .execute();
      return list.map((r) => toTicketEntry(codec, r));
    },
    async mentionsOf(userId, limit) {
      // Mentions are a JSON list per entry: the LIKE narrows the rows on both backends, the parsed list
      // decides (a LIKE wildcard in an id can only widen the first step).
      const rowsFound = await s.db
        .selectFrom('ticketEntries as e')
        .innerJoin('tickets as t', (j) =>
          j.onRef('t.id', '=', 'e.ticketId').onRef('t.workspaceId', '=', 'e.workspaceId'),
        )
        .selectAll('e')
        .select([
          't.number as ticketNumber',
          't.subject as ticketSubject',
          't.status as ticketStatus',
          't.customerId',
        ])
        .where('e.workspaceId', '=', ws)
        .where('e.mentions', 'like', `%"${userId}"%`)
        .orderBy('e.createdAt', 'desc')
        .orderBy('e.id', 'desc')
        .limit(limit)
        .execute();
      const found = [];
      for (const r of rowsFound) {
        const { ticketNumber, ticketSubject, ticketStatus, customerId, ...row } = r;
        if (!parseList<string>(row.mentions).includes(userId)) continue;
        const codec = await ticketCodec(s, customerId);
        found.push({
          entry: toTicketEntry(codec, row),
          ticket: {
            id: row.ticketId,
            number: ticketNumber,
            subject: ticketSubject === '' ? '' : codec.open(ticketSubject, TICKET_SEALED_FIELDS.subject),
            status: ticketStatus as Ticket['status'],
          },
        });
      }
      return found;
    },
    async activeLoad(userIds) {
      const load: Record<string, number> = Object.fromEntries(userIds.map((id) => [id, 0]));
      if (userIds.length === 0) return load;
      const counts = await s.db
        .selectFrom('tickets')
        .select(['assigneeId', (eb) => eb.fn.countAll<number | string>().as('n')])
        .where('workspaceId', '=', ws)
        .where('assigneeId', 'in', userIds)
        .where('status', 'in', ACTIVE)
        .groupBy('assigneeId')
        .execute();
      for (const c of counts) if (c.assigneeId) load[c.assigneeId] = Number(c.n);
      return load;
    },
    async solved({ limit, excludeId }) {
      let q = rows().where('status', 'in', ['solved', 'closed']).where('mergedIntoId', 'is', null);
      if (excludeId) q = q.where('id', '!=', excludeId);
      return openAll(await q.orderBy('solvedAt', 'desc').orderBy('id', 'desc').limit(limit).execute());
    },
    watchers: {
      async add(ticketId, userId, at) {
        const row = await s.db
          .insertInto('ticketWatchers')
          .values({ workspaceId: ws, ticketId, userId, createdAt: at })
          .onConflict((oc) => oc.doNothing())
          .returning('userId')
          .executeTakeFirst();
        return row !== undefined;
      },
      async remove(ticketId, userId) {
        const result = await s.db
          .deleteFrom('ticketWatchers')
          .where('workspaceId', '=', ws)
          .where('ticketId', '=', ticketId)
          .where('userId', '=', userId)
          .executeTakeFirst();
        return Number(result.numDeletedRows) > 0;
      },
      async list(ticketId) {
        const list = await s.db
          .selectFrom('ticketWatchers')
          .select('userId')
          .where('workspaceId', '=', ws)
          .where('ticketId', '=', ticketId)
          .orderBy('createdAt')
          .execute();
        return list.map((r) => r.userId);
      },
    },
    attachments: {
      async link(ticketId, attachmentId, addedBy, at) {
        const row = await s.db
          .insertInto('ticketAttachments')
          .values({ workspaceId: ws, ticketId, attachmentId, addedBy, createdAt: at })
          .onConflict((oc) => oc.doNothing())
          .returning('attachmentId')
          .executeTakeFirst();
        return row !== undefined;
      },
      async list(ticketId) {
        const list = await s.db
          .selectFrom('ticketAttachments')
          .select('attachmentId')
          .where('workspaceId', '=', ws)
          .where('ticketId', '=', ticketId)
          .orderBy('createdAt')
          .execute();
        return list.map((r) => r.attachmentId);
      },
    },
    fieldDefinitions: {
      async list() {
        const list = await s.db
          .selectFrom('ticketFieldDefinitions')
          .selectAll()
          .where('workspaceId', '=', ws)
          .orderBy('position')
          .orderBy('createdAt')
          .execute();
        return list.map(
          (r): TicketFieldDefinition => ({
            id: r.id,
            key: r.key,
            label: r.label,
            labelEn: r.labelEn,
            kind: r.kind as TicketFieldDefinition['kind'],
            options: parseList<string>(r.options),
            required: r.required === 1,
            position: r.position,
            archived: r.archived === 1,
            createdAt: r.createdAt,
          }),
        );
      },
      async save(d) {
        const values = {
          key: d.key,
          label: d.label,
          labelEn: d.labelEn,
          kind: d.kind,
          options: JSON.stringify(d.options),
          required: d.required ? 1 : 0,
          position: d.position,
          archived: d.archived ? 1 : 0,
        };
        try {
          await s.db
            .insertInto('ticketFieldDefinitions')
            .values({ id: d.id, workspaceId: ws, createdAt: d.createdAt, ...values })
            .onConflict((oc) =>
              oc.column('id').doUpdateSet(values).where('ticketFieldDefinitions.workspaceId', '=', ws),
            )
            .execute();
          return true;
        } catch (error) {
          if (isUniqueViolation(error)) return false;
          throw error;
        }
      },
    },
    assignmentRules: {
      async list() {
        const list = await s.db
          .selectFrom('ticketAssignmentRules')
          .selectAll()
          .where('workspaceId', '=', ws)
          .orderBy('position')
          .orderBy('createdAt')
          .execute();
        return list.map(
          (r): TicketAssignmentRule => ({
            id: r.id,
            name: r.name,
            position: r.position,
            enabled: r.enabled === 1,
            category: r.category,
            type: r.type,
            priority: r.priority as TicketAssignmentRule['priority'],
            queueId: r.queueId,
            userId: r.userId,
            skills: parseList<string>(r.skills),
            createdAt: r.createdAt,
          }),
        );
      },
      async save(rule) {
        const values = {
          name: rule.name,
          position: rule.position,
          enabled: rule.enabled ? 1 : 0,
          category: rule.category,
          type: rule.type,
          priority: rule.priority,
          queueId: rule.queueId,
          userId: rule.userId,
          skills: JSON.stringify(rule.skills),
        };
        await s.db
          .insertInto('ticketAssignmentRules')
          .values({ id: rule.id, workspaceId: ws, createdAt: rule.createdAt, ...values })
          .onConflict((oc) =>
            oc.column('id').doUpdateSet(values).where('ticketAssignmentRules.workspaceId', '=', ws),
          )
          .execute();
      },
      async remove(id) {
        const result = await s.db
          .deleteFrom('ticketAssignmentRules')
          .where('workspaceId', '=', ws)
          .where('id', '=', id)
          .executeTakeFirst();
        return Number(result.numDeletedRows) > 0;
      },
    },
    settings: {
      async get() {
        const row = await s.db
          .selectFrom('ticketSettings')
          .selectAll()
          .where('workspaceId', '=', ws)
          .executeTakeFirst();
        if (!row) return { ...defaultTicketSettings };
        return {
          reopenDays: row.reopenDays,
          notifyCustomer: row.notifyCustomer === 1,
          closeDays: row.closeDays,
        };
      },
      async save(settings, at) {
        const values = {
          reopenDays: settings.reopenDays,
          notifyCustomer: settings.notifyCustomer ? 1 : 0,
          closeDays: settings.closeDays,
          updatedAt: at,
        };
        await s.db
          .insertInto('ticketSettings')
          .values({ workspaceId: ws, ...values })
          .onConflict((oc) => oc.column('workspaceId').doUpdateSet(values))
          .execute();
      },
    },
  };
}
