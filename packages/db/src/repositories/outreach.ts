// Re-engagement campaigns of one workspace (migration 0028): segments, campaigns, the imported coupon
// pool and the drawn recipients. A send chunk is claimed with a guarded update and a lease, so a retried
// or concurrent job never sends a recipient twice while a crashed process's claim comes back. Rows hold
// ids, codes and statuses only: the customer's contact details stay sealed in their own tables.
import type {
  AudienceRow,
  CampaignStatus,
  CustomerTierName,
  OfferVariant,
  OutreachCampaign,
  OutreachRecipient,
  OutreachRepository,
  RecipientCounts,
  RecipientSkipReason,
  RecipientStatus,
  Segment,
  SegmentRule,
} from '@zhike/core';
import type { Generated, Kysely, Selectable } from 'kysely';
import type { DB } from '../schema.ts';
import { parseList, type Scope } from './scope.ts';

export interface OutreachSegmentsTable {
  id: string;
  workspaceId: string;
  name: string;
  rule: string;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface OutreachCampaignsTable {
  id: string;
  workspaceId: string;
  name: string;
  segmentId: string;
  channel: string;
  inboxId: string;
  variants: string;
  holdoutPercent: number;
  couponMode: string;
  couponPrefix: string;
  timeZone: string;
  quietStart: string | null;
  quietEnd: string | null;
  capCount: number;
  capDays: number;
  attributionDays: number;
  status: string;
  createdBy: string;
  createdAt: string;
  startedAt: string | null;
  plannedAt: string | null;
  finishedAt: string | null;
}

export interface OutreachCouponsTable {
  id: string;
  workspaceId: string;
  campaignId: string;
  code: string;
  assigned: number;
  createdAt: string;
}

export interface OutreachRecipientsTable {
  id: string;
  workspaceId: string;
  campaignId: string;
  customerId: string;
  variant: string | null;
  status: string;
  skipReason: string | null;
  couponCode: string | null;
  lastProduct: string | null;
  chunk: number;
  sendingUntil: string | null;
  providerMessageId: string | null;
  error: string | null;
  sentAt: string | null;
  updatedAt: string;
  attempts: Generated<number>;
  attemptedAt: string | null;
}

/** Rows per INSERT: well under SQLite's bound-variable limit. */
const BULK = 500;

const toSegment = (r: Selectable<OutreachSegmentsTable>): Segment => ({
  id: r.id,
  name: r.name,
  rule: JSON.parse(r.rule) as SegmentRule,
  createdBy: r.createdBy,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
});

const toCampaign = (r: Selectable<OutreachCampaignsTable>): OutreachCampaign => ({
  id: r.id,
  workspaceId: r.workspaceId,
  name: r.name,
  segmentId: r.segmentId,
  channel: r.channel as OutreachCampaign['channel'],
  inboxId: r.inboxId,
  variants: parseList<OfferVariant>(r.variants),
  holdoutPercent: Number(r.holdoutPercent),
  couponMode: r.couponMode as OutreachCampaign['couponMode'],
  couponPrefix: r.couponPrefix,
  timeZone: r.timeZone,
  quietHours: r.quietStart && r.quietEnd ? { start: r.quietStart, end: r.quietEnd } : null,
  capCount: Number(r.capCount),
  capDays: Number(r.capDays),
  attributionDays: Number(r.attributionDays),
  status: r.status as CampaignStatus,
  createdBy: r.createdBy,
  createdAt: r.createdAt,
  startedAt: r.startedAt,
  plannedAt: r.plannedAt,
  finishedAt: r.finishedAt,
});

const toRecipient = (r: Selectable<OutreachRecipientsTable>): OutreachRecipient => ({
  id: r.id,
  campaignId: r.campaignId,
  customerId: r.customerId,
  variant: r.variant,
  status: r.status as RecipientStatus,
  skipReason: r.skipReason as RecipientSkipReason | null,
  couponCode: r.couponCode,
  lastProduct: r.lastProduct,
  chunk: Number(r.chunk),
  providerMessageId: r.providerMessageId,
  error: r.error,
  sentAt: r.sentAt,
  updatedAt: r.updatedAt,
  attempts: Number(r.attempts),
  attemptedAt: r.attemptedAt,
});

const tierOf = (tier: string): CustomerTierName => (tier === 'vip' || tier === 'regular' ? tier : 'new');

export function outreachRepository(s: Scope): OutreachRepository {
  const campaigns = () => s.db.selectFrom('outreachCampaigns').where('workspaceId', '=', s.workspaceId);
  const recipients = (campaignId: string) =>
    s.db
      .selectFrom('outreachRecipients')
      .where('workspaceId', '=', s.workspaceId)
      .where('campaignId', '=', campaignId);
  /** Runs `fn` in a transaction, or in the caller's when there is one already. */
  const atomically = <T>(fn: (db: Kysely<DB>) => Promise<T>): Promise<T> =>
    s.db.isTransaction ? fn(s.db) : s.db.transaction().execute(fn);

  return {
    segments: {
      async list() {
        const rows = await s.db
          .selectFrom('outreachSegments')
          .selectAll()
          .where('workspaceId', '=', s.workspaceId)
          .orderBy('createdAt', 'desc')
          .orderBy('id', 'desc')
          .execute();
        return rows.map(toSegment);
      },
      async get(id) {
        const row = await s.db
          .selectFrom('outreachSegments')
          .selectAll()
          .where('workspaceId', '=', s.workspaceId)
          .where('id', '=', id)
          .executeTakeFirst();
        return row ? toSegment(row) : null;
      },
      async save(segment) {
        const fields = {
          name: segment.name,
          rule: JSON.stringify(segment.rule),
          updatedAt: segment.updatedAt,
        };
        const updated = await s.db
          .updateTable('outreachSegments')
          .set(fields)
          .where('workspaceId', '=', s.workspaceId)
          .where('id', '=', segment.id)
          .executeTakeFirst();
        if (Number(updated.numUpdatedRows) > 0) return;
        await s.db
          .insertInto('outreachSegments')
          .values({
            id: segment.id,
            workspaceId: s.workspaceId,
            createdBy: segment.createdBy,
            createdAt: segment.createdAt,
            ...fields,
          })
          .execute();
      },
      async delete(id) {
        const result = await s.db
          .deleteFrom('outreachSegments')
          .where('workspaceId', '=', s.workspaceId)
          .where('id', '=', id)
          .executeTakeFirst();
        return Number(result.numDeletedRows) > 0;
      },
    },

    async audience(): Promise<AudienceRow[]> {
      const customers = await s.db
        .selectFrom('customers')
        .select(['id', 'tier', 'profileTags'])
        .where('workspaceId', '=', s.workspaceId)
        .execute();
      const contacts = await s.db
        .selectFrom('conversations')
        .select(['customerId', (eb) => eb.fn.max('updatedAt').as('last')])
        .where('workspaceId', '=', s.workspaceId)
        .groupBy('customerId')
        .execute();
      const last = new Map(contacts.map((c) => [c.customerId, c.last as string | null]));
      return customers.map((c) => ({
        customerId: c.id,
        tier: tierOf(c.tier),
        tags: parseList<string>(c.profileTags),
        lastContactAt: last.get(c.id) ?? null,
      }));
    },

    async create(c) {
      await s.db
        .insertInto('outreachCampaigns')
        .values({
          id: c.id,
          workspaceId: s.workspaceId,
          name: c.name,
          segmentId: c.segmentId,
          channel: c.channel,
          inboxId: c.inboxId,
          variants: JSON.stringify(c.variants),
          holdoutPercent: c.holdoutPercent,
          couponMode: c.couponMode,
          couponPrefix: c.couponPrefix,
          timeZone: c.timeZone,
          quietStart: c.quietHours?.start ?? null,
          quietEnd: c.quietHours?.end ?? null,
          capCount: c.capCount,
          capDays: c.capDays,
          attributionDays: c.attributionDays,
          status: c.status,
          createdBy: c.createdBy,
          createdAt: c.createdAt,
          startedAt: c.startedAt,
          plannedAt: c.plannedAt,
          finishedAt: c.finishedAt,
        })
        .execute();
    },
    async get(id) {
      const row = await campaigns().selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toCampaign(row) : null;
    },
    async list({ limit }) {
      const rows = await campaigns()
        .selectAll()
        .orderBy('createdAt', 'desc')
        .orderBy('id', 'desc')
        .limit(limit)
        .execute();
      return rows.map(toCampaign);
    },
    async setStatus(id, change) {
      const result = await s.db
        .updateTable('outreachCampaigns')
        .set({
          status: change.to,
          ...(change.to === 'running' ? { startedAt: change.at } : {}),
          ...(change.to === 'completed' || change.to === 'cancelled' ? { finishedAt: change.at } : {}),
        })
        .where('workspaceId', '=', s.workspaceId)
        .where('id', '=', id)
        .where('status', 'in', [...change.from])
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
    async markPlanned(id, at) {
      const result = await s.db
        .updateTable('outreachCampaigns')
        .set({ plannedAt: at })
        .where('workspaceId', '=', s.workspaceId)
        .where('id', '=', id)
        .where('plannedAt', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    coupons: {
      async import(campaignId, codes, at) {
        const unique = [...new Set(codes.map((c) => c.trim().toUpperCase()).filter(Boolean))];
        let added = 0;
        await atomically(async (db) => {
          for (let i = 0; i < unique.length; i += BULK) {
            const rows = await db
              .insertInto('outreachCoupons')
              .values(
                unique.slice(i, i + BULK).map((code) => ({
                  id: s.newId(),
                  workspaceId: s.workspaceId,
                  campaignId,
                  code,
                  assigned: 0,
                  createdAt: at,
                })),
              )
              .onConflict((oc) => oc.columns(['workspaceId', 'code']).doNothing())
              .returning('id')
              .execute();
            added += rows.length;
          }
        });
        return added;
      },
      async unassigned(campaignId, limit) {
        const rows = await s.db
          .selectFrom('outreachCoupons')
          .select('code')
          .where('workspaceId', '=', s.workspaceId)
          .where('campaignId', '=', campaignId)
          .where('assigned', '=', 0)
          .orderBy('id')
          .limit(limit)
          .execute();
        return rows.map((r) => r.code);
      },
      async count(campaignId) {
        const rows = await s.db
          .selectFrom('outreachCoupons')
          .select(['assigned', (eb) => eb.fn.countAll<string | number>().as('n')])
          .where('workspaceId', '=', s.workspaceId)
          .where('campaignId', '=', campaignId)
          .groupBy('assigned')
          .execute();
        const assigned = Number(rows.find((r) => Number(r.assigned) === 1)?.n ?? 0);
        return { total: rows.reduce((sum, r) => sum + Number(r.n), 0), assigned };
      },
    },

    recipients: {
      async add(campaignId, rows, at) {
        let added = 0;
        await atomically(async (db) => {
          for (let i = 0; i < rows.length; i += BULK) {
            const batch = rows.slice(i, i + BULK);
            const inserted = await db
              .insertInto('outreachRecipients')
              .values(
                batch.map((r) => ({
                  id: r.id,
                  workspaceId: s.workspaceId,
                  campaignId,
                  customerId: r.customerId,
                  variant: r.variant,
                  status: r.status,
                  skipReason: r.skipReason,
                  couponCode: r.couponCode,
                  lastProduct: r.lastProduct,
                  chunk: r.chunk,
                  sendingUntil: null,
                  providerMessageId: null,
                  error: null,
                  sentAt: null,
                  updatedAt: at,
                })),
              )
              .returning('couponCode')
              .execute();
            added += inserted.length;
            const codes = inserted.map((r) => r.couponCode).filter((c): c is string => c !== null);
            if (codes.length > 0)
              await db
                .updateTable('outreachCoupons')
                .set({ assigned: 1 })
                .where('workspaceId', '=', s.workspaceId)
                .where('campaignId', '=', campaignId)
                .where('code', 'in', codes)
                .execute();
          }
        });
        return added;
      },
      async openChunks(campaignId, now) {
        const rows = await recipients(campaignId)
          .select('chunk')
          .where((w) =>
            w.or([
              w('status', '=', 'pending'),
              w.and([w('status', '=', 'sending'), w('sendingUntil', '<=', now)]),
            ]),
          )
          .groupBy('chunk')
          .orderBy('chunk')
          .execute();
        return rows.map((r) => Number(r.chunk));
      },
      async claimChunk(campaignId, chunk, now, leaseUntil) {
        const rows = await s.db
          .updateTable('outreachRecipients')
          .set((eb) => ({
            status: 'sending',
            sendingUntil: leaseUntil,
            updatedAt: now,
            attempts: eb('attempts', '+', 1),
            attemptedAt: eb.fn.coalesce('attemptedAt', eb.val(now)),
          }))
          .where('workspaceId', '=', s.workspaceId)
          .where('campaignId', '=', campaignId)
          .where('chunk', '=', chunk)
          .where((w) =>
            w.or([
              w('status', '=', 'pending'),
              w.and([w('status', '=', 'sending'), w('sendingUntil', '<=', now)]),
            ]),
          )
          .returningAll()
          .execute();
        return rows.map(toRecipient).sort((a, b) => (a.id < b.id ? -1 : 1));
      },
      async finish(id, end) {
        await s.db
          .updateTable('outreachRecipients')
          .set({
            status: end.status,
            skipReason: end.skipReason,
            providerMessageId: end.providerMessageId,
            error: end.error?.slice(0, 500) ?? null,
            sendingUntil: null,
            ...(end.status === 'sent' ? { sentAt: end.at } : {}),
            updatedAt: end.at,
          })
          .where('workspaceId', '=', s.workspaceId)
          .where('id', '=', id)
          .where('status', '=', 'sending')
          .execute();
      },
      async sentSince(customerId, since) {
        const row = await s.db
          .selectFrom('outreachRecipients')
          .select((eb) => eb.fn.countAll<string | number>().as('n'))
          .where('workspaceId', '=', s.workspaceId)
          .where('customerId', '=', customerId)
          .where('sentAt', '>=', since)
          .executeTakeFirst();
        return Number(row?.n ?? 0);
      },
      async counts(campaignId) {
        const rows = await recipients(campaignId)
          .select(['status', (eb) => eb.fn.countAll<string | number>().as('n')])
          .groupBy('status')
          .execute();
        const counts: RecipientCounts = {
          pending: 0,
          sending: 0,
          sent: 0,
          skipped: 0,
          failed: 0,
          holdout: 0,
        };
        for (const r of rows) counts[r.status as RecipientStatus] = Number(r.n);
        return counts;
      },
      async all(campaignId) {
        const rows = await recipients(campaignId).selectAll().orderBy('id').execute();
        return rows.map(toRecipient);
      },
      async sample(campaignId) {
        const row = await recipients(campaignId)
          .selectAll()
          .where('variant', 'is not', null)
          .orderBy('id')
          .limit(1)
          .executeTakeFirst();
        return row ? toRecipient(row) : null;
      },
      async skipPending(campaignId, reason, at) {
        const result = await s.db
          .updateTable('outreachRecipients')
          .set({ status: 'skipped', skipReason: reason, updatedAt: at })
          .where('workspaceId', '=', s.workspaceId)
          .where('campaignId', '=', campaignId)
          .where('status', '=', 'pending')
          .executeTakeFirst();
        return Number(result.numUpdatedRows);
      },
      async deleteForCustomer(customerId) {
        const result = await s.db
          .deleteFrom('outreachRecipients')
          .where('workspaceId', '=', s.workspaceId)
          .where('customerId', '=', customerId)
          .executeTakeFirst();
        return Number(result.numDeletedRows);
      },
    },
  };
}
