// The workspace knowledge base the bot answers from: FAQ entries (seeded from the industry template, then
// the owner's), Markdown articles, and one state row per workspace holding the version every change bumps
// (the compiled-bot cache key) and which template the template-origin entries were last synced with.
// Shop content, not personal data: stored as written. Forward-only; text and integer only, identical on
// SQLite and PostgreSQL. The legacy `faqs` table (0001) stays untouched and unused.
import type { Kysely, Migration } from 'kysely';

export const knowledge: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('knowledge_faqs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
      .addColumn('question', 'text', (c) => c.notNull())
      .addColumn('similar_questions', 'text', (c) => c.notNull())
      .addColumn('answer', 'text', (c) => c.notNull())
      .addColumn('keywords', 'text', (c) => c.notNull())
      .addColumn('tags', 'text', (c) => c.notNull())
      .addColumn('enabled', 'integer', (c) => c.notNull())
      .addColumn('origin', 'text')
      .addColumn('edited', 'integer', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('knowledge_faqs_workspace')
      .on('knowledge_faqs')
      .columns(['workspace_id', 'updated_at'])
      .execute();

    await db.schema
      .createTable('knowledge_articles')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('tags', 'text', (c) => c.notNull())
      .addColumn('source_url', 'text')
      .addColumn('enabled', 'integer', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('knowledge_articles_workspace')
      .on('knowledge_articles')
      .columns(['workspace_id', 'updated_at'])
      .execute();

    await db.schema
      .createTable('knowledge_state')
      .addColumn('workspace_id', 'text', (c) => c.primaryKey().references('workspaces.id'))
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('template_id', 'text')
      .addColumn('template_locale', 'text')
      .addColumn('template_digest', 'text')
      .addColumn('dismissed_origins', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
  },
};
