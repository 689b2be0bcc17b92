// The acceptance bar for the API channel: 1,000 concurrent inbound messages plus 200 retries of ids
// already sent store exactly 1,000 messages, on both backends.
import { type Backend, testBackends } from '@zhike/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './testing.ts';

describe.each(testBackends)('inbound idempotency on %s', (backend: Backend) => {
  let t: TestApp;
  let key: string;
  beforeAll(async () => {
    // The bot's jobs are left queued so the count below is customer messages only.
    t = await createTestApp(backend, { startWorker: false });
    key = await t.apiKey();
  });
  afterAll(async () => t?.close());

  it('1,000 concurrent messages + 200 retries → exactly 1,000 stored', async () => {
    const headers = { authorization: `Bearer ${key}` };
    const body = (i: number) => ({
      customer: { externalId: `cust-${i % 37}`, name: `顾客${i % 37}` },
      text: `第 ${i} 条消息`,
      messageId: `msg-${i}`,
    });
    const send = (i: number) =>
      t.app.inject({ method: 'POST', url: '/api/v1/inbound', headers, payload: body(i) });
    const started = Date.now();
    const firstWave = Array.from({ length: 1000 }, (_, i) => send(i));
    // Retries race with the originals: 100 while they are in flight, 100 after.
    const racing = Array.from({ length: 100 }, (_, i) => send(i * 10));
    const first = await Promise.all([...firstWave, ...racing]);
    const later = await Promise.all(Array.from({ length: 100 }, (_, i) => send(i * 7 + 3)));
    const elapsed = Date.now() - started;

    const all = [...first, ...later];
    expect(all.filter((r) => r.statusCode !== 200).map((r) => r.body)).toEqual([]);
    const results = all.map(
      (r) => r.json() as { messageId: string; duplicate: boolean; conversationId: string },
    );
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1000);
    expect(new Set(results.map((r) => r.messageId)).size).toBe(1000);
    // Every retry answered with the original's id.
    const byMessageId = new Map(
      first.slice(0, 1000).map((r, i) => [i, (r.json() as { messageId: string }).messageId]),
    );
    for (let i = 0; i < 100; i++) {
      expect(results[1000 + i]?.messageId).toBe(byMessageId.get(i * 10));
      expect(results[1100 + i]?.messageId).toBe(byMessageId.get(i * 7 + 3));
    }
    // One customer → one open conversation, whatever the interleaving.
    const store = t.app.zhike.db.forWorkspace(await t.demoWorkspaceId());
    const conversations = await store.conversations.list({ limit: 200 });
    expect(conversations).toHaveLength(37);
    let stored = 0;
    for (const c of conversations) stored += (await store.messages.list(c.id, { limit: 200 })).length;
    expect(stored).toBe(1000);
    console.log(`[inbound ${backend}] 1,200 POSTs (1,000 unique) in ${elapsed} ms → ${stored} messages`);
  }, 120_000);
});
