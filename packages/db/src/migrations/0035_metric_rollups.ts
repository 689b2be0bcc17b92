// KPI rollups (issue 12): what the dashboard reads, summed as the domain events happen, so years of history
// are a few rows per day instead of millions of messages. Each fact is added to its hour (UTC,
// `YYYY-MM-DDTHH`) and to its day in the workspace's time zone (`YYYY-MM-DD`), once for the whole
// workspace (dim 'all') and once under each of its dimensions (channel, queue, agent, intent), so a
// range is read from a few rows whatever the filter. `metric_claims` remembers which event was counted,
// so an event heard by several processes (Redis delivers every event to each) is counted once.
// Forward-only; text and integer only.
import type { Kysely, Migration } from 'kysely';

export const metricRollups: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('metric_rollups')
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
      .addColumn('grain', 'text', (c) => c.notNull())
      .addColumn('dim', 'text', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('bucket', 'text', (c) => c.notNull())
      .addColumn('metric', 'text', (c) => c.notNull())
      .addColumn('count', 'integer', (c) => c.notNull())
      .addColumn('total', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('metric_rollups_pk', [
        'workspace_id',
        'grain',
        'dim',
        'value',
        'bucket',
        'metric',
      ])
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
