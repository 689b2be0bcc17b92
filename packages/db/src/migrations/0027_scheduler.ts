// The durable scheduler's hardening (issue 10): a claimed job names the worker holding its lease, so a
// worker whose lease ran out (a stalled event loop) can neither renew nor finish a job another worker has
// claimed since; a delivery part remembers when it was handed to the provider without a recorded answer
// yet, so a retry after a crash asks the provider before sending again; the console lists jobs per
// workspace by status and name.
import type { Kysely, Migration } from 'kysely';

export const scheduler: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('jobs').addColumn('locked_by', 'text').execute();
    await db.schema
      .createIndex('jobs_by_workspace')
      .on('jobs')
      .columns(['workspace_id', 'status', 'name', 'created_at'])
      .execute();
    await db.schema.alterTable('message_deliveries').addColumn('sending_at', 'text').execute();
  },
};
