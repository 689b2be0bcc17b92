// Where a conversation waits for a human and why it was sent there: the queue, its priority score (orders
// the queue), when the wait began (cleared on pickup) and the routing decision's explanation (JSON).
import type { Kysely, Migration } from 'kysely';

export const conversationRouting: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('conversations').addColumn('queue_id', 'text').execute();
    await db.schema
      .alterTable('conversations')
      .addColumn('priority_score', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema.alterTable('conversations').addColumn('waiting_since', 'text').execute();
    await db.schema.alterTable('conversations').addColumn('routing', 'text').execute();
    // The dispatcher's question: who waits in this workspace, best first.
    await db.schema
      .createIndex('conversations_waiting')
      .on('conversations')
      .columns(['workspace_id', 'waiting_since'])
      .execute();
  },
};
