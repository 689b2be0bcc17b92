// The durable scheduler with real processes on PostgreSQL, counted at the SMS provider's double
// (Alibaba Cloud's API, signatures checked): a server killed with SIGKILL twice in the middle of 1,000
// due SMS sends — each time while the double holds answers to sends it already took — leaves, after a
// restart, every message sent exactly once; and two processes draining 1,000 sends together never run
// one job twice.
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, type ServerProcess, startServer } from '../support/serverProcess.ts';
import { createSmsBacklog, type SmsBacklog, START_TIMEOUT_MS, sendsByOutId } from '../support/smsBacklog.ts';

// 1,000 jobs (the acceptance size) with SCHED_CUSTOMERS=100; the default keeps the suite within its time.
const CUSTOMERS = Number(process.env.SCHED_CUSTOMERS ?? 30);
const REPLIES_EACH = 10;
const TOTAL = CUSTOMERS * REPLIES_EACH;
const LEASE_SECONDS = 5;

const cleanups: (() => Promise<void>)[] = [];
const servers: ServerProcess[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {});
});

async function backlog(): Promise<SmsBacklog> {
  const b = await createSmsBacklog({
    customers: CUSTOMERS,
    repliesEach: REPLIES_EACH,
    leaseSeconds: LEASE_SECONDS,
  });
  cleanups.push(() => b.close());
  return b;
}

async function serve(b: SmsBacklog): Promise<ServerProcess> {
  const server = await startServer(b.env(await freePort()), START_TIMEOUT_MS);
  cleanups.push(() => server.stop());
  servers.push(server);
  return server;
}

async function waitUntilAllDone(b: SmsBacklog, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await b.jobState();
    if ((state.byStatus.done ?? 0) === TOTAL) return;
    if (Date.now() > deadline) throw new Error(`jobs not done in time: ${JSON.stringify(state.byStatus)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('durable scheduler across processes (PostgreSQL)', () => {
  it(`sends each of ${TOTAL} due SMS exactly once through two kill -9 mid-batch`, async () => {
    const t0 = Date.now();
    const b = await backlog();
    console.log(`[scheduler] backlog of ${TOTAL} written in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    expect(b.outIds.size).toBe(TOTAL);
    const started = Date.now();
    let heldAtKills = 0;
    for (const killAt of [TOTAL / 4, (TOTAL * 3) / 5]) {
      // The double takes the killAt-th send and every later one but answers none of them: the
      // process dies with sends the vendor has and the database does not know about.
      const reached = b.sms.holdAnswersFrom(killAt);
      const server = await serve(b);
      await within(reached, 90_000, async () =>
        JSON.stringify({
          sent: b.sms.sent.length,
          refused: b.sms.refused.slice(0, 5),
          jobs: (await b.jobState()).byStatus,
          output: server.output().slice(-2000),
        }),
      );
      await new Promise((r) => setTimeout(r, 100));
      heldAtKills += b.sms.sent.length - killAt + 1;
      await server.kill9();
      b.sms.releaseHeld();
    }
    expect(heldAtKills).toBeGreaterThan(2);
    const before = b.sms.sent.length;
    expect(before).toBeLessThan(TOTAL);

    const last = await serve(b);
    await waitUntilAllDone(b, 180_000);
    const seconds = (Date.now() - started) / 1000;

    const counts = sendsByOutId(b.sms);
    const twice = [...counts].filter(([, n]) => n > 1);
    expect(twice, `OutIds the double took more than once; the servers warned:\n${warnings()}`).toEqual([]);
    expect(new Set(counts.keys())).toEqual(b.outIds);
    expect(b.sms.sent).toHaveLength(TOTAL);
    expect(b.sms.refused).toEqual([]);
    // The sends in doubt were looked up at the vendor, found, and recorded instead of sent again.
    expect(b.sms.queries.length).toBeGreaterThan(0);
    const deliveries = await b.db
      .forWorkspace(b.workspaceId)
      .channels.deliveries.forMessages([...(await messageIds(b))]);
    const parts = [...deliveries.values()].flat();
    expect(parts).toHaveLength(TOTAL);
    expect(parts.filter((d) => d.status !== 'sent')).toEqual([]);
    expect(parts.filter((d) => d.sendingAt !== null)).toEqual([]);
    const reconciled = parts.filter((d) => d.providerMessageId?.startsWith('out:')).length;
    expect(reconciled).toBeGreaterThan(0);
    const state = await b.jobState();
    console.log(
      `[scheduler] kill -9 ×2: ${TOTAL} SMS, ${heldAtKills} in flight at the kills, ${reconciled} found at the vendor instead of resent, ${b.sms.queries.length} QuerySendDetails calls, max attempts ${state.maxAttempts}, ${seconds.toFixed(1)} s including two ${LEASE_SECONDS} s lease waits and three starts`,
    );
    await last.stop();
  }, 900_000);

  it(`two processes draining ${TOTAL} due SMS never run one job twice`, async () => {
    const b = await backlog();
    // Both processes are up before any send is due, so they drain the backlog together.
    await b.setRunAt(new Date('2100-01-01T00:00:00Z'));
    await serve(b);
    await serve(b);
    await b.setRunAt(new Date());
    const started = Date.now();
    await waitUntilAllDone(b, 120_000);
    const seconds = (Date.now() - started) / 1000;
    const counts = sendsByOutId(b.sms);
    expect([...counts].filter(([, n]) => n > 1)).toEqual([]);
    expect(new Set(counts.keys())).toEqual(b.outIds);
    expect(b.sms.sent).toHaveLength(TOTAL);
    // Every job was claimed once: a second claim would have counted a second attempt.
    const state = await b.jobState();
    expect(state.attempts.filter((a) => a !== 1)).toEqual([]);
    // Nothing was in doubt, so the vendor was never asked.
    expect(b.sms.queries).toEqual([]);
    console.log(
      `[scheduler] two processes: ${TOTAL} SMS in ${seconds.toFixed(1)} s (${(TOTAL / seconds).toFixed(0)}/s on this machine)`,
    );
  }, 900_000);
});

/** What the server processes logged at warning level or above, each distinct message once with a count. */
function warnings(): string {
  const counts = new Map<string, number>();
  for (const [i, server] of servers.entries()) {
    for (const line of server.output().split('\n')) {
      let entry: { level?: number; msg?: string; err?: unknown };
      try {
        entry = JSON.parse(line) as typeof entry;
      } catch {
        continue;
      }
      if ((entry.level ?? 0) < 40) continue;
      const key = `server ${i}: ${entry.msg ?? ''} ${String(entry.err ?? '').slice(0, 120)}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return [...counts].map(([key, n]) => `${n}× ${key}`).join('\n');
}

/** The promise, or a failure naming what the test saw after `ms`. */
async function within<T>(promise: Promise<T>, ms: number, describe: () => Promise<string>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => void describe().then((d) => reject(new Error(`timed out: ${d}`))), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function messageIds(b: SmsBacklog): Promise<string[]> {
  return (await b.db.jobs.list({ name: 'channel.deliver', workspaceId: b.workspaceId })).map(
    (j) => (j.payload as { messageId: string }).messageId,
  );
}
