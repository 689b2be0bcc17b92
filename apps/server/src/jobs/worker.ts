// Runs durable jobs: claims due rows, calls the handler registered for the job's name, marks the row
// done or schedules a retry with exponential backoff. The same code runs on SQLite (one process) and on
// several processes sharing PostgreSQL (claims skip rows other processes hold). The background loop
// keeps up to `batchSize` jobs running and claims more as soon as there is room, so one slow job (a bot
// turn waiting on an LLM) never holds back the turns of other conversations. A claim is a lease in this
// worker's name, renewed every third of its length while the job runs: a crashed process's jobs are
// claimed again once their lease ends, and a job that outlives its lease (a stalled process) is not
// finished by the worker that lost it. Each claim holds its lease under a name of its own (the worker's
// name and a claim number): a process whose event loop stalled past a lease may claim its own job again,
// and the attempt it started first must then find the lease lost like any other worker's would.
import { randomUUID } from 'node:crypto';
import { type Clock, type JobName, retryDelayMs } from '@zhike/core';
import type { ClaimedJob, JobQueue } from '@zhike/db';
import type { Logger } from 'pino';
import { type JobOutcome, noTelemetry, type Telemetry } from '../observability/telemetry.ts';

/** A claimed job as its handler sees it. */
export interface RunningJob extends ClaimedJob {
  /**
   * Renews this worker's lease now; false when the job is no longer this worker's (its lease ran out
   * while the process stalled, and another worker claimed it). A handler calls it right before a step
   * that cannot be taken back (handing a message to a provider) and stops when it answers false.
   */
  keepLease(): Promise<boolean>;
}

export type JobHandler = (job: RunningJob) => Promise<void>;

/** A job as one claim took it, with the name its lease is held under. */
interface Claim {
  job: ClaimedJob;
  lease: string;
}

/** Thrown by a handler whose job another worker holds now: that worker carries it on. */
export class LeaseLost extends Error {
  constructor(jobId: string) {
    super(`job ${jobId} is held by another worker now`);
    this.name = 'LeaseLost';
  }
}

/** A handler throws this when retrying cannot help (e.g. the webhook was removed). */
export class PermanentJobFailure extends Error {}

export interface Worker {
  start(): void;
  /** Runs one batch of due jobs now; returns how many ran. */
  runDue(): Promise<number>;
  /** Something was just enqueued: look now instead of at the next poll. */
  wake(): void;
  /** Stops claiming and waits for jobs in flight. */
  stop(): Promise<void>;
}

