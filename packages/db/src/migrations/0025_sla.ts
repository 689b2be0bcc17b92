// SLA on business hours (issue 10): each workspace's business calendar (weekly hours, the statutory switch
// and its dated edits), SLA policies, and one clock row per ticket and target (and per next-response
// cycle) with what it has counted, its deadlines, and its warning, breach and escalation.
import type { Kysely, Migration } from 'kysely';

export const sla: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('sla_calendars')
      .addColumn('workspace_id', 'text', (c) => c.primaryKey().references('workspaces.id'))
      .addColumn('time_zone', 'text', (c) => c.notNull())
      // JSON: [{ days, open, close }]
      .addColumn('periods', 'text', (c) => c.notNull())
      .addColumn('china_holidays', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('sla_calendar_days')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
      .addColumn('date', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('sla_calendar_days_unique')
      .on('sla_calendar_days')
      .columns(['workspace_id', 'date'])
      .unique()
      .execute();

    await db.schema
      .createTable('sla_policies')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('priority', 'text')
      .addColumn('category', 'text')
      .addColumn('customer_tier', 'text')
      .addColumn('first_response_minutes', 'integer')
      .addColumn('next_response_minutes', 'integer')
      .addColumn('resolution_minutes', 'integer')
      .addColumn('business_hours', 'integer', (c) => c.notNull())
      .addColumn('notify_supervisors', 'integer', (c) => c.notNull())
      .addColumn('raise_priority', 'integer', (c) => c.notNull())
      .addColumn('reassign_to_user_id', 'text')
      .addColumn('enabled', 'integer', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('sla_policies_by_workspace')
      .on('sla_policies')
      .columns(['workspace_id', 'position'])
      .execute();

    await db.schema
      .createTable('sla_clocks')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
      .addColumn('ticket_id', 'text', (c) => c.notNull())
      .addColumn('metric', 'text', (c) => c.notNull())
      .addColumn('cycle', 'integer', (c) => c.notNull())
      .addColumn('policy_id', 'text', (c) => c.notNull())
      .addColumn('target_minutes', 'integer', (c) => c.notNull())
      .addColumn('business_hours', 'integer', (c) => c.notNull())
      .addColumn('priority', 'text', (c) => c.notNull())
      .addColumn('category', 'text')
      .addColumn('customer_tier', 'text')
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('elapsed_ms', 'bigint', (c) => c.notNull())
      .addColumn('running_since', 'text')
      .addColumn('warn_at', 'text')
      .addColumn('due_at', 'text')
      .addColumn('warned_at', 'text')
      .addColumn('breached_at', 'text')
      .addColumn('stopped_at', 'text')
      // JSON: what the breach does to the ticket (priority, assignee, notify), applied once.
      .addColumn('escalation', 'text')
      .addColumn('escalated_at', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('sla_clocks_unique')
      .on('sla_clocks')
      .columns(['workspace_id', 'ticket_id', 'metric', 'cycle'])
      .unique()
      .execute();
    await db.schema
      .createIndex('sla_clocks_by_start')
      .on('sla_clocks')
      .columns(['workspace_id', 'started_at'])
      .execute();
  },
};
