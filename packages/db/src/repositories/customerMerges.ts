// Merging two customer records into one (migration 0015) and the suggestions agents decide on. A merge
// re-seals every value of the absorbed customer with the survivor's key, so erasing the survivor later
// shreds all of it, and the absorbed customer's key can go at once.
import type { CustomerMergeSuggestion, IdentityKind, WorkspaceRepositories } from '@zhike/core';
import { type Selectable, sql } from 'kysely';
import type { PersonalDataCodec } from '../personalData.ts';
import type { CustomerMergeSuggestionsTable } from '../schema.ts';
import { CSAT_COMMENT_FIELD } from './assist.ts';
import { ATTACHMENT_FIELDS } from './attachments.ts';
import { BOT_SEALED_FIELDS } from './bot.ts';
import { QUESTION_FIELD } from './botTurns.ts';
import { ASSIST_FIELDS } from './customer360.ts';
import { F, survivorOf } from './customers.ts';
import { TRANSLATION_FIELD } from './languages.ts';
import { ATTACHMENTS_FIELD, MESSAGE_TEXT_FIELD } from './messages.ts';
import type { Scope } from './scope.ts';
import { TICKET_SEALED_FIELDS } from './tickets.ts';

/**
 * Every table with a customer_id column that a merge moves on purpose (re-sealing what it holds). A table
 * added later with a customer_id column is still moved (see `moveLinks`), and a test fails until it is
 * listed here, so whoever adds it decides whether its values need re-sealing.
 */
export const MERGED_CUSTOMER_TABLES = [
  'customer_identities',
  'conversations',
  'tickets',
  'callbacks',
  'attachments',
  'bot_turns',
  'customer_consents',
  'customer_merge_suggestions',
  'customer_notes',
  'handoff_cards',
] as const;

/**
 * Tables whose rows only link to the customer (ids, states, times; nothing sealed with the customer's
 * key): the generic move (`moveLinks`) is all they need. A call's parties and recording key are sealed
 * with the workspace key, so its row follows the customer without re-sealing.
 */
export const LINKED_CUSTOMER_TABLES = [
  'conversation_offers',
  'queue_waits',
  'calls',
  'campaign_targets',
  'surveys',
  'complaints',
  'outreach_recipients',
  // Quality results name the customer only to follow them; their evidence is places, not words.
  'quality_results',
] as const;

/** Tables (other than `customers`) that have a customer_id column, as the database itself reports. */
export async function tablesWithCustomerId(s: Pick<Scope, 'db' | 'dialect'>): Promise<string[]> {
  const result =
    s.dialect === 'postgres'
      ? await sql<{ name: string }>`select table_name as name from information_schema.columns
          where column_name = 'customer_id' and table_schema = current_schema()`.execute(s.db)
      : await sql<{ name: string }>`select m.name as name from sqlite_master m, pragma_table_info(m.name) p
          where m.type = 'table' and p.name = 'customer_id'`.execute(s.db);
  return [...new Set(result.rows.map((r) => r.name))].sort();
}

const toSuggestion = (r: Selectable<CustomerMergeSuggestionsTable>): CustomerMergeSuggestion => ({
  id: r.id,
  customerId: r.customerId,
  candidateId: r.candidateId,
  identityKind: r.identityKind as IdentityKind,
  status: r.status as CustomerMergeSuggestion['status'],
  createdAt: r.createdAt,
  resolvedAt: r.resolvedAt,
  resolvedBy: r.resolvedBy,
});

const pairKey = (a: string, b: string) => [a, b].sort().join(':');

