// Reply templates (issue 7, canned replies): the shop's ready-made answers agents insert with a
// `/shortcut`, with the intents they answer and whether they are compliance wording (pinned when their
// intent matches). Shop content, not personal data: stored as written. A shortcut is unique among the
// workspace's live templates only, so an archived one frees its shortcut. Forward-only; text and integer
// only, and a partial unique index, identical on SQLite and PostgreSQL.
import { type Kysely, type Migration, sql } from 'kysely';

export const replyTemplates: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('reply_templates')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
      .addColumn('shortcut', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('intents', 'text', (c) => c.notNull())
      .addColumn('compliance', 'integer', (c) => c.notNull())
      .addColumn('locale', 'text', (c) => c.notNull())
      // The industry template (`<id>/<locale>`) a row was seeded from while nobody edited it; null otherwise.
      .addColumn('source', 'text')
      .addColumn('created_by', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('archived_at', 'text')
      .execute();
    await db.schema
      .createIndex('reply_templates_live_shortcut')
      .on('reply_templates')
      .columns(['workspace_id', 'shortcut'])
      .unique()
      .where(sql.ref('archived_at'), 'is', null)
      .execute();
  },
};
