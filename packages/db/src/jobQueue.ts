// The durable job table, seen from the worker: claim due rows, then mark them done or failed.
// On PostgreSQL claims use FOR UPDATE SKIP LOCKED so several processes never run one row twice;
// a claim is a lease, so a job held by a crashed process becomes due again when its lease ends.
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

export function createJobQueue(kysely: Kysely<DB>, dialect: Dialect) {
  return {
    async claimDue(now: string, leaseUntil: string, limit: number): Promise<ClaimedJob[]> {
      const rows = await kysely
        .updateTable('jobs')
        .set((eb) => ({
          status: 'running',
          attempts: eb('attempts', '+', 1),
          lockedUntil: leaseUntil,
          updatedAt: now,
        }))
        .where('id', 'in', (eb) => {
          const due = eb
            .selectFrom('jobs')
            .select('id')
            .where((w) =>
              w.or([
                w.and([w('status', '=', 'pending'), w('runAt', '<=', now)]),
                w.and([w('status', '=', 'running'), w('lockedUntil', '<=', now)]),
              ]),
            )
            .orderBy('runAt')
            .limit(limit);
          return dialect === 'postgres' ? due.forUpdate().skipLocked() : due;
        })
        .returning(['id', 'workspaceId', 'name', 'payload', 'attempts', 'maxAttempts'])
        .execute();
      return rows.map((r) => ({ ...r, payload: JSON.parse(r.payload) as Record<string, unknown> }));
    },
    async complete(id: string, now: string): Promise<void> {
      await kysely
        .updateTable('jobs')
        .set({ status: 'done', lockedUntil: null, lastError: null, updatedAt: now })
        .where('id', '=', id)
        .execute();
    },
    /** retryAt null = give up for good. */
    async fail(id: string, error: string, now: string, retryAt: string | null): Promise<void> {
      await kysely
        .updateTable('jobs')
        .set({
          status: retryAt ? 'pending' : 'failed',
          runAt: retryAt ?? now,
          lockedUntil: null,
          lastError: error.slice(0, 1000),
          updatedAt: now,
        })
        .where('id', '=', id)
        .execute();
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
