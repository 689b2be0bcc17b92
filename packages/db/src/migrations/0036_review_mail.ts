// The weekly review mailed to owners (issue 12): each workspace's mailing settings, and what each week's
// mailing came to (sent, skipped, failed), so a week is mailed once and the console shows the record.
// No personal data: recipients are counted, not listed. Forward-only; text and integer only.
import type { Kysely, Migration } from 'kysely';

export const reviewMail: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('review_mail_settings')
      .addColumn('workspace_id', 'text', (c) => c.primaryKey().references('workspaces.id'))
      // JSON: { enabled, sendHour, includeAdmins }.
      .addColumn('settings', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('review_mailings')
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
      .addColumn('week', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('recipients', 'integer', (c) => c.notNull())
      .addColumn('detail', 'text')
      .addColumn('at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('review_mailings_pk', ['workspace_id', 'week'])
      .execute();
  },
};
