// A worker whose process stalled past its lease finds, right before its irreversible step, that another
// worker holds the job now: it stops without sending, and the job is done once, by the other worker. The
// same holds when the one that took the job over is the stalled process itself, claiming it again.
import { type JobName, jobNames } from '@zhike/core';
import { createTestDatabase, type Database, openDatabase, type TestDatabase } from '@zhike/db';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorker, type JobHandler, LeaseLost, type RunningJob } from './worker.ts';

describe('job leases', () => {
  let tdb: TestDatabase;
  let db: Database;
  let now = Date.parse('2026-11-26T08:00:00.000Z');
  const clock = { now: () => new Date(now) };
  const log = pino({ level: 'silent' });

  beforeAll(async () => {
    tdb = await createTestDatabase('sqlite');
    let n = 0;
    db = openDatabase({ url: tdb.url, newId: () => `id-${++n}` });
  });
  afterAll(async () => {
    await db?.close();
    await tdb?.drop();
  });

  const handlersWith = (run: JobHandler) =>
    Object.fromEntries(jobNames.map((name) => [name, run])) as Record<JobName, JobHandler>;

  it('a stalled worker that lost its lease does not take the irreversible step', async () => {
    await db.jobs.enqueueSystem({
      name: 'webhook.deliver',
      payload: {},
      runAt: new Date(now).toISOString(),
      idempotencyKey: 'lease-test-1',
      maxAttempts: 5,
    });
    const sent: string[] = [];
    let stalled: (() => void) | undefined;
    const sendOnce = (who: string) => async (job: RunningJob) => {
      // The first worker stalls here (its event loop held up) until the second has taken over.
      if (who === 'first') await new Promise<void>((resume) => (stalled = resume));
      if (!(await job.keepLease())) throw new LeaseLost(job.id);
      sent.push(who);
    };
    const first = createWorker({
      queue: db.jobs,
      clock,
      log,
      leaseMs: 5000,
      owner: 'first',
      handlers: handlersWith(sendOnce('first')),
    });
    const second = createWorker({
      queue: db.jobs,
      clock,
      log,
      leaseMs: 5000,
      owner: 'second',
      handlers: handlersWith(sendOnce('second')),
    });

    const firstRun = first.runDue();
    while (!stalled) await new Promise((r) => setTimeout(r, 5));
    expect(await second.runDue()).toBe(0); // the lease holds
    now += 6000; // the first worker's lease runs out while it is stalled
    expect(await second.runDue()).toBe(1);
    stalled();
    expect(await firstRun).toBe(1);

    expect(sent).toEqual(['second']);
    const [job] = await db.jobs.list({ name: 'webhook.deliver' });
    expect(job).toMatchObject({ status: 'done', lastError: null });
  });

  it('a job a stalled worker claims again is sent once, by the newer claim', async () => {
    await db.jobs.enqueueSystem({
      name: 'webhook.deliver',
      payload: {},
      runAt: new Date(now).toISOString(),
      idempotencyKey: 'lease-test-2',
      maxAttempts: 5,
    });
    const sent: number[] = [];
    const paused = new Map<number, () => void>();
    const worker = createWorker({
      queue: db.jobs,
      clock,
      log,
      leaseMs: 5000,
      pollMs: 10,
      owner: 'only',
      handlers: handlersWith(async (job) => {
        // Each attempt waits to be let on; the first one waits past its lease (the process stalled).
        await new Promise<void>((resume) => paused.set(job.attempts, resume));
        if (!(await job.keepLease())) throw new LeaseLost(job.id);
        sent.push(job.attempts);
      }),
    });
    const firstRun = worker.runDue();
    await expect.poll(() => paused.has(1)).toBe(true);
    now += 6000; // the lease ran out while the process was stalled; its own loop claims the job again
    worker.start();
    await expect.poll(() => paused.has(2)).toBe(true);
    // The first attempt goes on while the second one holds the job: it must not send.
    paused.get(1)?.();
    expect(await firstRun).toBe(1);
    expect(sent).toEqual([]);
    paused.get(2)?.();
    await expect.poll(() => sent).toEqual([2]);
    await worker.stop();

    const job = (await db.jobs.list({ name: 'webhook.deliver' })).find((j) => j.attempts === 2);
    expect(job).toMatchObject({ status: 'done', lastError: null });
  });
});
