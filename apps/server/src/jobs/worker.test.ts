// A worker whose process stalled past its lease finds, right before its irreversible step, that another
// worker holds the job now: it stops without sending, and the job is done once, by the other worker.
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
});
