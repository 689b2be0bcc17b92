// Cost metering and budgets (issue 12): every billable unit a workspace uses, per day (bot interactions,
// LLM tokens, translated characters…) with what it cost at the workspace's unit prices, and the monthly
// budget with its hard cap and the alert thresholds already announced. Amounts are integer micro-yuan
// (0.000001 元) so sums are exact on both databases. Forward-only; text and integer only.
import type { Kysely, Migration } from 'kysely';

export const costs: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('cost_usage')
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('unit', 'text', (c) => c.notNull())
      .addColumn('quantity', 'integer', (c) => c.notNull())
      .addColumn('cost_micro', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('cost_usage_pk', ['workspace_id', 'day', 'unit'])
      .execute();
    await db.schema
      .createTable('budgets')
      .addColumn('workspace_id', 'text', (c) => c.primaryKey().references('workspaces.id'))
      // JSON: monthly budget in yuan (null: none), hard cap on/off, unit prices overriding the defaults.
      .addColumn('settings', 'text', (c) => c.notNull())
      // JSON { month: 'YYYY-MM', reached: [50, 80, …] }: thresholds already announced this month.
      .addColumn('alerts', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
  },
};
