// The conversations waiting for an agent across every workspace, found without a scan: /metrics counts
// them at each scrape. Partial, so it holds only the few rows waiting now (the per-workspace index of
// 0013 leads with the workspace and cannot answer the question for all of them).
import { type Kysely, type Migration, sql } from 'kysely';

export const waitingIndex: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createIndex('conversations_waiting_all')
      .on('conversations')
      .column('waiting_since')
      .where(sql.ref('waiting_since'), 'is not', null)
      .execute();
  },
};
