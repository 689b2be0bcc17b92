// Agent metrics (issue 7): an append-only activity log per conversation (waiting, assigned, reopened,
// first agent reply, resolved), written by a listener on the domain events, and each agent's presence
// changes. A log rather than columns on conversations (assigned_at, first_agent_reply_at, resolved_at)
// because a conversation is reassigned, resolved and reopened: columns keep one moment, the log keeps
// every agent's share and every episode. Measured rows carry their duration in milliseconds, so reports
// are sums SQLite and PostgreSQL compute alike. Ids and timestamps only, no personal data.
import { type Kysely, type Migration, sql } from 'kysely';

export const agentMetrics: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('conversation_activity')
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
      // No foreign key: erasure deletes conversations; the ids left here identify nobody.
      .addColumn('conversation_id', 'text', (c) => c.notNull())
      // waiting | assigned | reopened | first_reply | resolved
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text')
      .addColumn('queue_id', 'text')
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('started_at', 'text')
      .addColumn('duration_ms', 'bigint')
      // Every process hears every event: the key makes the second write of a row a no-op.
      .addPrimaryKeyConstraint('conversation_activity_pk', ['workspace_id', 'conversation_id', 'kind', 'at'])
      .execute();
    await db.schema
      .createIndex('conversation_activity_range')
      .on('conversation_activity')
      .columns(['workspace_id', 'kind', 'at'])
      .execute();

    await db.schema
      .createTable('agent_presence_changes')
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
      .addColumn('user_id', 'text', (c) => c.notNull())
      // online | away | offline
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('agent_presence_changes_pk', ['workspace_id', 'user_id', 'at'])
      .execute();
    // Online time starts from what each agent's profile says now, so an agent online at upgrade time
    // counts from the change that made them so.
    await sql`insert into agent_presence_changes (workspace_id, user_id, status, at)
      select workspace_id, user_id, status, status_changed_at from agent_profiles`.execute(db);
  },
};
