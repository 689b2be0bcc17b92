// Data-subject rights over the workspace's tables: consent history, retention policy, a customer's export
// and erasure, transcript purges. Erasure deletes rows here; the customer's keys go afterwards
// (crypto-shredding, see personalData.ts), so copies of their rows in backups can no longer be opened.
import type {
  AuditEntrySummary,
  CallbackTask,
  ConsentPurpose,
  ConsentStatus,
  Conversation,
  CustomerExport,
  ErasureCounts,
  Message,
  RetentionPolicy,
  WorkspaceRepositories,
} from '@zhike/core';
import { keepEverything } from '@zhike/core';
import { type ExpressionBuilder, sql } from 'kysely';
import type { DB } from '../schema.ts';
import { assistRepository } from './assist.ts';
import { attachmentsRepository, toAttachmentMetadata } from './attachments.ts';
import { conversationsRepository } from './conversations.ts';
import { customerNotesRepository } from './customer360.ts';
import { customersRepository } from './customers.ts';
import { toMessage } from './messages.ts';
import type { Scope } from './scope.ts';
import { toTicket, toTicketEntry } from './tickets.ts';

// Column names bound into sealed values by repositories/bot.ts.
const BOT_FIELDS = {
  callbackPhone: 'callbacks.phone',
  callbackNote: 'callbacks.note',
} as const;

/** Tables added by later migrations that hold rows derived from a customer (by customer_id). */
const OPTIONAL_CUSTOMER_TABLES = ['bot_turns', 'conversation_offers', 'queue_waits'] as const;

async function tableExists(s: Scope, table: string): Promise<boolean> {
  const result =
    s.dialect === 'postgres'
      ? await sql<{ found: string | null }>`select to_regclass(${table})::text as found`.execute(s.db)
      : await sql<{
          found: string | null;
        }>`select name as found from sqlite_master where type = 'table' and name = ${table}`.execute(s.db);
  return result.rows.some((r) => r.found !== null);
}

const count = (result: { numDeletedRows: bigint } | undefined): number => Number(result?.numDeletedRows ?? 0);

