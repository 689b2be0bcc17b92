// Routing rules (issue 6): each workspace's ordered rules as JSON conditions and actions, its tier
// settings, and what the shop knows about each customer's value (member level, lifetime spend in fen,
// order count, tags) with the tier computed from it. Shop data about value, not contact data: stored as
// written. Forward-only; text and integer only, identical on SQLite and PostgreSQL.
import type { Kysely, Migration } from 'kysely';

export const routing: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('routing_rules')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('enabled', 'integer', (c) => c.notNull())
      .addColumn('conditions', 'text', (c) => c.notNull())
      .addColumn('actions', 'text', (c) => c.notNull())
      .addColumn('origin', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('routing_rules_order')
      .on('routing_rules')
      .columns(['workspace_id', 'position'])
      .execute();
    await db.schema
      .createTable('routing_settings')
      .addColumn('workspace_id', 'text', (c) => c.primaryKey().references('workspaces.id'))
      .addColumn('tiers', 'text', (c) => c.notNull())
      .addColumn('seeded_template', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.alterTable('customers').addColumn('member_level', 'text').execute();
    await db.schema
      .alterTable('customers')
      .addColumn('lifetime_spend_fen', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema
      .alterTable('customers')
      .addColumn('order_count', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema
      .alterTable('customers')
      .addColumn('profile_tags', 'text', (c) => c.notNull().defaultTo('[]'))
      .execute();
    await db.schema
      .alterTable('customers')
      .addColumn('tier', 'text', (c) => c.notNull().defaultTo('new'))
      .execute();
    await db.schema.alterTable('customers').addColumn('profile_updated_at', 'text').execute();
  },
};
