// The API channel's intake: a message an integrator asked to be acknowledged before it is stored
// (`Prefer: respond-async`) waits here, sealed, until the drain stores it in its conversation. `seq` keeps
// the order of acceptance across processes; (inbox, key) makes a resent message a duplicate. `leases`
// names the one process at a time that drains it (and any other task that must not run twice at once).
import { type Kysely, type Migration, PostgresAdapter } from 'kysely';

export const inboundIntake: Migration = {
  async up(db: Kysely<unknown>) {
    const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
    await db.schema
      .createTable('inbound_intake')
      .addColumn('seq', postgres ? 'bigserial' : 'integer', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull())
      .addColumn('inbox_id', 'text', (c) => c.notNull())
      .addColumn('message_id', 'text', (c) => c.notNull())
      .addColumn('idempotency_key', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('accepted_at', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', 'text', (c) => c.notNull())
      .addColumn('last_error', 'text')
      .addUniqueConstraint('inbound_intake_key', ['inbox_id', 'idempotency_key'])
      .execute();
    await db.schema
      .createTable('leases')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('owner', 'text', (c) => c.notNull())
      .addColumn('until', 'text', (c) => c.notNull())
      .execute();
  },
};
