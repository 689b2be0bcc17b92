// Custom ticket fields get an English label beside the workspace's own (usually Chinese) one, so the
// console shows each agent the field in their language. Forward-only; null falls back to `label`.
import type { Kysely, Migration } from 'kysely';

export const ticketFieldLabels: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('ticket_field_definitions').addColumn('label_en', 'text').execute();
  },
};
