// Runs durable jobs: claims due rows, calls the handler registered for the job's name, marks the row
// done or schedules a retry with exponential backoff. The same code runs on SQLite (one process) and on
// several processes sharing PostgreSQL (claims skip rows other processes hold).
import { type Clock, type JobName, retryDelayMs } from '@zhike/core';
import type { ClaimedJob, JobQueue } from '@zhike/db';
import type { Logger } from 'pino';

export type JobHandler = (job: ClaimedJob) => Promise<void>;

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
  leaseMs?: number;
  batchSize?: number;
  /** Hourly upkeep beside pruning finished jobs (the audit log's retention purge). */
  housekeeping?: () => Promise<unknown>;
}): Worker {
  const pollMs = options.pollMs ?? 1000;
  const leaseMs = options.leaseMs ?? 60_000;
  const batchSize = options.batchSize ?? 20;
  let running = false;
  let loop: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let wakeUp: (() => void) | null = null;
  let pendingWake = false;
  let inFlight: Promise<number> | null = null;
  let lastPrune = 0;
  const PRUNE_EVERY_MS = 3_600_000;
  const KEEP_DONE_MS = 7 * 86_400_000;

  async function runOne(job: ClaimedJob): Promise<void> {
    const handler = options.handlers[job.name as JobName];
    const now = () => options.clock.now();
    try {
      if (!handler) throw new PermanentJobFailure(`no handler for job ${job.name}`);
      await handler(job);
      await options.queue.complete(job.id, now().toISOString());
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const permanent = error instanceof PermanentJobFailure || job.attempts >= job.maxAttempts;
      const retryAt = permanent ? null : new Date(now().getTime() + retryDelayMs(job.attempts)).toISOString();
      options.log.warn(
        { jobId: job.id, job: job.name, attempts: job.attempts, retryAt, err: message },
        'job failed',
      );
      await options.queue.fail(job.id, message, now().toISOString(), retryAt);
    }
  }

  async function batch(): Promise<number> {
    const now = options.clock.now();
    const jobs = await options.queue.claimDue(
      now.toISOString(),
      new Date(now.getTime() + leaseMs).toISOString(),
      batchSize,
    );
    await Promise.all(jobs.map(runOne));
    return jobs.length;
  }

  const runDue = async (): Promise<number> => {
    // One batch at a time per process keeps SQLite's single writer calm.
    while (inFlight) await inFlight.catch(() => 0);
    inFlight = batch();
    try {
      return await inFlight;
    } finally {
      inFlight = null;
    }
  };

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
      loop = (async () => {
        while (running) {
          let ran = 0;
          try {
            ran = await runDue();
            const now = options.clock.now().getTime();
            if (now - lastPrune > PRUNE_EVERY_MS) {
              lastPrune = now;
              await options.queue.pruneDone(new Date(now - KEEP_DONE_MS).toISOString());
              await options.housekeeping?.();
            }
          } catch (error) {
            options.log.error({ err: error }, 'job worker cycle failed');
          }
          if (running && ran < batchSize) await sleep();
        }
      })();
    },
    runDue,
    wake() {
      if (wakeUp) wakeUp();
      else pendingWake = true;
    },
    async stop() {
      running = false;
      wakeUp?.();
      await loop;
      while (inFlight) await inFlight.catch(() => 0);
    },
  };
}
