// Agent assist's switch (issue 12): reply suggestions on or off per workspace, and when they were last
// turned on — the day the throughput before/after comparison splits at. No row: on since the start.
// Forward-only; text and integer only.
import type { Kysely, Migration } from 'kysely';

export const assistSettings: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('assist_settings')
      .addColumn('workspace_id', 'text', (c) => c.primaryKey().references('workspaces.id'))
      .addColumn('enabled', 'integer', (c) => c.notNull())
      .addColumn('enabled_at', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
  },
};
