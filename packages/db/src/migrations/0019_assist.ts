// Agent assist (issue 7): each conversation's survey result (score 1–5, the customer's comment sealed with
// their own key, when it was given) and when it was last reopened after a resolution — the history of
// good replies trusts conversations that ended well and stayed ended — plus one row per customer message
// an agent saw suggestions for: what was shown (rank, source, a hash of the text, never the text), what
// the agent did with them and how long the suggestions took. Forward-only; text and integer only.
import type { Kysely, Migration } from 'kysely';

export const assist: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('conversations').addColumn('csat_score', 'integer').execute();
    await db.schema.alterTable('conversations').addColumn('csat_comment', 'text').execute();
    await db.schema.alterTable('conversations').addColumn('rated_at', 'text').execute();
    await db.schema.alterTable('conversations').addColumn('reopened_at', 'text').execute();

    await db.schema
      .createTable('suggestion_feedback')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
      // No foreign keys to conversations/messages: erasure deletes these rows by conversation first.
      .addColumn('conversation_id', 'text', (c) => c.notNull())
      // The customer message the suggestions answered.
      .addColumn('message_id', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      // The intent the suggestions were ranked for (null: none detected).
      .addColumn('intent', 'text')
      // JSON [{ rank, kind, sourceId, textHash, pinned }].
      .addColumn('suggestions', 'text', (c) => c.notNull())
      // accepted | edited | ignored
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('chosen_rank', 'integer')
      .addColumn('sent_message_id', 'text')
      // Edited: how much of the suggestion changed, thousandths of its length (0..1000).
      .addColumn('edit_ratio', 'integer')
      .addColumn('latency_ms', 'integer')
      .addColumn('created_at', 'text', (c) => c.notNull())
      // One verdict per agent and customer message: a retried report changes nothing.
      .addUniqueConstraint('suggestion_feedback_message_user', ['workspace_id', 'message_id', 'user_id'])
      .execute();
    await db.schema
      .createIndex('suggestion_feedback_at')
      .on('suggestion_feedback')
      .columns(['workspace_id', 'created_at'])
      .execute();
    await db.schema
      .createIndex('suggestion_feedback_conversation')
      .on('suggestion_feedback')
      .columns(['workspace_id', 'conversation_id'])
      .execute();
    // The history index reads resolved conversations per workspace.
    await db.schema
      .createIndex('conversations_resolved')
      .on('conversations')
      .columns(['workspace_id', 'status', 'updated_at'])
      .execute();
  },
};
