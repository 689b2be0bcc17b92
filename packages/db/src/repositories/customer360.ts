// Agent assist tables (migration 0020): customer notes and stored hand-off cards, confined to the scope's
// workspace and sealed with the customer's own key, so erasing the customer shreds them with the rest.
import type { CustomerNote, HandoffCard, WorkspaceRepositories } from '@zhike/core';
import type { Scope } from './scope.ts';

export interface CustomerNotesTable {
  id: string;
  workspaceId: string;
  customerId: string;
  authorUserId: string;
  /** Sealed; null once deleted. */
  body: string | null;
  createdAt: string;
  deletedAt: string | null;
}

export interface HandoffCardsTable {
  workspaceId: string;
  conversationId: string;
  customerId: string;
  /** Sealed JSON of the HandoffCard. */
  card: string;
  computedAt: string;
}

export const ASSIST_FIELDS = {
  noteBody: 'customer_notes.body',
  handoffCard: 'handoff_cards.card',
} as const;

export function customerNotesRepository(s: Scope): WorkspaceRepositories['customerNotes'] {
  const live = () =>
    s.db
      .selectFrom('customerNotes')
      .selectAll()
      .where('workspaceId', '=', s.workspaceId)
      .where('deletedAt', 'is', null);
  const toNote = async (row: CustomerNotesTable): Promise<CustomerNote> => ({
    id: row.id,
    customerId: row.customerId,
    authorUserId: row.authorUserId,
    body: (await s.customerCodec(row.customerId)).open(row.body ?? '', ASSIST_FIELDS.noteBody),
    createdAt: row.createdAt,
  });
  return {
    async list(customerId, limit) {
      const rows = await live()
        .where('customerId', '=', customerId)
        .orderBy('createdAt', 'desc')
        .orderBy('id', 'desc')
        .limit(limit)
        .execute();
      return Promise.all(rows.map(toNote));
    },
    async get(id) {
      const row = await live().where('id', '=', id).executeTakeFirst();
      return row ? toNote(row) : null;
    },
    async add(note) {
      const codec = await s.customerCodec(note.customerId);
      await s.db
        .insertInto('customerNotes')
        .values({
          id: note.id,
          workspaceId: s.workspaceId,
          customerId: note.customerId,
          authorUserId: note.authorUserId,
          body: codec.seal(note.body, ASSIST_FIELDS.noteBody),
          createdAt: note.createdAt,
          deletedAt: null,
        })
        .execute();
    },
    async delete(id, at) {
      // The row stays (who wrote a note and when it went answer "what happened here"); the words go.
      const result = await s.db
        .updateTable('customerNotes')
        .set({ deletedAt: at, body: null })
        .where('workspaceId', '=', s.workspaceId)
        .where('id', '=', id)
        .where('deletedAt', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
  };
}

export function handoffCardsRepository(s: Scope): WorkspaceRepositories['handoffCards'] {
  return {
    async get(conversationId) {
      const row = await s.db
        .selectFrom('handoffCards')
        .select(['customerId', 'card'])
        .where('workspaceId', '=', s.workspaceId)
        .where('conversationId', '=', conversationId)
        .executeTakeFirst();
      if (!row) return null;
      const codec = await s.customerCodec(row.customerId);
      const card = JSON.parse(codec.open(row.card, ASSIST_FIELDS.handoffCard)) as HandoffCard;
      // The conversation may have moved to another customer (a merge) since the card was stored.
      return { ...card, customerId: row.customerId };
    },
    async save(card) {
      const codec = await s.customerCodec(card.customerId);
      const values = {
        customerId: card.customerId,
        card: codec.seal(JSON.stringify(card), ASSIST_FIELDS.handoffCard),
        computedAt: card.computedAt,
      };
      await s.db
        .insertInto('handoffCards')
        .values({ workspaceId: s.workspaceId, conversationId: card.conversationId, ...values })
        .onConflict((oc) => oc.columns(['workspaceId', 'conversationId']).doUpdateSet(values))
        .execute();
    },
  };
}