export function privacyRepository(s: Scope): WorkspaceRepositories['privacy'] {
  const customerConversations = (customerId: string) =>
    s.db
      .selectFrom('conversations')
      .select('id')
      .where('workspaceId', '=', s.workspaceId)
      .where('customerId', '=', customerId)
      .orderBy('createdAt')
      .execute()
      .then((rows) => rows.map((r) => r.id));

  const consents = async (customerId: string) => {
    const rows = await s.db
      .selectFrom('customerConsents')
      .selectAll()
      .where('workspaceId', '=', s.workspaceId)
      .where('customerId', '=', customerId)
      .orderBy('at')
      .orderBy('id')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      customerId: r.customerId,
      purpose: r.purpose as ConsentPurpose,
      status: r.status as ConsentStatus,
      source: r.source,
      recordedBy: r.recordedBy,
      at: r.at,
    }));
  };

  const purgedAt = async (conversationId: string) =>
    (
      await s.db
        .selectFrom('conversationPurges')
        .select('purgedAt')
        .where('workspaceId', '=', s.workspaceId)
        .where('conversationId', '=', conversationId)
        .executeTakeFirst()
    )?.purgedAt ?? null;

  return {
    consents,
    purgedAt,

    async recordConsent(record) {
      await s.db
        .insertInto('customerConsents')
        .values({ ...record, workspaceId: s.workspaceId })
        .execute();
    },

    async retention(): Promise<RetentionPolicy> {
      const row = await s.db
        .selectFrom('retentionPolicies')
        .selectAll()
        .where('workspaceId', '=', s.workspaceId)
        .executeTakeFirst();
      if (!row) return keepEverything;
      const days = (v: number | null) => (v === null ? null : Number(v));
      return {
        transcriptsDays: days(row.transcriptsDays),
        recordingsDays: days(row.recordingsDays),
        attachmentsDays: days(row.attachmentsDays),
        updatedAt: row.updatedAt,
      };
    },

    async setRetention(policy, at) {
      const values = { ...policy, updatedAt: at };
      await s.db
        .insertInto('retentionPolicies')
        .values({ workspaceId: s.workspaceId, ...values })
        .onConflict((oc) => oc.column('workspaceId').doUpdateSet(values))
        .execute();
      return values;
    },

    async exportCustomer(customerId): Promise<CustomerExport | null> {
      const customer = await customersRepository(s).get(customerId);
      if (!customer) return null;
      const codec = await s.customerCodec(customerId);
      const conversationIds = await customerConversations(customerId);
      const conversationRepo = conversationsRepository(s);
      const conversations: CustomerExport['conversations'] = [];
      for (const id of conversationIds) {
        const conversation: Conversation | null = await conversationRepo.get(id);
        if (!conversation) continue;
        const rows = await s.db
          .selectFrom('messages')
          .selectAll()
          .where('workspaceId', '=', s.workspaceId)
          .where('conversationId', '=', id)
          .orderBy('createdAt')
          .orderBy('id')
          .execute();
        const messages: Message[] = rows.map((r) => toMessage(codec, r));
        conversations.push({
          ...conversation,
          messages,
          purgedAt: await purgedAt(id),
          rating: await assistRepository(s).rating(id),
        });
      }
      const ticketRows = await s.db
        .selectFrom('tickets')
        .selectAll()
        .where('workspaceId', '=', s.workspaceId)
        .where('customerId', '=', customerId)
        .orderBy('createdAt')
        .execute();
      const tickets = ticketRows.map((r) => toTicket(codec, r));
      const ticketEntries = (
        await s.db
          .selectFrom('ticketEntries')
          .selectAll()
          .where('workspaceId', '=', s.workspaceId)
          .where('ticketId', 'in', tickets.length > 0 ? tickets.map((t) => t.id) : [''])
          .orderBy('createdAt')
          .orderBy('id')
          .execute()
      ).map((r) => toTicketEntry(codec, r));
      const callbackRows = await s.db
        .selectFrom('callbacks')
        .selectAll()
        .where('workspaceId', '=', s.workspaceId)
        .where('customerId', '=', customerId)
        .orderBy('createdAt')
        .execute();
      const callbacks: CallbackTask[] = callbackRows.map((r) => ({
        id: r.id,
        number: r.number,
        phone: codec.open(r.phone, BOT_FIELDS.callbackPhone),
        note: codec.open(r.note, BOT_FIELDS.callbackNote),
        status: 'open',
        conversationId: r.conversationId,
        customerId: r.customerId,
        createdAt: r.createdAt,
      }));
      const attachmentRows = await s.db
        .selectFrom('attachments')
        .selectAll()
        .where('workspaceId', '=', s.workspaceId)
        .where('customerId', '=', customerId)
        .orderBy('createdAt')
        .execute();
      const targets = [customerId, ...conversationIds];
      const auditRows = await s.db
        .selectFrom('auditLog')
        .select(['at', 'action', 'actorType', 'actorId', 'targetType', 'targetId', 'details'])
        .where('workspaceId', '=', s.workspaceId)
        .where('targetId', 'in', targets)
        .orderBy('seq')
        .execute();
      const audit: AuditEntrySummary[] = auditRows.map((r) => ({
        ...r,
        details: JSON.parse(r.details) as Record<string, unknown>,
      }));
      return {
        customer,
        conversations,
        tickets,
        ticketEntries,
        callbacks,
        consents: await consents(customerId),
        attachments: attachmentRows.map((r) => toAttachmentMetadata(codec, r)),
        notes: await customerNotesRepository(s).list(customerId, Number.MAX_SAFE_INTEGER),
        audit,
      };
    },

    async deleteCustomerData(customerId) {
      const exists = await s.db
        .selectFrom('customers')
        .select('id')
        .where('workspaceId', '=', s.workspaceId)
        .where('id', '=', customerId)
        .executeTakeFirst();
      if (!exists) return null;
      // A message arriving for them meanwhile waits on this lock (receiveCustomerMessage takes it too),
      // then finds no customer and makes a new one, instead of writing into rows being deleted.
      await customersRepository(s).lock(customerId);
      const conversationIds = await customerConversations(customerId);
      const attachmentIds = (
        await s.db
          .selectFrom('attachments')
          .select('id')
          .where('workspaceId', '=', s.workspaceId)
          .where('customerId', '=', customerId)
          .execute()
      ).map((r) => r.id);
      const counts: ErasureCounts = {};
      const ws = s.workspaceId;
      const inConversations = conversationIds.length > 0 ? conversationIds : [''];
      // Deliveries of their messages and their email thread references (migration 0017).
      counts.messageDeliveries = count(
        await s.db
          .deleteFrom('messageDeliveries')
          .where('workspaceId', '=', ws)
          .where('messageId', 'in', (eb) =>
            eb
              .selectFrom('messages')
              .select('id')
              .where('workspaceId', '=', ws)
              .where('conversationId', 'in', inConversations),
          )
          .executeTakeFirst(),
      );
      counts.channelThreads = count(
        await s.db
          .deleteFrom('channelThreads')
          .where('workspaceId', '=', ws)
          .where('conversationId', 'in', inConversations)
          .executeTakeFirst(),
      );
      counts.messages = count(
        await s.db
          .deleteFrom('messages')
          .where('workspaceId', '=', ws)
          .where('conversationId', 'in', inConversations)
          .executeTakeFirst(),
      );
      // What agents did with suggestions in these conversations (migration 0019).
      counts.suggestionFeedback = count(
        await s.db
          .deleteFrom('suggestionFeedback')
          .where('workspaceId', '=', ws)
          .where('conversationId', 'in', inConversations)
          .executeTakeFirst(),
      );
      counts.botStates = count(
        await s.db
          .deleteFrom('botStates')
          .where('workspaceId', '=', ws)
          .where('conversationId', 'in', inConversations)
          .executeTakeFirst(),
      );
      // Tickets and call-backs are matched by customer and by conversation: either link may be set. A
      // ticket's timeline, watchers and file links go with it (the files themselves are the customer's
      // attachments, deleted with them).
      const theirTickets = (eb: ExpressionBuilder<DB, 'tickets'>) =>
        eb.or([eb('customerId', '=', customerId), eb('conversationId', 'in', inConversations)]);
      for (const table of ['ticketEntries', 'ticketWatchers', 'ticketAttachments'] as const)
        counts[table] = count(
          await s.db
            .deleteFrom(table)
            .where('workspaceId', '=', ws)
            .where('ticketId', 'in', (eb) =>
              eb.selectFrom('tickets').select('id').where('workspaceId', '=', ws).where(theirTickets),
            )
            .executeTakeFirst(),
        );
      for (const table of ['tickets', 'callbacks'] as const)
        counts[table] = count(
          await s.db
            .deleteFrom(table)
            .where('workspaceId', '=', ws)
            .where((eb) =>
              eb.or([eb('customerId', '=', customerId), eb('conversationId', 'in', inConversations)]),
            )
            .executeTakeFirst(),
        );
      for (const table of OPTIONAL_CUSTOMER_TABLES)
        if (await tableExists(s, table)) {
          const result =
            await sql`delete from ${sql.table(table)} where workspace_id = ${ws} and customer_id = ${customerId}`.execute(
              s.db,
            );
          counts[table] = Number(result.numAffectedRows ?? 0);
        }
      // Agent notes (deleted ones too: their rows still name the customer) and stored hand-off cards.
      counts.customerNotes = count(
        await s.db
          .deleteFrom('customerNotes')
          .where('workspaceId', '=', ws)
          .where('customerId', '=', customerId)
          .executeTakeFirst(),
      );
      counts.handoffCards = count(
        await s.db
          .deleteFrom('handoffCards')
          .where('workspaceId', '=', ws)
          .where((eb) =>
            eb.or([eb('customerId', '=', customerId), eb('conversationId', 'in', inConversations)]),
          )
          .executeTakeFirst(),
      );
      counts.attachments = count(
        await s.db
          .deleteFrom('attachments')
          .where('workspaceId', '=', ws)
          .where('customerId', '=', customerId)
          .executeTakeFirst(),
      );
      counts.consents = count(
        await s.db
          .deleteFrom('customerConsents')
          .where('workspaceId', '=', ws)
          .where('customerId', '=', customerId)
          .executeTakeFirst(),
      );
      counts.conversationPurges = count(
        await s.db
          .deleteFrom('conversationPurges')
          .where('workspaceId', '=', ws)
          .where('conversationId', 'in', inConversations)
          .executeTakeFirst(),
      );
      counts.conversations = count(
        await s.db
          .deleteFrom('conversations')
          .where('workspaceId', '=', ws)
          .where('customerId', '=', customerId)
          .executeTakeFirst(),
      );
      // The blind-index rows: without them the same phone or visitor is a new customer next time.
      counts.identities = count(
        await s.db
          .deleteFrom('customerIdentities')
          .where('workspaceId', '=', ws)
          .where('customerId', '=', customerId)
          .executeTakeFirst(),
      );
      counts.customers = count(
        await s.db
          .deleteFrom('customers')
          .where('workspaceId', '=', ws)
          .where('id', '=', customerId)
          .executeTakeFirst(),
      );
      return { counts, attachmentIds, conversationIds };
    },

    shredCustomerKeys: (customerId) => s.destroyCustomerKeys(customerId),

    async purgeTranscripts(before, at) {
      // The bot's memory of a conversation (phones, order numbers it was told) ages like the transcript.
      await s.db
        .deleteFrom('botStates')
        .where('workspaceId', '=', s.workspaceId)
        .where('updatedAt', '<', before)
        .execute();
      // So do hand-off cards: they quote the customer.
      await s.db
        .deleteFrom('handoffCards')
        .where('workspaceId', '=', s.workspaceId)
        .where('computedAt', '<', before)
        .execute();
      const touched = await s.db
        .selectFrom('messages')
        .select(['conversationId'])
        .select((eb) => eb.fn.countAll().as('n'))
        .where('workspaceId', '=', s.workspaceId)
        .where('createdAt', '<', before)
        .groupBy('conversationId')
        .execute();
      if (touched.length === 0) return { messages: 0, conversations: 0 };
      const deleted = count(
        await s.db
          .deleteFrom('messages')
          .where('workspaceId', '=', s.workspaceId)
          .where('createdAt', '<', before)
          .executeTakeFirst(),
      );
      for (const { conversationId, n } of touched) {
        await s.db
          .insertInto('conversationPurges')
          .values({ workspaceId: s.workspaceId, conversationId, messagesPurged: Number(n), purgedAt: at })
          .onConflict((oc) =>
            oc.columns(['workspaceId', 'conversationId']).doUpdateSet((eb) => ({
              messagesPurged: eb('conversationPurges.messagesPurged', '+', Number(n)),
              purgedAt: at,
            })),
          )
          .execute();
      }
      return { messages: deleted, conversations: touched.length };
    },
  };
}

export { attachmentsRepository };
