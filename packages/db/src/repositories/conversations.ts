import type {
  ChannelType,
  Conversation,
  ConversationStatus,
  ConversationSummary,
  MessageAuthor,
  Priority,
  RoutingRecord,
  WorkspaceRepositories,
} from '@zhike/core';
import type { Selectable } from 'kysely';
import { openNullable, type PersonalDataCodec } from '../personalData.ts';
import type { ConversationsTable } from '../schema.ts';
import { F } from './customers.ts';
import { MESSAGE_TEXT_FIELD } from './messages.ts';
import { parseList, type Scope } from './scope.ts';

const toConversation = (row: Selectable<ConversationsTable>): Conversation => ({
  id: row.id,
  workspaceId: row.workspaceId,
  inboxId: row.inboxId,
  customerId: row.customerId,
  channel: row.channel as ChannelType,
  status: row.status as ConversationStatus,
  priority: row.priority as Priority,
  tags: parseList<string>(row.tags),
  assigneeId: row.assigneeId,
  handedOff: row.handedOff === 1,
  botActive: row.botActive === 1,
  queueId: row.queueId,
  priorityScore: row.priorityScore,
  waitingSince: row.waitingSince,
  routing: row.routing ? (JSON.parse(row.routing) as RoutingRecord) : null,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

export function conversationsRepository(s: Scope): WorkspaceRepositories['conversations'] {
  const scoped = () => s.db.selectFrom('conversations').selectAll().where('workspaceId', '=', s.workspaceId);

  const summaries = () =>
    s.db
      .selectFrom('conversations as c')
      .innerJoin('customers as cu', 'cu.id', 'c.customerId')
      .leftJoin('users as u', 'u.id', 'c.assigneeId')
      .selectAll('c')
      .select(['cu.name as customerName', 'cu.phone as customerPhone', 'u.name as assigneeName'])
      .select((eb) => {
        const last = () =>
          eb
            .selectFrom('messages as m')
            .whereRef('m.conversationId', '=', 'c.id')
            .orderBy('m.createdAt', 'desc')
            .orderBy('m.id', 'desc')
            .limit(1);
        return [
          eb
            .selectFrom('customerIdentities as ci')
            .select('ci.sealedValue')
            .whereRef('ci.customerId', '=', 'c.customerId')
            .whereRef('ci.workspaceId', '=', 'c.workspaceId')
            .where('ci.kind', '=', 'external')
            .orderBy('ci.createdAt')
            .limit(1)
            .as('customerExternalId'),
          last().select('m.author').as('lastAuthor'),
          last().select('m.text').as('lastText'),
          last().select('m.createdAt').as('lastAt'),
        ];
      })
      .where('c.workspaceId', '=', s.workspaceId);

  type SummaryRow = Awaited<ReturnType<ReturnType<typeof summaries>['executeTakeFirstOrThrow']>>;
  const toSummary = (codec: PersonalDataCodec, row: SummaryRow): ConversationSummary => ({
    ...toConversation(row),
    customerName: openNullable(codec, row.customerName, F.name),
    customerExternalId: openNullable(codec, row.customerExternalId, F.identity),
    customerPhone: openNullable(codec, row.customerPhone, F.phone),
    assigneeName: row.assigneeName ?? null,
    lastMessage:
      row.lastAuthor && row.lastText !== null && row.lastAt
        ? {
            author: row.lastAuthor as MessageAuthor,
            text: codec.open(row.lastText, MESSAGE_TEXT_FIELD),
            createdAt: row.lastAt,
          }
        : null,
  });

  return {
    async get(id) {
      const row = await scoped().where('id', '=', id).executeTakeFirst();
      return row ? toConversation(row) : null;
    },
    async summary(id) {
      const row = await summaries().where('c.id', '=', id).executeTakeFirst();
      return row ? toSummary(await s.customerCodec(row.customerId), row) : null;
    },
    async list(filter) {
      let q = summaries();
      if (filter.assigneeId === null) q = q.where('c.assigneeId', 'is', null);
      else if (filter.assigneeId !== undefined) q = q.where('c.assigneeId', '=', filter.assigneeId);
      if (filter.status) q = q.where('c.status', '=', filter.status);
      const after = filter.after;
      if (after) {
        q = q.where((eb) =>
          eb.or([
            eb('c.updatedAt', '<', after.updatedAt),
            eb.and([eb('c.updatedAt', '=', after.updatedAt), eb('c.id', '<', after.id)]),
          ]),
        );
      }
      const rows = await q
        .orderBy('c.updatedAt', 'desc')
        .orderBy('c.id', 'desc')
        .limit(filter.limit)
        .execute();
      // Names and last messages are sealed with each customer's own key (see customers.ts).
      const codecs = new Map<string, Promise<PersonalDataCodec>>();
      const codecOf = (customerId: string) => {
        let codec = codecs.get(customerId);
        if (!codec) {
          codec = s.customerCodec(customerId);
          codecs.set(customerId, codec);
        }
        return codec;
      };
      return Promise.all(rows.map(async (r) => toSummary(await codecOf(r.customerId), r)));
    },
    async findActive(customerId, inboxId) {
      const row = await scoped()
        .where('customerId', '=', customerId)
        .where('inboxId', '=', inboxId)
        .where('status', '!=', 'resolved')
        .orderBy('createdAt', 'desc')
        .orderBy('id', 'desc')
        .executeTakeFirst();
      return row ? toConversation(row) : null;
    },
    async latest(customerId, inboxId) {
      const row = await scoped()
        .where('customerId', '=', customerId)
        .where('inboxId', '=', inboxId)
        .orderBy('createdAt', 'desc')
        .orderBy('id', 'desc')
        .executeTakeFirst();
      return row ? toConversation(row) : null;
    },
    async listByCustomer(customerId) {
      const rows = await scoped()
        .where('customerId', '=', customerId)
        .orderBy('createdAt')
        .orderBy('id')
        .execute();
      return rows.map(toConversation);
    },
    async create(c) {
      await s.db
        .insertInto('conversations')
        .values({
          id: c.id,
          workspaceId: s.workspaceId,
          inboxId: c.inboxId,
          customerId: c.customerId,
          channel: c.channel,
          status: c.status,
          priority: c.priority,
          tags: JSON.stringify(c.tags),
          assigneeId: c.assigneeId,
          handedOff: c.handedOff ? 1 : 0,
          botActive: c.botActive ? 1 : 0,
          queueId: c.queueId,
          priorityScore: c.priorityScore,
          waitingSince: c.waitingSince,
          routing: c.routing ? JSON.stringify(c.routing) : null,
          createdAt: c.createdAt,
          updatedAt: c.updatedAt,
        })
        .execute();
    },
    async update(id, patch) {
      const values: Partial<Selectable<ConversationsTable>> = {};
      if (patch.status !== undefined) values.status = patch.status;
      if (patch.priority !== undefined) values.priority = patch.priority;
      if (patch.tags !== undefined) values.tags = JSON.stringify(patch.tags);
      if (patch.assigneeId !== undefined) values.assigneeId = patch.assigneeId;
      if (patch.handedOff !== undefined) values.handedOff = patch.handedOff ? 1 : 0;
      if (patch.botActive !== undefined) values.botActive = patch.botActive ? 1 : 0;
      if (patch.queueId !== undefined) values.queueId = patch.queueId;
      if (patch.priorityScore !== undefined) values.priorityScore = patch.priorityScore;
      if (patch.waitingSince !== undefined) values.waitingSince = patch.waitingSince;
      if (patch.routing !== undefined) values.routing = patch.routing ? JSON.stringify(patch.routing) : null;
      if (patch.updatedAt !== undefined) values.updatedAt = patch.updatedAt;
      if (Object.keys(values).length === 0) return;
      await s.db
        .updateTable('conversations')
        .set(values)
        .where('workspaceId', '=', s.workspaceId)
        .where('id', '=', id)
        .execute();
    },
  };
}
