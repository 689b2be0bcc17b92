// KPI rollups (issue 12): what the dashboard reads, summed per hour and dimension as the domain events
// happen, so a year of history is a few thousand rows per metric instead of millions of messages. Each
// row is a count and a total (milliseconds, a score…) per hour (UTC, `YYYY-MM-DDTHH`), channel, team
// (queue), agent and intent; '' stands for "none" so the key is a plain primary key on both databases.
// `metric_claims` remembers which event was counted, so an event heard by several processes (Redis
// delivers every event to each) is counted once. Forward-only; text and integer only.
import type { Kysely, Migration } from 'kysely';

export const metricRollups: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('metric_rollups')
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
      .addColumn('hour', 'text', (c) => c.notNull())
      .addColumn('metric', 'text', (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('queue_id', 'text', (c) => c.notNull())
      .addColumn('agent_id', 'text', (c) => c.notNull())
      .addColumn('intent', 'text', (c) => c.notNull())
      .addColumn('count', 'integer', (c) => c.notNull())
      .addColumn('total', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('metric_rollups_pk', [
        'workspace_id',
        'metric',
        'hour',
        'channel',
        'queue_id',
        'agent_id',
        'intent',
      ])
      .execute();
    // The dashboard reads every metric of a range of hours.
    await db.schema
      .createIndex('metric_rollups_hour')
      .on('metric_rollups')
      .columns(['workspace_id', 'hour'])
      .execute();
    await db.schema
      .createTable('metric_claims')
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('metric_claims_pk', ['workspace_id', 'key'])
      .execute();
    await db.schema.createIndex('metric_claims_at').on('metric_claims').columns(['at']).execute();
  },
};
