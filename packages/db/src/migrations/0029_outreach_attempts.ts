// A campaign recipient remembers its send attempts: a claim counts one and keeps the first claim's time,
// so a message claimed again (its send timed out, or the process died holding the chunk) is looked up
// with the provider before it is sent again, instead of reaching the customer twice.
import type { Kysely, Migration } from 'kysely';

export const outreachAttempts: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable('outreach_recipients')
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema.alterTable('outreach_recipients').addColumn('attempted_at', 'text').execute();
  },
};
