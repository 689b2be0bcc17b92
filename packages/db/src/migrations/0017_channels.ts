// Provider channels (SMS, email, WeChat): an inbox names the adapter serving it, its non-secret settings
// (JSON) and its secrets (sealed JSON in their own column, like connector secrets), and an unguessable
// hook id that makes its public webhook path. Outbound deliveries are recorded per message part with the
// provider's id, so status callbacks find them and retries never send a part twice. Channel threads map
// an email's Message-ID/References (blind-indexed) to the conversation they belong to.
import type { Kysely, Migration } from 'kysely';

export const channels: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('inboxes').addColumn('adapter', 'text').execute();
    await db.schema.alterTable('inboxes').addColumn('channel_config', 'text').execute();
    await db.schema.alterTable('inboxes').addColumn('channel_secrets', 'text').execute();
    await db.schema.alterTable('inboxes').addColumn('hook_id', 'text').execute();
    await db.schema.alterTable('inboxes').addColumn('disabled_at', 'text').execute();
    await db.schema.createIndex('inboxes_hook_id').unique().on('inboxes').column('hook_id').execute();
    // What the latest customer message on a channel left for the replies (email subject, Message-ID).
    await db.schema.alterTable('conversations').addColumn('channel_meta', 'text').execute();

    await db.schema
      .createTable('message_deliveries')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
      .addColumn('message_id', 'text', (c) => c.notNull())
      .addColumn('inbox_id', 'text', (c) => c.notNull())
      // A long text goes out as several provider messages: 0, 1, 2 …
      .addColumn('part', 'integer', (c) => c.notNull())
      .addColumn('provider_message_id', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('error', 'text')
      .addColumn('attempts', 'integer', (c) => c.notNull())
      // 0/1: answered inside the provider's request (WeChat's 5-second passive reply).
      .addColumn('passive', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('message_deliveries_part', ['workspace_id', 'message_id', 'part'])
      .addUniqueConstraint('message_deliveries_provider_id', [
        'workspace_id',
        'inbox_id',
        'provider_message_id',
      ])
      .execute();

    await db.schema
      .createTable('channel_threads')
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
      .addColumn('inbox_id', 'text', (c) => c.notNull())
      .addColumn('ref_hash', 'text', (c) => c.notNull())
      .addColumn('conversation_id', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('channel_threads_pk', ['workspace_id', 'inbox_id', 'ref_hash'])
      .execute();
    await db.schema
      .createIndex('channel_threads_conversation')
      .on('channel_threads')
      .columns(['workspace_id', 'conversation_id'])
      .execute();
  },
};
