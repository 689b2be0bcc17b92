// Agent assist (issue 7): agents' notes on a customer, and the stored hand-off card of each handed-off
// conversation. Note bodies and cards are personal data, sealed with the customer's key (erasing the
// customer shreds them). A deleted note keeps its row (who wrote it, when, when it went) without its body.
// Text only, identical on SQLite and PostgreSQL.
import type { Kysely, Migration } from 'kysely';

export const customerNotes: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('customer_notes')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
      .addColumn('customer_id', 'text', (c) => c.notNull())
      .addColumn('author_user_id', 'text', (c) => c.notNull())
      // Sealed; null once the note is deleted.
      .addColumn('body', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('deleted_at', 'text')
      .execute();
    await db.schema
      .createIndex('customer_notes_by_customer')
      .on('customer_notes')
      .columns(['workspace_id', 'customer_id', 'created_at'])
      .execute();

    await db.schema
      .createTable('handoff_cards')
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
      .addColumn('conversation_id', 'text', (c) => c.notNull())
      .addColumn('customer_id', 'text', (c) => c.notNull())
      // The whole card as sealed JSON: it quotes the customer (summary, slots).
      .addColumn('card', 'text', (c) => c.notNull())
      .addColumn('computed_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('handoff_cards_pk', ['workspace_id', 'conversation_id'])
      .execute();
    await db.schema
      .createIndex('handoff_cards_by_customer')
      .on('handoff_cards')
      .columns(['workspace_id', 'customer_id'])
      .execute();
  },
};