export function customerMergesRepository(s: Scope): WorkspaceRepositories['customerMerges'] {
  const ws = s.workspaceId;
  const suggestions = () =>
    s.db.selectFrom('customerMergeSuggestions').selectAll().where('workspaceId', '=', ws);

  /** Moves the absorbed customer's rows and re-seals their values; returns rows moved per table. */
  async function moveRows(
    codec: PersonalDataCodec,
    survivorId: string,
    absorbedId: string,
  ): Promise<Record<string, number>> {
    // Any codec of the workspace opens values sealed with any of its keys; sealing uses the survivor's.
    const reseal = (stored: string, field: string) => codec.seal(codec.open(stored, field), field);
    const moved: Record<string, number> = {};

    const identities = await s.db
      .selectFrom('customerIdentities')
      .select(['id', 'sealedValue'])
      .where('workspaceId', '=', ws)
      .where('customerId', '=', absorbedId)
      .execute();
    for (const row of identities) {
      await s.db
        .updateTable('customerIdentities')
        .set({
          customerId: survivorId,
          sealedValue: row.sealedValue === null ? null : reseal(row.sealedValue, F.identity),
        })
        .where('workspaceId', '=', ws)
        .where('id', '=', row.id)
        .execute();
    }
    moved.identities = identities.length;

    const conversationIds = (
      await s.db
        .selectFrom('conversations')
        .select('id')
        .where('workspaceId', '=', ws)
        .where('customerId', '=', absorbedId)
        .execute()
    ).map((r) => r.id);
    moved.conversations = conversationIds.length;
    moved.messages = 0;
    moved.botStates = 0;
    if (conversationIds.length > 0) {
      await s.db
        .updateTable('conversations')
        .set({ customerId: survivorId })
        .where('workspaceId', '=', ws)
        .where('customerId', '=', absorbedId)
        .execute();
      // The survey comment is the customer's words, sealed with their key (migration 0019).
      const comments = await s.db
        .selectFrom('conversations')
        .select(['id', 'csatComment'])
        .where('workspaceId', '=', ws)
        .where('id', 'in', conversationIds)
        .where('csatComment', 'is not', null)
        .execute();
      for (const c of comments)
        await s.db
          .updateTable('conversations')
          .set({ csatComment: reseal(c.csatComment!, CSAT_COMMENT_FIELD) })
          .where('workspaceId', '=', ws)
          .where('id', '=', c.id)
          .execute();
      const messages = await s.db
        .selectFrom('messages')
        .select(['id', 'text', 'attachments', 'translation'])
        .where('workspaceId', '=', ws)
        .where('conversationId', 'in', conversationIds)
        .execute();
      for (const m of messages) {
        await s.db
          .updateTable('messages')
          .set({
            text: reseal(m.text, MESSAGE_TEXT_FIELD),
            // An empty list is stored as plain `[]` (nothing personal in it).
            attachments: m.attachments.startsWith('[')
              ? m.attachments
              : reseal(m.attachments, ATTACHMENTS_FIELD),
            translation: m.translation === null ? null : reseal(m.translation, TRANSLATION_FIELD),
          })
          .where('workspaceId', '=', ws)
          .where('id', '=', m.id)
          .execute();
      }
      moved.messages = messages.length;
      const states = await s.db
        .selectFrom('botStates')
        .select(['conversationId', 'state'])
        .where('workspaceId', '=', ws)
        .where('conversationId', 'in', conversationIds)
        .execute();
      for (const b of states) {
        await s.db
          .updateTable('botStates')
          .set({ state: reseal(b.state, BOT_SEALED_FIELDS.botState) })
          .where('workspaceId', '=', ws)
          .where('conversationId', '=', b.conversationId)
          .execute();
      }
      moved.botStates = states.length;
    }

    const tickets = await s.db
      .selectFrom('tickets')
      .select(['id', 'fields', 'subject', 'description', 'customFields'])
      .where('workspaceId', '=', ws)
      .where('customerId', '=', absorbedId)
      .execute();
    for (const t of tickets) {
      await s.db
        .updateTable('tickets')
        .set({
          customerId: survivorId,
          fields: reseal(t.fields, TICKET_SEALED_FIELDS.fields),
          // 0003 rows have a plain '' subject.
          subject: t.subject === '' ? '' : reseal(t.subject, TICKET_SEALED_FIELDS.subject),
          description:
            t.description === null ? null : reseal(t.description, TICKET_SEALED_FIELDS.description),
          customFields:
            t.customFields === null ? null : reseal(t.customFields, TICKET_SEALED_FIELDS.customFields),
        })
        .where('workspaceId', '=', ws)
        .where('id', '=', t.id)
        .execute();
      const entries = await s.db
        .selectFrom('ticketEntries')
        .select(['id', 'body'])
        .where('workspaceId', '=', ws)
        .where('ticketId', '=', t.id)
        .where('body', 'is not', null)
        .execute();
      for (const e of entries)
        await s.db
          .updateTable('ticketEntries')
          .set({ body: reseal(e.body as string, TICKET_SEALED_FIELDS.entryBody) })
          .where('workspaceId', '=', ws)
          .where('id', '=', e.id)
          .execute();
    }
    moved.tickets = tickets.length;

    const callbacks = await s.db
      .selectFrom('callbacks')
      .select(['id', 'phone', 'note'])
      .where('workspaceId', '=', ws)
      .where('customerId', '=', absorbedId)
      .execute();
    for (const c of callbacks) {
      await s.db
        .updateTable('callbacks')
        .set({
          customerId: survivorId,
          phone: reseal(c.phone, BOT_SEALED_FIELDS.callbackPhone),
          note: reseal(c.note, BOT_SEALED_FIELDS.callbackNote),
        })
        .where('workspaceId', '=', ws)
        .where('id', '=', c.id)
        .execute();
    }
    moved.callbacks = callbacks.length;

    const files = await s.db
      .selectFrom('attachments')
      .select(['id', 'name', 'fileKey'])
      .where('workspaceId', '=', ws)
      .where('customerId', '=', absorbedId)
      .execute();
    for (const f of files) {
      // The file's own key moves under the survivor's key; the bytes on disk stay as they are.
      await s.db
        .updateTable('attachments')
        .set({
          customerId: survivorId,
          name: reseal(f.name, ATTACHMENT_FIELDS.name),
          fileKey: reseal(f.fileKey, ATTACHMENT_FIELDS.fileKey),
        })
        .where('workspaceId', '=', ws)
        .where('id', '=', f.id)
        .execute();
    }
    moved.attachments = files.length;

    const turns = await s.db
      .selectFrom('botTurns')
      .select(['id', 'question'])
      .where('workspaceId', '=', ws)
      .where('customerId', '=', absorbedId)
      .execute();
    for (const t of turns) {
      await s.db
        .updateTable('botTurns')
        .set({ customerId: survivorId, question: reseal(t.question, QUESTION_FIELD) })
        .where('workspaceId', '=', ws)
        .where('id', '=', t.id)
        .execute();
    }
    moved.botTurns = turns.length;

    // Consent rows hold purposes and dates, nothing sealed: the history simply becomes the survivor's.
    const consents = await s.db
      .updateTable('customerConsents')
      .set({ customerId: survivorId })
      .where('workspaceId', '=', ws)
      .where('customerId', '=', absorbedId)
      .executeTakeFirst();
    moved.consents = Number(consents.numUpdatedRows);

    const notes = await s.db
      .selectFrom('customerNotes')
      .select(['id', 'body'])
      .where('workspaceId', '=', ws)
      .where('customerId', '=', absorbedId)
      .execute();
    for (const n of notes) {
      await s.db
        .updateTable('customerNotes')
        .set({
          customerId: survivorId,
          body: n.body === null ? null : reseal(n.body, ASSIST_FIELDS.noteBody),
        })
        .where('workspaceId', '=', ws)
        .where('id', '=', n.id)
        .execute();
    }
    moved.customerNotes = notes.length;

    const cards = await s.db
      .selectFrom('handoffCards')
      .select(['conversationId', 'card'])
      .where('workspaceId', '=', ws)
      .where('customerId', '=', absorbedId)
      .execute();
    for (const c of cards) {
      await s.db
        .updateTable('handoffCards')
        .set({ customerId: survivorId, card: reseal(c.card, ASSIST_FIELDS.handoffCard) })
        .where('workspaceId', '=', ws)
        .where('conversationId', '=', c.conversationId)
        .execute();
    }
    moved.handoffCards = cards.length;
    return moved;
  }

  /**
   * Link-only tables, and tables added after this file knew them: their customer_id follows the customer
   * (a value sealed in an unknown table stays under the old key; the guard test makes someone look).
   */
  async function moveLinks(survivorId: string, absorbedId: string, moved: Record<string, number>) {
    const listed = new Set<string>(MERGED_CUSTOMER_TABLES);
    for (const table of await tablesWithCustomerId(s)) {
      if (listed.has(table)) continue;
      const result = await sql`update ${sql.table(table)} set customer_id = ${survivorId}
        where workspace_id = ${ws} and customer_id = ${absorbedId}`.execute(s.db);
      moved[table] = Number(result.numAffectedRows ?? 0);
    }
  }

  /** Suggestions naming the absorbed customer now name the survivor; those between the two are done. */
  async function settleSuggestions(survivorId: string, absorbedId: string, by: string, at: string) {
    const rows = await suggestions()
      .where((eb) => eb.or([eb('customerId', '=', absorbedId), eb('candidateId', '=', absorbedId)]))
      .execute();
    for (const row of rows) {
      const other = row.customerId === absorbedId ? row.candidateId : row.customerId;
      if (other === survivorId) {
        if (row.status === 'open') {
          await s.db
            .updateTable('customerMergeSuggestions')
            .set({ status: 'merged', resolvedAt: at, resolvedBy: by })
            .where('workspaceId', '=', ws)
            .where('id', '=', row.id)
            .execute();
        }
        continue;
      }
      // Closed ones stay as history (their absorbed id resolves to the survivor anyway).
      if (row.status !== 'open') continue;
      const key = pairKey(survivorId, other);
      const twin = await suggestions().where('pairKey', '=', key).executeTakeFirst();
      if (twin) {
        await s.db
          .deleteFrom('customerMergeSuggestions')
          .where('workspaceId', '=', ws)
          .where('id', '=', row.id)
          .execute();
        continue;
      }
      await s.db
        .updateTable('customerMergeSuggestions')
        .set({
          customerId: row.customerId === absorbedId ? survivorId : row.customerId,
          candidateId: row.candidateId === absorbedId ? survivorId : row.candidateId,
          pairKey: key,
        })
        .where('workspaceId', '=', ws)
        .where('id', '=', row.id)
        .execute();
    }
  }

  return {
    async merge(input) {
      const { survivorId, absorbedId } = input;
      const codec = await s.customerCodec(survivorId);
      const profiles = await s.db
        .selectFrom('customers')
        .select(['id', 'name', 'email', 'phone'])
        .where('workspaceId', '=', ws)
        .where('id', 'in', [survivorId, absorbedId])
        .execute();
      const survivor = profiles.find((p) => p.id === survivorId);
      const absorbed = profiles.find((p) => p.id === absorbedId);
      if (!survivor || !absorbed) throw new Error('both customers must exist to merge');
      // The survivor's own profile wins; the absorbed one only fills what the survivor lacks.
      const fill: { name?: string; email?: string; phone?: string } = {};
      for (const field of ['name', 'email', 'phone'] as const) {
        const value = absorbed[field];
        if (survivor[field] === null && value !== null)
          fill[field] = codec.seal(codec.open(value, F[field]), F[field]);
      }
      if (Object.keys(fill).length > 0) {
        await s.db
          .updateTable('customers')
          .set(fill)
          .where('workspaceId', '=', ws)
          .where('id', '=', survivorId)
          .execute();
      }

      // The open suggestion about this pair, if any, is what the merge answers.
      const suggestionId =
        input.suggestionId ??
        (
          await suggestions()
            .select('id')
            .where('pairKey', '=', pairKey(survivorId, absorbedId))
            .where('status', '=', 'open')
            .executeTakeFirst()
        )?.id ??
        null;
      const moved = await moveRows(codec, survivorId, absorbedId);
      await moveLinks(survivorId, absorbedId, moved);
      await settleSuggestions(survivorId, absorbedId, input.mergedBy, input.createdAt);
      // Kept flat: whoever was merged into the absorbed customer now resolves to the survivor directly.
      await s.db
        .updateTable('customerMerges')
        .set({ survivorId })
        .where('workspaceId', '=', ws)
        .where('survivorId', '=', absorbedId)
        .execute();
      await s.db.deleteFrom('customers').where('workspaceId', '=', ws).where('id', '=', absorbedId).execute();
      await s.db
        .insertInto('customerMerges')
        .values({
          id: input.id,
          workspaceId: ws,
          survivorId,
          absorbedId,
          reason: input.reason,
          suggestionId,
          mergedBy: input.mergedBy,
          moved: JSON.stringify(moved),
          createdAt: input.createdAt,
        })
        .execute();
      return { ...input, suggestionId, moved };
    },

    survivorOf: (absorbedId) => survivorOf(s, absorbedId),

    async suggest(input) {
      const key = pairKey(input.customerId, input.candidateId);
      const inserted = await s.db
        .insertInto('customerMergeSuggestions')
        .values({
          id: input.id,
          workspaceId: ws,
          customerId: input.customerId,
          candidateId: input.candidateId,
          pairKey: key,
          identityKind: input.identityKind,
          status: 'open',
          createdAt: input.createdAt,
          resolvedAt: null,
          resolvedBy: null,
        })
        .onConflict((oc) => oc.columns(['workspaceId', 'pairKey']).doNothing())
        .returning('id')
        .executeTakeFirst();
      const row = await suggestions().where('pairKey', '=', key).executeTakeFirstOrThrow();
      return { suggestion: toSuggestion(row), created: inserted !== undefined };
    },

    async getSuggestion(id) {
      const row = await suggestions().where('id', '=', id).executeTakeFirst();
      return row ? toSuggestion(row) : null;
    },

    async openSuggestions({ customerId, limit }) {
      let q = suggestions().where('status', '=', 'open');
      if (customerId !== undefined) {
        q = q.where((eb) => eb.or([eb('customerId', '=', customerId), eb('candidateId', '=', customerId)]));
      }
      const rows = await q.orderBy('createdAt', 'desc').orderBy('id', 'desc').limit(limit).execute();
      return rows.map(toSuggestion);
    },

    async resolveSuggestion(id, status, by, at) {
      const result = await s.db
        .updateTable('customerMergeSuggestions')
        .set({ status, resolvedAt: at, resolvedBy: by })
        .where('workspaceId', '=', ws)
        .where('id', '=', id)
        .where('status', '=', 'open')
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
  };
}
