// Outbound call campaigns (issue 9): the campaign with its pacing, quiet hours and retry policy, one row
// per target (phone sealed, attempts, lease while dialling, outcome and result), and the workspace's
// do-not-call list (phone sealed, looked up by its blind index).
import type { Kysely, Migration } from 'kysely';

export const campaigns: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('campaigns')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('purpose', 'text', (c) => c.notNull())
      .addColumn('inbox_id', 'text', (c) => c.notNull())
      .addColumn('script', 'text', (c) => c.notNull())
      .addColumn('language', 'text', (c) => c.notNull())
      .addColumn('time_zone', 'text', (c) => c.notNull())
      .addColumn('quiet_start', 'text')
      .addColumn('quiet_end', 'text')
      .addColumn('calls_per_minute', 'integer', (c) => c.notNull())
      .addColumn('max_concurrent', 'integer', (c) => c.notNull())
      .addColumn('max_attempts', 'integer', (c) => c.notNull())
      .addColumn('retry_delay_minutes', 'integer', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('started_at', 'text')
      .addColumn('finished_at', 'text')
      .execute();
    await db.schema
      .createIndex('campaigns_by_workspace')
      .on('campaigns')
      .columns(['workspace_id', 'id'])
      .execute();

    await db.schema
      .createTable('campaign_targets')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
      .addColumn('campaign_id', 'text', (c) => c.notNull())
      .addColumn('customer_id', 'text')
      .addColumn('conversation_id', 'text')
      // Sealed: a phone number is personal data.
      .addColumn('phone', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('skip_reason', 'text')
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('next_attempt_at', 'text')
      .addColumn('last_dialed_at', 'text')
      .addColumn('dialing_until', 'text')
      .addColumn('last_outcome', 'text')
      // JSON: score / heard / answer (the answer sealed inside the JSON would hide nothing useful: it is
      // a keyed digit or a short recognised reply, kept as the survey's data).
      .addColumn('result', 'text')
      .addColumn('call_id', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('campaign_targets_due')
      .on('campaign_targets')
      .columns(['workspace_id', 'campaign_id', 'status', 'next_attempt_at'])
      .execute();

    await db.schema
      .createTable('do_not_call')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
      .addColumn('phone', 'text', (c) => c.notNull())
      .addColumn('phone_lookup', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('added_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('do_not_call_unique')
      .on('do_not_call')
      .columns(['workspace_id', 'phone_lookup'])
      .unique()
      .execute();
  },
};
