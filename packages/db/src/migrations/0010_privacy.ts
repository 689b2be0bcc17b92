// Data-subject rights and retention: marketing consent history, per-workspace retention policies, the
// marker left on a conversation whose transcript retention purged, and encrypted attachments. Customer
// data keys reuse workspace_keys (its subject_id column, from 0002). Forward-only; identical on SQLite
// and PostgreSQL.
import type { Kysely, Migration } from 'kysely';

export const privacy: Migration = {
  async up(db: Kysely<unknown>) {
    // Append-only: the current answer for a purpose is its newest row, the rest is the history PIPL asks for.
    await db.schema
      .createTable('customer_consents')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
      .addColumn('customer_id', 'text', (c) => c.notNull())
      .addColumn('purpose', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('recorded_by', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('customer_consents_by_customer')
      .on('customer_consents')
      .columns(['workspace_id', 'customer_id', 'purpose', 'at'])
      .execute();

    await db.schema
      .createTable('retention_policies')
      .addColumn('workspace_id', 'text', (c) => c.primaryKey().references('workspaces.id'))
      .addColumn('transcripts_days', 'integer')
      .addColumn('recordings_days', 'integer')
      .addColumn('attachments_days', 'integer')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('conversation_purges')
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
      .addColumn('conversation_id', 'text', (c) => c.notNull())
      .addColumn('messages_purged', 'integer', (c) => c.notNull())
      .addColumn('purged_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('conversation_purges_pk', ['workspace_id', 'conversation_id'])
      .execute();

    await db.schema
      .createTable('attachments')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
      .addColumn('conversation_id', 'text', (c) => c.notNull())
      .addColumn('customer_id', 'text', (c) => c.notNull())
      .addColumn('message_id', 'text')
      .addColumn('uploaded_by', 'text', (c) => c.notNull())
      // Sealed with the customer's key: the file name and the file's own key go with the customer.
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('file_key', 'text', (c) => c.notNull())
      .addColumn('mime_type', 'text', (c) => c.notNull())
      .addColumn('size', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('attachments_by_conversation')
      .on('attachments')
      .columns(['workspace_id', 'conversation_id'])
      .execute();
    await db.schema
      .createIndex('attachments_by_age')
      .on('attachments')
      .columns(['workspace_id', 'created_at'])
      .execute();
    await db.schema
      .createIndex('messages_by_age')
      .on('messages')
      .columns(['workspace_id', 'created_at'])
      .execute();
  },
};
