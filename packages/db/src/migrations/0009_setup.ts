// The setup wizard's record per workspace: whether the owner finished it, and whether the bot answers at
// all (off = every customer message goes to people). Workspaces that already had a bot before this
// migration (the demo shop) count as set up.
import { type Kysely, type Migration, sql } from 'kysely';

export const setup: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('workspace_setup')
      .addColumn('workspace_id', 'text', (c) => c.primaryKey().references('workspaces.id'))
      .addColumn('bot_enabled', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('completed_at', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await sql`
      insert into workspace_setup (workspace_id, bot_enabled, completed_at, updated_at)
      select workspace_id, 1, updated_at, updated_at from bot_settings`.execute(db);
  },
};
