// One row per bot turn, for bot analytics: what the bot understood, how sure it was and what it did
// with each customer message. The customer's question is stored sealed (free text is personal data);
// `dismissed_at` hides a question from the owner's unanswered list. Text and integer only, so the
// same migration runs on SQLite and PostgreSQL.
import type { Kysely, Migration } from 'kysely';

export const botTurns: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('bot_turns')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
      .addColumn('conversation_id', 'text', (c) => c.notNull())
      .addColumn('customer_id', 'text', (c) => c.notNull())
      .addColumn('message_id', 'text', (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('target', 'text')
      .addColumn('target_label', 'text')
      // Thousandths (0..1000): integers compare and sum the same on both databases.
      .addColumn('confidence', 'integer', (c) => c.notNull())
      .addColumn('handoff_reason', 'text')
      .addColumn('handoff_priority', 'text')
      .addColumn('question', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('dismissed_at', 'text')
      // A retried bot.reply job records its turn once.
      .addUniqueConstraint('bot_turns_message', ['workspace_id', 'message_id'])
      .execute();
    await db.schema.createIndex('bot_turns_at').on('bot_turns').columns(['workspace_id', 'at']).execute();
    await db.schema
      .createIndex('bot_turns_conversation')
      .on('bot_turns')
      .columns(['workspace_id', 'conversation_id', 'at'])
      .execute();
    // Erasing a customer deletes their turns by customer id.
    await db.schema
      .createIndex('bot_turns_customer')
      .on('bot_turns')
      .columns(['workspace_id', 'customer_id'])
      .execute();
  },
};
