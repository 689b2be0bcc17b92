// Connectors to the shop's own systems (today: the order lookup). One row per workspace and kind. The
// request template, mapping and limits are plain JSON settings; secret header values are sealed by the
// personal-data codec in their own column, so no query of the settings can leak them.
import type { Kysely, Migration } from 'kysely';

export const connectors: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('connectors')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('enabled', 'integer', (c) => c.notNull())
      .addColumn('settings', 'text', (c) => c.notNull())
      .addColumn('secrets', 'text')
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('connectors_kind', ['workspace_id', 'kind'])
      .execute();
  },
};