export function createWorker(options: {
  queue: JobQueue;
  clock: Clock;
  log: Logger;
  handlers: Record<JobName, JobHandler>;
  pollMs?: number;
  /** How long a claim holds before another worker may take the job (ZHIKE_JOB_LEASE_SECONDS). */
  leaseMs?: number;
  /** Jobs run at once by this process (ZHIKE_JOB_CONCURRENCY). */
  batchSize?: number;
  /** Names this worker's leases (each claim adds a number of its own); unique per process. */
  owner?: string;
  /** Hourly upkeep beside pruning finished jobs (the audit log's retention purge). */
  housekeeping?: () => Promise<unknown>;
  /** Times each run and counts how it ended. */
  telemetry?: Telemetry;
}): Worker {
  const pollMs = options.pollMs ?? 1000;
  const leaseMs = options.leaseMs ?? 60_000;
  const batchSize = options.batchSize ?? 20;
  const owner = options.owner ?? `worker:${randomUUID()}`;
  let renewTimer: NodeJS.Timeout | null = null;
  /** The claims this worker runs now (background loop and runDue alike), for lease renewal. */
  const holding = new Set<Claim>();
  let claims = 0;
  let running = false;
  let loop: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let wakeUp: (() => void) | null = null;
  let pendingWake = false;
  let inFlight: Promise<number> | null = null;
  /** Jobs the background loop started and that have not finished. */
  const active = new Set<Promise<void>>();
  let claiming: Promise<unknown> = Promise.resolve();
  let lastPrune = 0;
  const PRUNE_EVERY_MS = 3_600_000;
  // Small enough not to show in a reply's latency (a customer waits on every claim), large enough that
  // a burst of wake-ups makes at most 200 claim queries a second.
  const CLAIM_GAP_MS = 5;
  const KEEP_DONE_MS = 7 * 86_400_000;

  const telemetry = options.telemetry ?? noTelemetry;

  function runOne(claim: Claim): Promise<void> {
    return telemetry.job(claim.job.name, () => attempt(claim));
  }

  /** Runs one claimed job and records the result; null when it turned out to be another claim's. */
  async function attempt(claim: Claim): Promise<JobOutcome | null> {
    const { job, lease } = claim;
    const handler = options.handlers[job.name as JobName];
    const now = () => options.clock.now();
    holding.add(claim);
    try {
      if (!handler) throw new PermanentJobFailure(`no handler for job ${job.name}`);
      const keepLease = async () =>
        (await options.queue.renew(
          [job.id],
          lease,
          new Date(options.clock.now().getTime() + leaseMs).toISOString(),
        )) > 0;
      await handler({ ...job, keepLease });
      if (!(await options.queue.complete(job.id, now().toISOString(), lease)))
        options.log.warn({ jobId: job.id, job: job.name }, 'job finished after its lease was lost');
      return 'done';
    } catch (error) {
      if (error instanceof LeaseLost) {
        options.log.warn({ jobId: job.id, job: job.name }, 'job left to the worker that holds it now');
        return null;
      }
      const message = error instanceof Error ? error.message : String(error);
      const permanent = error instanceof PermanentJobFailure || job.attempts >= job.maxAttempts;
      const retryAt = permanent ? null : new Date(now().getTime() + retryDelayMs(job.attempts)).toISOString();
      options.log.warn(
        { jobId: job.id, job: job.name, attempts: job.attempts, retryAt, err: message },
        'job failed',
      );
      await options.queue.fail(job.id, message, now().toISOString(), retryAt, lease);
      return permanent ? 'failed' : 'retry';
    } finally {
      holding.delete(claim);
    }
  }

  async function renewLeases(): Promise<void> {
    if (holding.size === 0) return;
    const until = new Date(options.clock.now().getTime() + leaseMs).toISOString();
    const byLease = new Map<string, string[]>();
    for (const { job, lease } of holding) byLease.set(lease, [...(byLease.get(lease) ?? []), job.id]);
    try {
      for (const [lease, ids] of byLease) await options.queue.renew(ids, lease, until);
    } catch (error) {
      options.log.error({ err: error }, 'job lease renewal failed');
    }
  }

  /** Claims are made one at a time per process, which keeps SQLite's single writer calm. */
  function claim(limit: number): Promise<Claim[]> {
    const claimed = claiming.then(async () => {
      const now = options.clock.now();
      const lease = `${owner}#${++claims}`;
      const jobs = await options.queue.claimDue(
        now.toISOString(),
        new Date(now.getTime() + leaseMs).toISOString(),
        limit,
        lease,
      );
      return jobs.map((job) => ({ job, lease }));
    });
    claiming = claimed.catch(() => {});
    return claimed;
  }

  async function batch(): Promise<number> {
    const claimed = await claim(batchSize);
    await Promise.all(claimed.map(runOne));
    return claimed.length;
  }

  /** Starts a claimed job in the background loop's pool; a full pool wakes the loop when it has room. */
  function track(claim: Claim): void {
    const done: Promise<void> = runOne(claim)
      .catch((error: unknown) =>
        options.log.error({ err: error, jobId: claim.job.id }, 'job bookkeeping failed'),
      )
      .finally(() => {
        const wasFull = active.size >= batchSize;
        active.delete(done);
        if (wasFull) wake();
      });
    active.add(done);
  }

  /** One batch, awaited whole (tests drive a stopped worker with it). */
  const runDue = async (): Promise<number> => {
    while (inFlight) await inFlight.catch(() => 0);
    inFlight = batch();
    try {
      return await inFlight;
    } finally {
      inFlight = null;
    }
  };

  function wake(): void {
    if (wakeUp) wakeUp();
    else pendingWake = true;
  }

  const sleep = () =>
    new Promise<void>((resolve) => {
      if (pendingWake) {
        pendingWake = false;
        resolve();
        return;
      }
      wakeUp = resolve;
      timer = setTimeout(resolve, pollMs);
    }).finally(() => {
      wakeUp = null;
      if (timer) clearTimeout(timer);
      timer = null;
    });

  return {
    start() {
      if (running) return;
      running = true;
      renewTimer = setInterval(() => void renewLeases(), Math.max(1000, Math.floor(leaseMs / 3)));
      renewTimer.unref();
      loop = (async () => {
        let lastClaim = 0;
        while (running) {
          // Wake-ups come with every committed message; under a burst, claiming on each would cost more
          // queries than the jobs themselves, so claims are at least CLAIM_GAP_MS apart.
          const gap = lastClaim + CLAIM_GAP_MS - Date.now();
          if (gap > 0) await new Promise((resolve) => setTimeout(resolve, gap));
          if (!running) break;
          const room = batchSize - active.size;
          let ran = 0;
          try {
            if (room > 0) {
              lastClaim = Date.now();
              const claimed = await claim(room);
              ran = claimed.length;
              for (const c of claimed) track(c);
            }
            const now = options.clock.now().getTime();
            if (now - lastPrune > PRUNE_EVERY_MS) {
              lastPrune = now;
              await options.queue.pruneDone(new Date(now - KEEP_DONE_MS).toISOString());
              await options.housekeeping?.();
            }
          } catch (error) {
            options.log.error({ err: error }, 'job worker cycle failed');
          }
          // More may be due when the pool filled up; otherwise wait for a wake-up, a free slot or the poll.
          if (running && (room <= 0 || ran < room)) await sleep();
        }
      })();
    },
    runDue,
    wake,
    async stop() {
      running = false;
      if (renewTimer) clearInterval(renewTimer);
      renewTimer = null;
      wakeUp?.();
      await loop;
      while (inFlight) await inFlight.catch(() => 0);
      await Promise.all(active);
    },
  };
}
