// Outbound call campaigns of one workspace (migration 0023): campaigns, their targets (phone sealed; a
// target is claimed for a dial attempt with a guarded update and a lease, so two ticks never dial it
// twice and a crashed process's claim comes back) and the do-not-call list (looked up by blind index).
import type {
  Campaign,
  CampaignProgress,
  CampaignsRepository,
  CampaignTarget,
  DialOutcome,
  DoNotCallEntry,
  SkipReason,
  TargetResult,
  TargetStatus,
} from '@zhike/core';
import type { Selectable } from 'kysely';
import type { PersonalDataCodec } from '../personalData.ts';
import type { Scope } from './scope.ts';

export interface CampaignsTable {
  id: string;
  workspaceId: string;
  name: string;
  kind: string;
  purpose: string;
  inboxId: string;
  script: string;
  language: string;
  timeZone: string;
  quietStart: string | null;
  quietEnd: string | null;
  callsPerMinute: number;
  maxConcurrent: number;
  maxAttempts: number;
  retryDelayMinutes: number;
  status: string;
  createdBy: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface CampaignTargetsTable {
  id: string;
  workspaceId: string;
  campaignId: string;
  customerId: string | null;
  conversationId: string | null;
  phone: string;
  status: string;
  skipReason: string | null;
  attempts: number;
  nextAttemptAt: string | null;
  lastDialedAt: string | null;
  dialingUntil: string | null;
  lastOutcome: string | null;
  result: string | null;
  callId: string | null;
  updatedAt: string;
}

export interface DoNotCallTable {
  id: string;
  workspaceId: string;
  phone: string;
  phoneLookup: string;
  reason: string;
  addedBy: string;
  createdAt: string;
}

const PHONE_FIELD = 'campaign_targets.phone';
const DNC_FIELD = 'do_not_call.phone';
const CHUNK = 200;

const toCampaign = (r: Selectable<CampaignsTable>): Campaign => ({
  id: r.id,
  workspaceId: r.workspaceId,
  name: r.name,
  kind: r.kind as Campaign['kind'],
  purpose: r.purpose as Campaign['purpose'],
  inboxId: r.inboxId,
  script: r.script,
  language: r.language,
  timeZone: r.timeZone,
  quietHours: r.quietStart && r.quietEnd ? { start: r.quietStart, end: r.quietEnd } : null,
  callsPerMinute: Number(r.callsPerMinute),
  maxConcurrent: Number(r.maxConcurrent),
  maxAttempts: Number(r.maxAttempts),
  retryDelayMinutes: Number(r.retryDelayMinutes),
  status: r.status as Campaign['status'],
  createdBy: r.createdBy,
  createdAt: r.createdAt,
  startedAt: r.startedAt,
  finishedAt: r.finishedAt,
});

const toTarget = (codec: PersonalDataCodec, r: Selectable<CampaignTargetsTable>): CampaignTarget => ({
  id: r.id,
  campaignId: r.campaignId,
  customerId: r.customerId,
  conversationId: r.conversationId,
  phone: codec.open(r.phone, PHONE_FIELD),
  status: r.status as TargetStatus,
  skipReason: r.skipReason as SkipReason | null,
  attempts: Number(r.attempts),
  nextAttemptAt: r.nextAttemptAt,
  lastOutcome: r.lastOutcome as DialOutcome | null,
  result: r.result ? (JSON.parse(r.result) as TargetResult) : null,
  callId: r.callId,
  updatedAt: r.updatedAt,
});

export function campaignsRepository(s: Scope): CampaignsRepository {
  const campaigns = () => s.db.selectFrom('campaigns').where('workspaceId', '=', s.workspaceId);
  const targets = (campaignId: string) =>
    s.db
      .selectFrom('campaignTargets')
      .where('workspaceId', '=', s.workspaceId)
      .where('campaignId', '=', campaignId);
  const updateTarget = (id: string) =>
    s.db.updateTable('campaignTargets').where('workspaceId', '=', s.workspaceId).where('id', '=', id);

  return {
    async create(c, list) {
      const codec = await s.codec();
      await s.db.transaction().execute(async (tx) => {
        await tx
          .insertInto('campaigns')
          .values({
            id: c.id,
            workspaceId: s.workspaceId,
            name: c.name,
            kind: c.kind,
            purpose: c.purpose,
            inboxId: c.inboxId,
            script: c.script,
            language: c.language,
            timeZone: c.timeZone,
            quietStart: c.quietHours?.start ?? null,
            quietEnd: c.quietHours?.end ?? null,
            callsPerMinute: c.callsPerMinute,
            maxConcurrent: c.maxConcurrent,
            maxAttempts: c.maxAttempts,
            retryDelayMinutes: c.retryDelayMinutes,
            status: c.status,
            createdBy: c.createdBy,
            createdAt: c.createdAt,
            startedAt: c.startedAt,
            finishedAt: c.finishedAt,
          })
          .execute();
        for (let i = 0; i < list.length; i += CHUNK) {
          await tx
            .insertInto('campaignTargets')
            .values(
              list.slice(i, i + CHUNK).map((t) => ({
                id: t.id,
                workspaceId: s.workspaceId,
                campaignId: c.id,
                customerId: t.customerId,
                conversationId: t.conversationId,
                phone: codec.seal(t.phone, PHONE_FIELD),
                status: 'pending',
                skipReason: null,
                attempts: 0,
                nextAttemptAt: c.createdAt,
                lastDialedAt: null,
                dialingUntil: null,
                lastOutcome: null,
                result: null,
                callId: null,
                updatedAt: c.createdAt,
              })),
            )
            .execute();
        }
      });
    },
    async get(id) {
      const row = await campaigns().selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toCampaign(row) : null;
    },
    async list({ limit }) {
      const rows = await campaigns().selectAll().orderBy('id', 'desc').limit(limit).execute();
      return rows.map(toCampaign);
    },
    async setStatus(id, { from, to, at }) {
      const fields: Partial<CampaignsTable> = { status: to };
      if (to === 'running') fields.startedAt = at;
      if (to === 'completed' || to === 'cancelled') fields.finishedAt = at;
      const result = await s.db
        .updateTable('campaigns')
        .set(fields)
        .where('workspaceId', '=', s.workspaceId)
        .where('id', '=', id)
        .where('status', 'in', [...from])
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
    async progress(id) {
      const rows = await targets(id)
        .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
        .groupBy('status')
        .execute();
      const count = (status: string) => Number(rows.find((r) => r.status === status)?.n ?? 0);
      const scores = await targets(id).select('result').where('result', 'is not', null).execute();
      const values = scores
        .map((r) => (JSON.parse(r.result ?? '{}') as TargetResult).score)
        .filter((v): v is number => typeof v === 'number');
      const progress: CampaignProgress = {
        total: rows.reduce((sum, r) => sum + Number(r.n), 0),
        pending: count('pending'),
        dialing: count('dialing'),
        reached: count('reached'),
        unreached: count('unreached'),
        skipped: count('skipped'),
        averageScore: values.length ? values.reduce((a, b) => a + b, 0) / values.length : null,
      };
      return progress;
    },
    async targets(id, { limit, status, after }) {
      let query = targets(id).selectAll();
      if (status) query = query.where('status', '=', status);
      if (after) query = query.where('id', '>', after);
      const rows = await query.orderBy('id').limit(limit).execute();
      const codec = await s.codec();
      return rows.map((r) => toTarget(codec, r));
    },
    async dueTargets(id, now, limit) {
      const rows = await targets(id)
        .selectAll()
        .where('status', '=', 'pending')
        .where('nextAttemptAt', '<=', now)
        .orderBy('nextAttemptAt')
        .orderBy('id')
        .limit(limit)
        .execute();
      const codec = await s.codec();
      return rows.map((r) => toTarget(codec, r));
    },
    async nextDueAt(id, now) {
      const row = await targets(id)
        .select((eb) => eb.fn.min('nextAttemptAt').as('at'))
        .where('status', '=', 'pending')
        .where('nextAttemptAt', '>', now)
        .executeTakeFirst();
      return (row?.at as string | null | undefined) ?? null;
    },
    async inFlight(id) {
      const row = await targets(id)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('status', '=', 'dialing')
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },
    async placedSince(id, since) {
      const rows = await targets(id).select('lastDialedAt').where('lastDialedAt', '>', since).execute();
      return rows.map((r) => r.lastDialedAt).filter((v): v is string => v !== null);
    },
    async claimForDial(targetId, at, leaseUntil) {
      const claimed = await updateTarget(targetId)
        .set((eb) => ({
          status: 'dialing',
          attempts: eb('attempts', '+', 1),
          lastDialedAt: at,
          dialingUntil: leaseUntil,
          updatedAt: at,
        }))
        .where('status', '=', 'pending')
        .returningAll()
        .executeTakeFirst();
      return claimed ? toTarget(await s.codec(), claimed) : null;
    },
    async finishAttempt(targetId, end) {
      await updateTarget(targetId)
        .set({
          status: end.status,
          nextAttemptAt: end.nextAttemptAt,
          dialingUntil: null,
          lastOutcome: end.outcome,
          result: end.result ? JSON.stringify(end.result) : null,
          callId: end.callId,
          updatedAt: end.at,
        })
        .where('status', '=', 'dialing')
        .execute();
    },
    async skip(targetId, reason, at) {
      await updateTarget(targetId)
        .set({ status: 'skipped', skipReason: reason, nextAttemptAt: null, updatedAt: at })
        .where('status', '=', 'pending')
        .execute();
    },
    async skipPending(id, reason, at) {
      const result = await s.db
        .updateTable('campaignTargets')
        .set({ status: 'skipped', skipReason: reason, nextAttemptAt: null, updatedAt: at })
        .where('workspaceId', '=', s.workspaceId)
        .where('campaignId', '=', id)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
    async deleteTargetsForCustomer(customerId) {
      const result = await s.db
        .deleteFrom('campaignTargets')
        .where('workspaceId', '=', s.workspaceId)
        .where('customerId', '=', customerId)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
    async releaseStale(id, now) {
      const result = await s.db
        .updateTable('campaignTargets')
        .set({
          status: 'pending',
          dialingUntil: null,
          nextAttemptAt: now,
          lastOutcome: 'failed',
          updatedAt: now,
        })
        .where('workspaceId', '=', s.workspaceId)
        .where('campaignId', '=', id)
        .where('status', '=', 'dialing')
        .where('dialingUntil', '<=', now)
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
    doNotCall: {
      async add(entry) {
        const codec = await s.codec();
        const lookup = codec.lookup(entry.phone, 'phone');
        const existing = await s.db
          .selectFrom('doNotCall')
          .selectAll()
          .where('workspaceId', '=', s.workspaceId)
          .where('phoneLookup', '=', lookup)
          .executeTakeFirst();
        if (existing)
          return {
            ...entry,
            id: existing.id,
            reason: existing.reason,
            createdAt: existing.createdAt,
            addedBy: existing.addedBy,
          };
        await s.db
          .insertInto('doNotCall')
          .values({
            id: entry.id,
            workspaceId: s.workspaceId,
            phone: codec.seal(entry.phone, DNC_FIELD),
            phoneLookup: lookup,
            reason: entry.reason,
            addedBy: entry.addedBy,
            createdAt: entry.createdAt,
          })
          .onConflict((oc) => oc.columns(['workspaceId', 'phoneLookup']).doNothing())
          .execute();
        return entry;
      },
      async remove(id) {
        const result = await s.db
          .deleteFrom('doNotCall')
          .where('workspaceId', '=', s.workspaceId)
          .where('id', '=', id)
          .executeTakeFirst();
        return Number(result.numDeletedRows) > 0;
      },
      async list() {
        const codec = await s.codec();
        const rows = await s.db
          .selectFrom('doNotCall')
          .selectAll()
          .where('workspaceId', '=', s.workspaceId)
          .orderBy('createdAt', 'desc')
          .execute();
        return rows.map(
          (r): DoNotCallEntry => ({
            id: r.id,
            phone: codec.open(r.phone, DNC_FIELD),
            reason: r.reason,
            addedBy: r.addedBy,
            createdAt: r.createdAt,
          }),
        );
      },
      async contains(phone) {
        const codec = await s.codec();
        const row = await s.db
          .selectFrom('doNotCall')
          .select('id')
          .where('workspaceId', '=', s.workspaceId)
          .where('phoneLookup', '=', codec.lookup(phone, 'phone'))
          .executeTakeFirst();
        return row !== undefined;
      },
    },
  };
}
