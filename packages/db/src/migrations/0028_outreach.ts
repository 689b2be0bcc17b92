// Re-engagement campaigns (issue 10): saved segments (a rule as JSON), campaigns with their offer
// variants, hold-out, coupons, caps and quiet hours, the imported coupon pool, and one row per drawn
// customer (variant or hold-out, coupon, send chunk, lease while sending, the provider's id once sent).
import type { Kysely, Migration } from 'kysely';

export const outreach: Migration = {
  async up(db: Kysely<unknown>) {
    // The coupon an order used: an order carrying a campaign's code is that campaign's, whatever its date.
    await db.schema.alterTable('orders').addColumn('coupon_code', 'text').execute();

    await db.schema
      .createTable('outreach_segments')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('rule', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('outreach_segments_by_workspace')
      .on('outreach_segments')
      .columns(['workspace_id', 'id'])
      .execute();

    await db.schema
      .createTable('outreach_campaigns')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('segment_id', 'text', (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('inbox_id', 'text', (c) => c.notNull())
      // JSON list of { key, weight, subject, text }.
      .addColumn('variants', 'text', (c) => c.notNull())
      .addColumn('holdout_percent', 'integer', (c) => c.notNull())
      .addColumn('coupon_mode', 'text', (c) => c.notNull())
      .addColumn('coupon_prefix', 'text', (c) => c.notNull())
      .addColumn('time_zone', 'text', (c) => c.notNull())
      .addColumn('quiet_start', 'text')
      .addColumn('quiet_end', 'text')
      .addColumn('cap_count', 'integer', (c) => c.notNull())
      .addColumn('cap_days', 'integer', (c) => c.notNull())
      .addColumn('attribution_days', 'integer', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('started_at', 'text')
      .addColumn('planned_at', 'text')
      .addColumn('finished_at', 'text')
      .execute();
    await db.schema
      .createIndex('outreach_campaigns_by_workspace')
      .on('outreach_campaigns')
      .columns(['workspace_id', 'id'])
      .execute();

    await db.schema
      .createTable('outreach_coupons')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
      .addColumn('campaign_id', 'text', (c) => c.notNull())
      .addColumn('code', 'text', (c) => c.notNull())
      .addColumn('assigned', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('outreach_coupons_unique')
      .on('outreach_coupons')
      .columns(['workspace_id', 'code'])
      .unique()
      .execute();
    await db.schema
      .createIndex('outreach_coupons_pool')
      .on('outreach_coupons')
      .columns(['workspace_id', 'campaign_id', 'assigned', 'id'])
      .execute();

    // Not unique per (campaign, customer): a merge of two recipients moves both rows to the survivor.
    // Planning is one transaction guarded by planned_at, so a campaign draws each customer once.
    await db.schema
      .createTable('outreach_recipients')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
      .addColumn('campaign_id', 'text', (c) => c.notNull())
      .addColumn('customer_id', 'text', (c) => c.notNull())
      .addColumn('variant', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('skip_reason', 'text')
      .addColumn('coupon_code', 'text')
      // The newest order's first item when drawn, for {lastProduct} (order items are not sealed either).
      .addColumn('last_product', 'text')
      .addColumn('chunk', 'integer', (c) => c.notNull())
      .addColumn('sending_until', 'text')
      .addColumn('provider_message_id', 'text')
      .addColumn('error', 'text')
      .addColumn('sent_at', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('outreach_recipients_by_campaign')
      .on('outreach_recipients')
      .columns(['workspace_id', 'campaign_id', 'customer_id'])
      .execute();
    await db.schema
      .createIndex('outreach_recipients_chunk')
      .on('outreach_recipients')
      .columns(['workspace_id', 'campaign_id', 'chunk', 'status'])
      .execute();
    // The frequency cap: what a customer was sent lately, across campaigns.
    await db.schema
      .createIndex('outreach_recipients_by_customer')
      .on('outreach_recipients')
      .columns(['workspace_id', 'customer_id', 'sent_at'])
      .execute();
  },
};
