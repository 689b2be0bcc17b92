// The self-service bot's data: the shop's orders, minimal tickets and call-back tasks the bot opens, the
// per-conversation dialogue state and each workspace's bot settings. Forward-only; text and integer only,
// identical on SQLite and PostgreSQL. Personal data (order phones, ticket fields, call-back phone and
// note, dialogue state) is stored sealed by the personal-data codec.
import type { Kysely, Migration } from 'kysely';

export const bot: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('orders')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
      .addColumn('number', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('carrier', 'text')
      .addColumn('tracking_number', 'text')
      .addColumn('phone', 'text')
      .addColumn('items', 'text', (c) => c.notNull())
      .addColumn('total', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('orders_number', ['workspace_id', 'number'])
      .execute();
    await db.schema
      .createIndex('orders_recent')
      .on('orders')
      .columns(['workspace_id', 'updated_at'])
      .execute();

    await db.schema
      .createTable('tickets')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
      .addColumn('number', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('fields', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('conversation_id', 'text')
      .addColumn('customer_id', 'text')
      .addColumn('source_key', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('tickets_number', ['workspace_id', 'number'])
      .addUniqueConstraint('tickets_source', ['workspace_id', 'source_key'])
      .execute();
    await db.schema
      .createIndex('tickets_recent')
      .on('tickets')
      .columns(['workspace_id', 'created_at'])
      .execute();

    await db.schema
      .createTable('callbacks')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
      .addColumn('number', 'text', (c) => c.notNull())
      .addColumn('phone', 'text', (c) => c.notNull())
      .addColumn('note', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('conversation_id', 'text')
      .addColumn('customer_id', 'text')
      .addColumn('source_key', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('callbacks_number', ['workspace_id', 'number'])
      .addUniqueConstraint('callbacks_source', ['workspace_id', 'source_key'])
      .execute();

    await db.schema
      .createTable('bot_states')
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
      .addColumn('conversation_id', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('last_message_id', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('bot_states_pk', ['workspace_id', 'conversation_id'])
      .execute();

    await db.schema
      .createTable('bot_settings')
      .addColumn('workspace_id', 'text', (c) => c.primaryKey().references('workspaces.id'))
      .addColumn('template_id', 'text', (c) => c.notNull())
      .addColumn('variables', 'text', (c) => c.notNull())
      .addColumn('business_hours', 'text')
      .addColumn('order_number_pattern', 'text')
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
  },
};
