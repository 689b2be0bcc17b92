// The workspace's own KPI targets (issue 12), in place of the brief's for the KPIs it changed.
// JSON { kpiKey: value }. Forward-only; text only.
import type { Kysely, Migration } from 'kysely';

export const kpiTargets: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('kpi_targets')
      .addColumn('workspace_id', 'text', (c) => c.primaryKey().references('workspaces.id'))
      .addColumn('targets', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
  },
};
