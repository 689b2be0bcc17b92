// KPI facts (issue 12): beside the rollups' sums, the facts a drill-down lists — the bot's first answer,
// a rating, a complaint opened or closed, a ticket solved or its SLA missed — each with what it is about
// (conversation, ticket, complaint), when, its dimensions and what it added. Written in the transaction
// that claims the event, so a fact is kept exactly when it is counted. Forward-only; text and integer.
import type { Kysely, Migration } from 'kysely';

export const metricFacts: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('metric_facts')
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
      .addColumn('metric', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('subject_kind', 'text', (c) => c.notNull())
      .addColumn('subject_id', 'text', (c) => c.notNull())
      .addColumn('conversation_id', 'text')
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('queue_id', 'text', (c) => c.notNull())
      .addColumn('agent_id', 'text', (c) => c.notNull())
      .addColumn('intent', 'text', (c) => c.notNull())
      .addColumn('total', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('metric_facts_by_time')
      .on('metric_facts')
      .columns(['workspace_id', 'metric', 'at'])
      .execute();
  },
};
