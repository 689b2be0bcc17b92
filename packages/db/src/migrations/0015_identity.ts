// Omnichannel identity (issue 6): whether a channel proved an identity (an SMS sender, a signed widget
// identity) or someone merely typed it, and who asserted it; the record of merged customers, so an absorbed
// id keeps resolving to its survivor; the merge suggestions agents confirm or dismiss; and each inbox's
// identity verification secret (sealed) that shops sign widget identities with. Forward-only; text and
// integer only, identical on SQLite and PostgreSQL.
import { type Kysely, type Migration, sql } from 'kysely';

export const identity: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable('customer_identities')
      .addColumn('verified', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema.alterTable('customer_identities').addColumn('source', 'text').execute();
    // Identities from before: the widget's visitor id and the integrator's external id are the channel's
    // own handles (the channel issued them), so they were always proof of who wrote; typed phones and
    // emails were not.
    await sql`update customer_identities set verified = 1, source = 'widget' where kind = 'visitor'`.execute(
      db,
    );
    await sql`update customer_identities set verified = 1, source = 'api' where kind = 'external'`.execute(
      db,
    );
    await sql`update customer_identities set source = 'profile' where source is null`.execute(db);

    await db.schema
      .createTable('customer_merges')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
      .addColumn('survivor_id', 'text', (c) => c.notNull())
      // One merge per absorbed customer: it is gone after, so it cannot be absorbed twice.
      .addColumn('absorbed_id', 'text', (c) => c.notNull())
      // 'verified_identity' (automatic) or 'agent'.
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('suggestion_id', 'text')
      // A user id, or 'system' for automatic merges.
      .addColumn('merged_by', 'text', (c) => c.notNull())
      // JSON counts of the rows moved per table; ids and numbers only.
      .addColumn('moved', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('customer_merges_absorbed', ['workspace_id', 'absorbed_id'])
      .execute();
    await db.schema
      .createIndex('customer_merges_by_survivor')
      .on('customer_merges')
      .columns(['workspace_id', 'survivor_id'])
      .execute();

    await db.schema
      .createTable('customer_merge_suggestions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
      // The customer the identity was being attached to, and the one that already holds it.
      .addColumn('customer_id', 'text', (c) => c.notNull())
      .addColumn('candidate_id', 'text', (c) => c.notNull())
      // The two ids in sorted order: one suggestion per pair, whichever side it was found from.
      .addColumn('pair_key', 'text', (c) => c.notNull())
      .addColumn('identity_kind', 'text', (c) => c.notNull())
      // 'open', 'merged' or 'dismissed'.
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('resolved_at', 'text')
      .addColumn('resolved_by', 'text')
      .addUniqueConstraint('customer_merge_suggestions_pair', ['workspace_id', 'pair_key'])
      .execute();
    await db.schema
      .createIndex('customer_merge_suggestions_by_status')
      .on('customer_merge_suggestions')
      .columns(['workspace_id', 'status', 'created_at'])
      .execute();

    // Sealed with the workspace's key; null until the owner first reveals or rotates it.
    await db.schema.alterTable('inboxes').addColumn('identity_secret', 'text').execute();
  },
};
