// A kill -9 in the middle of a burst of inbound messages loses none that were acknowledged: with 200
// (stored), and with 202 (`Prefer: respond-async`, held), which the restarted server stores by itself.
import { afterAll, describe, expect, it } from 'vitest';
import { createSchema } from '../support/postgres.ts';
import { freePort, runCli, serverEnv, startServer, tempDataDir } from '../support/serverProcess.ts';

// 1,000 messages (the acceptance size) with CRASH_TOTAL=1000; the default keeps the suite within its time.
const TOTAL = Number(process.env.CRASH_TOTAL ?? 400);
const CONCURRENCY = 32;
const KILL_AFTER_ACKS = Math.round(TOTAL * 0.3);

type Ack = { messageId: string; duplicate: boolean };

async function post(url: string, key: string, i: number, held = false): Promise<Ack> {
  const res = await fetch(`${url}/api/v1/inbound`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${key}`,
      ...(held ? { prefer: 'respond-async' } : {}),
    },
    body: JSON.stringify({
      customer: { externalId: `crash-customer-${i % 50}`, name: `顾客${i % 50}` },
      text: `第 ${i} 条消息`,
      messageId: `crash-${i}`,
    }),
  });
  if (res.status !== (held ? 202 : 200)) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
  return (await res.json()) as Ack;
}

/** Until the server holds no acknowledged message it has not stored. */
async function allStored(url: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const metrics = await (await fetch(`${url}/metrics`)).text();
    if (/^zhike_inbound_held_messages 0$/m.test(metrics)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('held messages were not stored within 60 s');
}

const backends = [
  { name: 'sqlite', url: async () => ({ url: undefined as string | undefined, drop: async () => {} }) },
  { name: 'postgres', url: createSchema },
].flatMap((b) => [
  { ...b, held: false, mode: 'stored (200)' },
  { ...b, held: true, mode: 'held (202)' },
]);

describe.each(backends)('crash safety ($name, $mode)', (backend) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it('keeps every message acknowledged before a kill -9', async () => {
    const db = await backend.url();
    cleanups.push(db.drop);
    const dataDir = tempDataDir();
    const env = serverEnv({ dataDir, port: await freePort(), databaseUrl: db.url });
    let server = await startServer(env);
    cleanups.push(() => server.stop());
    const key = (await runCli(['api-key', 'create', '--workspace', 'demo', '--name', 'crash-test'], env))
      .trim()
      .split('\n')
      .at(-1)!
      .trim();

    const acked = new Map<number, Ack>();
    let next = 0;
    let killed = false;
    const worker = async () => {
      while (!killed && next < TOTAL) {
        const i = next++;
        try {
          const ack = await post(server.url, key, i, backend.held);
          acked.set(i, ack);
          if (acked.size >= KILL_AFTER_ACKS && !killed) {
            killed = true;
            await server.kill9();
          }
        } catch {
          // the connection died with the server: this message was never acknowledged
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    expect(killed).toBe(true);
    expect(acked.size).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);

    server = await startServer(env);
    // What was held when the server died is stored by the next one, under the ids it promised.
    if (backend.held) await allStored(server.url);
    // Every acknowledged message is there: replaying its id is a duplicate pointing at the same message.
    for (const [i, first] of acked) {
      const again = await post(server.url, key, i);
      expect(again.duplicate, `message crash-${i}`).toBe(true);
      expect(again.messageId).toBe(first.messageId);
    }
    // Sending the rest completes the run with exactly TOTAL distinct stored messages.
    const ids = new Set<string>();
    for (let i = 0; i < TOTAL; i++) ids.add((await post(server.url, key, i)).messageId);
    expect(ids.size).toBe(TOTAL);
  }, 180_000);
});
