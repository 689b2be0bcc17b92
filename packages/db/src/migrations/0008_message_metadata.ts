// Message metadata: what agents may see about how a bot message came about (the knowledge-base passages
// it drew on, whether a language model wrote it). JSON text, null for most messages; it holds knowledge
// ids and titles, never customer data, so it is not sealed. Forward-only; identical on SQLite and PostgreSQL.
import type { Kysely, Migration } from 'kysely';

export const messageMetadata: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('messages').addColumn('metadata', 'text').execute();
  },
};
