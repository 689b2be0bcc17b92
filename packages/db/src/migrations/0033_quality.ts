// Automated quality inspection (issue 12): each workspace's ruleset versions (a save adds a row), one
// result per conversation or call (score, the rules broken, where the evidence is — never its words,
// which stay sealed in the messages and transcripts), the review queue (random sample plus low scores,
// with the reviewer's own score and comment) and agents' appeals with the supervisor's decision.
// Comments, reasons and notes are staff text about a customer's case: sealed with the workspace key.
// Forward-only; text and integer only.
import type { Kysely, Migration } from 'kysely';

export const quality: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('quality_rulesets')
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
      .addColumn('version', 'integer', (c) => c.notNull())
      // JSON: the rules (id, name, kind, weight, enabled, params) and the sampling settings.
      .addColumn('rules', 'text', (c) => c.notNull())
      .addColumn('sampling', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text')
      .addPrimaryKeyConstraint('quality_rulesets_pk', ['workspace_id', 'version'])
      .execute();

    await db.schema
      .createTable('quality_results')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
      // 'conversation' or 'call', and its id: one result per subject, replaced when it is scored again.
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('subject_id', 'text', (c) => c.notNull())
      .addColumn('conversation_id', 'text', (c) => c.notNull())
      .addColumn('customer_id', 'text', (c) => c.notNull())
      .addColumn('agent_id', 'text')
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('score', 'integer', (c) => c.notNull())
      // Set by an accepted appeal; the score that counts is adjusted_score when set.
      .addColumn('adjusted_score', 'integer')
      .addColumn('effective_score', 'integer', (c) => c.notNull())
      // JSON [{ ruleId, kind, deducted, hits }] and JSON hits (places and measured values only).
      .addColumn('violations', 'text', (c) => c.notNull())
      // Space-separated ids of the rules broken, wrapped in spaces (' a b '), for the filter by rule.
      .addColumn('rule_ids', 'text', (c) => c.notNull())
      .addColumn('hits', 'text', (c) => c.notNull())
      .addColumn('ruleset_version', 'integer', (c) => c.notNull())
      .addColumn('ended_at', 'text', (c) => c.notNull())
      .addColumn('scored_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('quality_results_subject')
      .on('quality_results')
      .columns(['workspace_id', 'subject', 'subject_id'])
      .unique()
      .execute();
    await db.schema
      .createIndex('quality_results_ended')
      .on('quality_results')
      .columns(['workspace_id', 'ended_at'])
      .execute();
    await db.schema
      .createIndex('quality_results_agent')
      .on('quality_results')
      .columns(['workspace_id', 'agent_id', 'ended_at'])
      .execute();

    await db.schema
      .createTable('quality_reviews')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
      .addColumn('result_id', 'text', (c) => c.notNull().references('quality_results.id'))
      // 'random' or 'low_score'.
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('reviewer_id', 'text')
      .addColumn('reviewer_score', 'integer')
      .addColumn('comment', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('reviewed_at', 'text')
      .execute();
    await db.schema
      .createIndex('quality_reviews_result')
      .on('quality_reviews')
      .columns(['workspace_id', 'result_id'])
      .unique()
      .execute();
    await db.schema
      .createIndex('quality_reviews_status')
      .on('quality_reviews')
      .columns(['workspace_id', 'status', 'created_at'])
      .execute();

    await db.schema
      .createTable('quality_appeals')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
      .addColumn('result_id', 'text', (c) => c.notNull().references('quality_results.id'))
      .addColumn('agent_id', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      // 'pending', 'accepted' or 'rejected'.
      .addColumn('status', 'text', (c) => c.notNull())
      // The result's id while pending, null once decided: at most one pending appeal per result.
      .addColumn('pending_key', 'text')
      .addColumn('decided_by', 'text')
      .addColumn('decided_at', 'text')
      .addColumn('note', 'text')
      .addColumn('adjusted_score', 'integer')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('quality_appeals_pending')
      .on('quality_appeals')
      .columns(['workspace_id', 'pending_key'])
      .unique()
      .execute();
    await db.schema
      .createIndex('quality_appeals_result')
      .on('quality_appeals')
      .columns(['workspace_id', 'result_id'])
      .execute();
  },
};
