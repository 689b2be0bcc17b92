// Languages (issue 11): the language each message was written in and the customer's last confident one,
// a sealed second version of a message in the other side's language (live translation), a per-conversation
// translation switch, each workspace's translation provider (secrets sealed) and a daily usage meter.
// Forward-only; text and integer columns, identical on SQLite and PostgreSQL.
import type { Kysely, Migration } from 'kysely';

export const languages: Migration = {
  async up(db: Kysely<unknown>) {
    // A language tag (zh-Hans, zh-Hant, yue, en, ja…); null for rows written before this migration.
    await db.schema.alterTable('messages').addColumn('language', 'text').execute();
    // Sealed JSON MessageTranslation with the customer's key, like the text itself.
    await db.schema.alterTable('messages').addColumn('translation', 'text').execute();
    await db.schema.alterTable('customers').addColumn('language', 'text').execute();
    // JSON ConversationTranslation ({ enabled, customerLanguage }); null: never decided, the default applies.
    await db.schema.alterTable('conversations').addColumn('translation', 'text').execute();

    await db.schema
      .createTable('translation_settings')
      .addColumn('workspace_id', 'text', (c) => c.primaryKey().references('workspaces.id'))
      // JSON: provider, its non-secret fields, the agents' language, the glossary.
      .addColumn('settings', 'text', (c) => c.notNull())
      // Sealed JSON of the provider's secrets (API keys); null when none.
      .addColumn('secrets', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('translation_usage')
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('provider', 'text', (c) => c.notNull())
      .addColumn('requests', 'integer', (c) => c.notNull())
      .addColumn('characters', 'integer', (c) => c.notNull())
      .addColumn('cached_characters', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('translation_usage_pk', ['workspace_id', 'day', 'provider'])
      .execute();
  },
};
