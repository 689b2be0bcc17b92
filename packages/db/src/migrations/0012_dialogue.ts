// The owner's dialogue overrides (issue 4): every save is a new numbered row holding the whole overrides
// document, so the newest row is the current one, older rows are the history a restore copies forward, and
// the primary key on (workspace, version) is what refuses the second of two concurrent saves. Shop content,
// not personal data: stored as written. Forward-only; text and integer only, identical on SQLite and PostgreSQL.
import type { Kysely, Migration } from 'kysely';

export const dialogue: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('dialogue_versions')
      // Numbers count per workspace; the id is what URLs name, so no workspace can aim at another's.
      .addColumn('id', 'text', (c) => c.notNull().unique())
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
      .addColumn('version', 'integer', (c) => c.notNull())
      // Which template and locale the document was written against: it only applies to those.
      .addColumn('template_id', 'text', (c) => c.notNull())
      .addColumn('locale', 'text', (c) => c.notNull())
      .addColumn('document', 'text', (c) => c.notNull())
      .addColumn('author_user_id', 'text')
      .addColumn('restored_from', 'integer')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('dialogue_versions_pk', ['workspace_id', 'version'])
      .execute();
  },
};
