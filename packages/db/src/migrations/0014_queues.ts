// Human queues (issue 6): the queues a workspace routes to, which agents serve them, each agent's skills,
// languages, capacity and presence, the offers the dispatcher makes, and each wait with its outcome (the
// history estimated waits come from). One settings row per workspace doubles as the dispatcher's lock.
// No personal data here: ids, slugs, names the shop chose, timestamps. Forward-only; text and integer only.
import type { Kysely, Migration } from 'kysely';

export const queues: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('queues')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
      // A slug rules and templates name (general, complaints, vip); unique per workspace.
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      // JSON list of skills an agent must have all of to serve the queue.
      .addColumn('required_skills', 'text', (c) => c.notNull().defaultTo('[]'))
      // When set, agents must speak it (and conversations in it are expected to be in it).
      .addColumn('language', 'text')
      .addColumn('strategy', 'text', (c) => c.notNull().defaultTo('least_busy'))
      .addColumn('pickup_timeout_seconds', 'integer', (c) => c.notNull().defaultTo(30))
      .addColumn('overflow_policy', 'text', (c) => c.notNull().defaultTo('wait'))
      .addColumn('overflow_after_seconds', 'integer', (c) => c.notNull().defaultTo(120))
      .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
      // Round-robin cursor: the agent the queue offered to last.
      .addColumn('last_offered_user_id', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('queues_workspace_key', ['workspace_id', 'key'])
      .execute();

    await db.schema
      .createTable('queue_members')
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
      .addColumn('queue_id', 'text', (c) => c.notNull().references('queues.id').onDelete('cascade'))
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('queue_members_pk', ['queue_id', 'user_id'])
      .execute();
    await db.schema
      .createIndex('queue_members_user')
      .on('queue_members')
      .columns(['workspace_id', 'user_id'])
      .execute();

    await db.schema
      .createTable('agent_profiles')
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('skills', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('languages', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('capacity', 'integer', (c) => c.notNull().defaultTo(3))
      // online | away | offline, as the agent (or auto-away) set it.
      .addColumn('status', 'text', (c) => c.notNull().defaultTo('offline'))
      .addColumn('status_changed_at', 'text', (c) => c.notNull())
      // Refreshed by console sockets and API calls; auto-away compares against it.
      .addColumn('last_activity_at', 'text', (c) => c.notNull())
      // Set when the agent was made away for idleness (not by their own choice): activity brings them back.
      .addColumn('auto_away', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('agent_profiles_pk', ['workspace_id', 'user_id'])
      .execute();

    await db.schema
      .createTable('conversation_offers')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
      // No foreign key to conversations/customers: erasure deletes these rows by customer first.
      .addColumn('conversation_id', 'text', (c) => c.notNull())
      .addColumn('customer_id', 'text', (c) => c.notNull())
      .addColumn('queue_id', 'text')
      .addColumn('user_id', 'text', (c) => c.notNull())
      // pending | accepted | declined | expired | withdrawn
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('offered_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('responded_at', 'text')
      .execute();
    await db.schema
      .createIndex('conversation_offers_conversation')
      .on('conversation_offers')
      .columns(['workspace_id', 'conversation_id'])
      .execute();
    await db.schema
      .createIndex('conversation_offers_user')
      .on('conversation_offers')
      .columns(['workspace_id', 'user_id', 'status'])
      .execute();

    await db.schema
      .createTable('queue_waits')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
      .addColumn('conversation_id', 'text', (c) => c.notNull())
      .addColumn('customer_id', 'text', (c) => c.notNull())
      .addColumn('queue_id', 'text')
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('ended_at', 'text')
      // picked_up | overflow_bot | overflow_callback | left
      .addColumn('outcome', 'text')
      // What the customer was last told, so only meaningful changes are announced again.
      .addColumn('announced_position', 'integer')
      .addColumn('announced_wait_seconds', 'integer')
      .addColumn('announced_at', 'text')
      .execute();
    await db.schema
      .createIndex('queue_waits_conversation')
      .on('queue_waits')
      .columns(['workspace_id', 'conversation_id', 'ended_at'])
      .execute();
    await db.schema
      .createIndex('queue_waits_history')
      .on('queue_waits')
      .columns(['workspace_id', 'queue_id', 'ended_at'])
      .execute();

    await db.schema
      .createTable('queue_settings')
      .addColumn('workspace_id', 'text', (c) => c.primaryKey().references('workspaces.id'))
      .addColumn('auto_away_minutes', 'integer', (c) => c.notNull().defaultTo(10))
      // The template whose default queues were created (null: none yet); they are created once.
      .addColumn('seeded_template', 'text')
      // Bumped under the row lock by every dispatch: the lock row itself (SELECT … FOR UPDATE).
      .addColumn('dispatch_seq', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
  },
};
