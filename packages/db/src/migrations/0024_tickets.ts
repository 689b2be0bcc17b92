// Tickets with a lifecycle (issue 10): the 0003 ticket row gains subject, category, priority, status with
// its pending reason, assignee and team, custom field values, linked orders and merges; every change,
// public reply and internal note is an entry on the ticket's timeline; watchers, attachments (links to the
// encrypted files), each workspace's custom field definitions, assignment rules and settings. Personal
// text (subject, description, entry bodies, custom values) is sealed with the customer's key like the
// 0003 fields. Forward-only; text and integer only, identical on SQLite and PostgreSQL.
import { type Kysely, type Migration, sql } from 'kysely';

export const tickets: Migration = {
  async up(db: Kysely<unknown>) {
    const add = (name: string, type: 'text' | 'integer', notNull?: string | number) =>
      db.schema
        .alterTable('tickets')
        .addColumn(name, type, (c) => (notNull === undefined ? c : c.notNull().defaultTo(notNull)))
        .execute();
    // Sealed; '' on 0003 rows (the bot's form fields say what they were about).
    await add('subject', 'text', '');
    await add('description', 'text');
    await add('category', 'text');
    await add('priority', 'text', 'normal');
    // 0003 rows were all 'open'; the status column keeps its values. pending: customer | third_party.
    await add('pending_reason', 'text');
    // bot | agent | email | api | survey | system
    await add('source', 'text', 'bot');
    await add('assignee_id', 'text');
    await add('queue_id', 'text');
    // Sealed JSON object: the workspace's custom fields by key.
    await add('custom_fields', 'text');
    // JSON list of order numbers.
    await add('order_numbers', 'text', '[]');
    await add('merged_into_id', 'text');
    await add('created_by', 'text');
    await add('updated_at', 'text');
    await add('solved_at', 'text');
    await add('closed_at', 'text');
    // The customer was told of this status (or null): a retried notification sends once.
    await add('notified_status', 'text');
    // 0003 rows: last changed when created, and the customer knew of them (the bot told its number).
    await sql`update tickets set updated_at = created_at, notified_status = status`.execute(db);
    await db.schema
      .createIndex('tickets_by_status')
      .on('tickets')
      .columns(['workspace_id', 'status', 'updated_at'])
      .execute();
    await db.schema
      .createIndex('tickets_by_assignee')
      .on('tickets')
      .columns(['workspace_id', 'assignee_id', 'status'])
      .execute();
    await db.schema
      .createIndex('tickets_by_conversation')
      .on('tickets')
      .columns(['workspace_id', 'conversation_id'])
      .execute();
    await db.schema
      .createIndex('tickets_by_customer')
      .on('tickets')
      .columns(['workspace_id', 'customer_id'])
      .execute();

    await db.schema
      .createTable('ticket_entries')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
      .addColumn('ticket_id', 'text', (c) => c.notNull())
      // created | reply | note | status | assignment | priority | fields | merge | orders | attachment | …
      .addColumn('kind', 'text', (c) => c.notNull())
      // user | customer | bot | system | api
      .addColumn('author_type', 'text', (c) => c.notNull())
      .addColumn('author_id', 'text')
      // Sealed with the customer's key: replies and notes quote the customer.
      .addColumn('body', 'text')
      // JSON, ids and enumerations only (from/to status, assignee…): no personal data.
      .addColumn('data', 'text', (c) => c.notNull())
      // JSON list of mentioned user ids.
      .addColumn('mentions', 'text', (c) => c.notNull())
      // Where a public reply went (the conversation message), so a retried post does not repeat it.
      .addColumn('message_id', 'text')
      .addColumn('source_key', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('ticket_entries_source', ['workspace_id', 'source_key'])
      .execute();
    await db.schema
      .createIndex('ticket_entries_timeline')
      .on('ticket_entries')
      .columns(['workspace_id', 'ticket_id', 'created_at'])
      .execute();

    await db.schema
      .createTable('ticket_watchers')
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
      .addColumn('ticket_id', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('ticket_watchers_pk', ['workspace_id', 'ticket_id', 'user_id'])
      .execute();

    await db.schema
      .createTable('ticket_attachments')
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
      .addColumn('ticket_id', 'text', (c) => c.notNull())
      .addColumn('attachment_id', 'text', (c) => c.notNull())
      .addColumn('added_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('ticket_attachments_pk', ['workspace_id', 'ticket_id', 'attachment_id'])
      .execute();

    await db.schema
      .createTable('ticket_field_definitions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('label', 'text', (c) => c.notNull())
      // text | number | select | date
      .addColumn('kind', 'text', (c) => c.notNull())
      // JSON list of the select's options.
      .addColumn('options', 'text', (c) => c.notNull())
      .addColumn('required', 'integer', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('archived', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('ticket_field_definitions_key', ['workspace_id', 'key'])
      .execute();

    await db.schema
      .createTable('ticket_assignment_rules')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('enabled', 'integer', (c) => c.notNull())
      // Conditions (null = any): the ticket's category, type and priority.
      .addColumn('category', 'text')
      .addColumn('type', 'text')
      .addColumn('priority', 'text')
      // The team (queue) the ticket goes to, and/or a person; with skills, the least-loaded member who
      // has them all.
      .addColumn('queue_id', 'text')
      .addColumn('user_id', 'text')
      // JSON list of skills.
      .addColumn('skills', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('ticket_settings')
      .addColumn('workspace_id', 'text', (c) => c.primaryKey().references('workspaces.id'))
      // A customer reply within this many days of solving reopens the ticket.
      .addColumn('reopen_days', 'integer', (c) => c.notNull())
      // Tell the customer of status changes in their conversation (1) or not (0).
      .addColumn('notify_customer', 'integer', (c) => c.notNull())
      // A solved ticket closes (for good) after this many days.
      .addColumn('close_days', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
  },
};
