// The durable job table, seen from the worker: claim due rows, then mark them done or failed.
// On PostgreSQL claims use FOR UPDATE SKIP LOCKED so several processes never run one row twice;
// a claim is a lease held under the claim's name (`locked_by`: the worker's name and a claim number),
// renewed while the job runs, so a job held by a crashed process becomes due again when its lease ends,
// and an attempt that lost its lease cannot mark done a job claimed since, by another process or its own.
import type { Kysely } from 'kysely';
import type { Dialect } from './connect.ts';
import type { DB } from './schema.ts';

export interface ClaimedJob {
  id: string;
  workspaceId: string | null;
  name: string;
  payload: Record<string, unknown>;
  attempts: number;
  maxAttempts: number;
}

export interface JobRow extends ClaimedJob {
  status: 'pending' | 'running' | 'done' | 'failed';
  runAt: string;
  lastError: string | null;
}

/** A job of the server itself (no workspace): recurring upkeep. */
export interface NewSystemJob {
  name: string;
  payload: Record<string, unknown>;
  runAt: string;
  /** Unique across all jobs: a second enqueue with the key is ignored (one run per period). */
  idempotencyKey: string;
  maxAttempts: number;
}

export function createJobQueue(kysely: Kysely<DB>, dialect: Dialect, newId: () => string) {
  return {
    /** Leases up to `limit` due jobs to `owner` until `leaseUntil`. */
    async claimDue(now: string, leaseUntil: string, limit: number, owner = 'local'): Promise<ClaimedJob[]> {
      // Two claims, each an ordered walk of the (status, run_at) index that stops at `limit`: runs whose
      // lease ran out first (a crashed worker's), then due pending jobs, oldest first. One statement with
      // OR over both had to collect and sort every due job to pick the first few, so a backlog of n jobs
      // made each claim O(n) and draining it O(n²).
      const claim = async (status: 'running' | 'pending', dueBy: 'lockedUntil' | 'runAt', take: number) => {
        if (take <= 0) return [];
        const rows = await kysely
          .updateTable('jobs')
          .set((eb) => ({
            status: 'running',
            attempts: eb('attempts', '+', 1),
            lockedUntil: leaseUntil,
            lockedBy: owner,
            updatedAt: now,
          }))
          .where('id', 'in', (eb) => {
            const due = eb
              .selectFrom('jobs')
              .select('id')
              .where('status', '=', status)
              .where(dueBy, '<=', now)
              .orderBy('runAt')
              .limit(take);
            return dialect === 'postgres' ? due.forUpdate().skipLocked() : due;
          })
          .returning(['id', 'workspaceId', 'name', 'payload', 'attempts', 'maxAttempts', 'runAt'])
          .execute();
        return rows.sort((a, b) => (a.runAt < b.runAt ? -1 : a.runAt > b.runAt ? 1 : 0));
      };
      const expired = await claim('running', 'lockedUntil', limit);
      const pending = await claim('pending', 'runAt', limit - expired.length);
      return [...expired, ...pending].map(({ runAt: _, ...r }) => ({
        ...r,
        payload: JSON.parse(r.payload) as Record<string, unknown>,
      }));
    },
    /** Extends the leases `owner` still holds; returns how many it held. */
    async renew(ids: readonly string[], owner: string, leaseUntil: string): Promise<number> {
      if (ids.length === 0) return 0;
      const result = await kysely
        .updateTable('jobs')
        .set({ lockedUntil: leaseUntil })
        .where('id', 'in', [...ids])
        .where('status', '=', 'running')
        .where('lockedBy', '=', owner)
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
    /** False when `owner` no longer held the job (its lease ran out and another worker claimed it). */
    async complete(id: string, now: string, owner = 'local'): Promise<boolean> {
      const result = await kysely
        .updateTable('jobs')
        .set({ status: 'done', lockedUntil: null, lockedBy: null, lastError: null, updatedAt: now })
        .where('id', '=', id)
        .where('status', '=', 'running')
        .where('lockedBy', '=', owner)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
    /** retryAt null = give up for good. False when `owner` no longer held the job. */
    async fail(
      id: string,
      error: string,
      now: string,
      retryAt: string | null,
      owner = 'local',
    ): Promise<boolean> {
      const result = await kysely
        .updateTable('jobs')
        .set({
          status: retryAt ? 'pending' : 'failed',
          runAt: retryAt ?? now,
          lockedUntil: null,
          lockedBy: null,
          lastError: error.slice(0, 1000),
          updatedAt: now,
        })
        .where('id', '=', id)
        .where('status', '=', 'running')
        .where('lockedBy', '=', owner)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
    /** Enqueues a job of the server itself; a known idempotency key is a no-op. */
    async enqueueSystem(job: NewSystemJob): Promise<void> {
      await kysely
        .insertInto('jobs')
        .values({
          id: newId(),
          workspaceId: null,
          name: job.name,
          payload: JSON.stringify(job.payload),
          status: 'pending',
          runAt: job.runAt,
          maxAttempts: job.maxAttempts,
          lastError: null,
          lockedUntil: null,
          idempotencyKey: job.idempotencyKey,
          createdAt: job.runAt,
          updatedAt: job.runAt,
        })
        .onConflict((oc) => oc.column('idempotencyKey').doNothing())
        .execute();
    },
    /**
     * Jobs due that no worker holds (pending and due, or running past their lease) and when the oldest
     * became due: how far the workers are behind. Two aggregates over the (status, run_at) index; running
     * rows are few (the workers' pool sizes).
     */
    async backlog(now: string): Promise<{ ready: number; oldestDueAt: string | null }> {
      const [pending, stale] = await Promise.all([
        kysely
          .selectFrom('jobs')
          .select((eb) => [eb.fn.countAll().as('n'), eb.fn.min('runAt').as('oldest')])
          .where('status', '=', 'pending')
          .where('runAt', '<=', now)
          .executeTakeFirstOrThrow(),
        kysely
          .selectFrom('jobs')
          .select((eb) => [eb.fn.countAll().as('n'), eb.fn.min('lockedUntil').as('oldest')])
          .where('status', '=', 'running')
          .where('lockedUntil', '<=', now)
          .executeTakeFirstOrThrow(),
      ]);
      const oldest = [pending.oldest, stale.oldest].filter((v): v is string => typeof v === 'string').sort();
      return { ready: Number(pending.n) + Number(stale.n), oldestDueAt: oldest[0] ?? null };
    },
    /** Forgets finished jobs older than `before`; failed ones stay for inspection. */
    async pruneDone(before: string): Promise<number> {
      const result = await kysely
        .deleteFrom('jobs')
        .where('status', '=', 'done')
        .where('updatedAt', '<', before)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
    async list(filter: { name?: string; workspaceId?: string } = {}): Promise<JobRow[]> {
      let q = kysely.selectFrom('jobs').selectAll();
      if (filter.name) q = q.where('name', '=', filter.name);
      if (filter.workspaceId) q = q.where('workspaceId', '=', filter.workspaceId);
      const rows = await q.orderBy('createdAt').orderBy('id').execute();
      return rows.map((r) => ({
        id: r.id,
        workspaceId: r.workspaceId,
        name: r.name,
        payload: JSON.parse(r.payload) as Record<string, unknown>,
        attempts: r.attempts,
        maxAttempts: r.maxAttempts,
        status: r.status as JobRow['status'],
        runAt: r.runAt,
        lastError: r.lastError,
      }));
    },
  };
}

export type JobQueue = ReturnType<typeof createJobQueue>;
