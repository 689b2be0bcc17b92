// Follow-up surveys and complaint closure (issue 10): each workspace's survey settings (delay after the
// resolution, quiet hours in its time zone, at most one survey per customer per N days, link lifetime),
// one row per survey (what it asks about, where it went, the customer's score and comment sealed with
// the workspace key, the hash of its link's token, never the token) and one row per complaint tracked
// until it is closed with a resolution note and the customer's confirmation. Forward-only.
import type { Kysely, Migration } from 'kysely';

export const surveys: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('survey_settings')
      .addColumn('workspace_id', 'text', (c) => c.primaryKey().references('workspaces.id'))
      .addColumn('enabled', 'integer', (c) => c.notNull())
      .addColumn('delay_minutes', 'integer', (c) => c.notNull())
      .addColumn('time_zone', 'text', (c) => c.notNull())
      .addColumn('quiet_start', 'text')
      .addColumn('quiet_end', 'text')
      .addColumn('min_days_between', 'integer', (c) => c.notNull())
      .addColumn('link_ttl_hours', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('surveys')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
      // `conversation:<id>` or `ticket:<id>`: one survey per thing solved, however often it is resolved.
      .addColumn('source_key', 'text', (c) => c.notNull())
      .addColumn('customer_id', 'text', (c) => c.notNull())
      .addColumn('conversation_id', 'text')
      .addColumn('ticket_id', 'text')
      .addColumn('trigger', 'text', (c) => c.notNull())
      .addColumn('channel', 'text')
      .addColumn('inbox_id', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('skip_reason', 'text')
      .addColumn('due_at', 'text', (c) => c.notNull())
      .addColumn('sent_at', 'text')
      .addColumn('expires_at', 'text')
      .addColumn('message_id', 'text')
      // SHA-256 of the link's token (base64url); the token itself is only in the message sent.
      .addColumn('token_hash', 'text')
      .addColumn('score', 'integer')
      // Sealed with the workspace key.
      .addColumn('comment', 'text')
      .addColumn('answered_at', 'text')
      .addColumn('answered_via', 'text')
      // 1 when the answer was judged negative (score, comment sentiment or complaint), once reviewed.
      .addColumn('negative', 'integer')
      .addColumn('complaint_id', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('surveys_source')
      .on('surveys')
      .columns(['workspace_id', 'source_key'])
      .unique()
      .execute();
    await db.schema.createIndex('surveys_token').on('surveys').column('token_hash').unique().execute();
    await db.schema
      .createIndex('surveys_customer')
      .on('surveys')
      .columns(['workspace_id', 'customer_id', 'created_at'])
      .execute();
    await db.schema
      .createIndex('surveys_answered')
      .on('surveys')
      .columns(['workspace_id', 'status', 'answered_at'])
      .execute();

    await db.schema
      .createTable('complaints')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
      // `survey:<id>`, `conversation:<id>` (a complaint intent) or `manual:<id>`: one complaint each.
      .addColumn('source_key', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('customer_id', 'text', (c) => c.notNull())
      .addColumn('conversation_id', 'text')
      .addColumn('ticket_id', 'text')
      .addColumn('survey_id', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      // Why it was opened (an agent's note, or the survey's comment); sealed with the workspace key.
      .addColumn('note', 'text')
      .addColumn('opened_by', 'text')
      // Sealed with the workspace key.
      .addColumn('resolution_note', 'text')
      .addColumn('confirmation', 'text')
      .addColumn('closed_by', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('closed_at', 'text')
      .execute();
    await db.schema
      .createIndex('complaints_source')
      .on('complaints')
      .columns(['workspace_id', 'source_key'])
      .unique()
      .execute();
    await db.schema
      .createIndex('complaints_status')
      .on('complaints')
      .columns(['workspace_id', 'status', 'created_at'])
      .execute();
    await db.schema
      .createIndex('complaints_ticket')
      .on('complaints')
      .columns(['workspace_id', 'ticket_id'])
      .execute();
  },
};
