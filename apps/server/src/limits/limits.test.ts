// Budgets and load shedding: refusals are 429/503 problems with Retry-After, store nothing, and a budget
// kept in Redis is one budget for every process.
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { testRedisUrl } from '../../../../tests/support/postgres.ts';
import { createTestApp, type TestApp } from '../testing.ts';
import { createOverloadGuard } from './overload.ts';
import { createMemoryRateLimiter, createRedisRateLimiter } from './rateLimiter.ts';

const open: TestApp[] = [];
afterAll(async () => {
  for (const t of open) await t.close();
});

const message = (i: number) => ({
  customer: { externalId: 'budget-customer', name: '预算顾客' },
  text: `第 ${i} 条`,
  messageId: `budget-${i}`,
});

async function storedTexts(t: TestApp): Promise<string[]> {
  const store = t.app.zhike.db.forWorkspace(await t.demoWorkspaceId());
  const customer = await store.customers.findByIdentity('external', 'budget-customer');
  if (!customer) return [];
  const texts: string[] = [];
  for (const c of await store.conversations.listByCustomer(customer.id))
    for (const m of await store.messages.listAfter(c.id, null, 100))
      if (m.author === 'customer') texts.push(m.text);
  return texts;
}

describe('rate limits', () => {
  it('counts fixed windows in memory and says when the window ends', async () => {
    let now = 1_000;
    const limiter = createMemoryRateLimiter(() => now);
    expect((await limiter.hit('k', 2, 10_000)).allowed).toBe(true);
    expect((await limiter.hit('k', 2, 10_000)).allowed).toBe(true);
    now += 4_000;
    expect(await limiter.hit('k', 2, 10_000)).toEqual({ allowed: false, retryAfterMs: 6_000 });
    expect((await limiter.hit('other', 2, 10_000)).allowed).toBe(true);
    now += 6_000;
    expect((await limiter.hit('k', 2, 10_000)).allowed).toBe(true);
  });

  it('shares one budget across processes through Redis', async () => {
    const prefix = `zhike-test-${randomBytes(4).toString('hex')}:`;
    const errors: unknown[] = [];
    const a = await createRedisRateLimiter({ url: testRedisUrl, prefix, onError: (e) => errors.push(e) });
    const b = await createRedisRateLimiter({ url: testRedisUrl, prefix, onError: (e) => errors.push(e) });
    try {
      const seen = [
        await a.hit('shop', 3, 5_000),
        await b.hit('shop', 3, 5_000),
        await a.hit('shop', 3, 5_000),
        await b.hit('shop', 3, 5_000),
      ];
      expect(seen.map((d) => d.allowed)).toEqual([true, true, true, false]);
      expect(seen[3]?.retryAfterMs).toBeGreaterThan(0);
      expect(seen[3]?.retryAfterMs).toBeLessThanOrEqual(5_000);
      expect(errors).toEqual([]);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('answers the API channel past its budget with 429 and Retry-After, storing nothing', async () => {
    const t = await createTestApp('sqlite', { startWorker: false, env: { ZHIKE_INBOUND_RATE_LIMIT: '3' } });
    open.push(t);
    const headers = { authorization: `Bearer ${await t.apiKey()}` };
    const replies = [];
    for (let i = 0; i < 5; i++)
      replies.push(
        await t.app.inject({ method: 'POST', url: '/api/v1/inbound', headers, payload: message(i) }),
      );
    expect(replies.map((r) => r.statusCode)).toEqual([200, 200, 200, 429, 429]);
    const refused = replies[3]!;
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(refused.json()).toMatchObject({ status: 429, type: expect.stringContaining('rate_limited') });
    expect((await storedTexts(t)).sort()).toEqual(['第 0 条', '第 1 条', '第 2 条']);
  });

  it('limits widget sessions per client address', async () => {
    const t = await createTestApp('sqlite', {
      startWorker: false,
      env: { ZHIKE_WIDGET_SESSION_RATE_LIMIT: '2' },
    });
    open.push(t);
    const store = t.app.zhike.db.forWorkspace(await t.demoWorkspaceId());
    const inbox = (await store.inboxes.list()).find((i) => i.channel === 'widget')!.widgetToken!;
    const start = (ip: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/widget/sessions',
        remoteAddress: ip,
        headers: { origin: t.config.publicUrl },
        payload: { inbox },
      });
    const codes = [];
    for (let i = 0; i < 3; i++) codes.push((await start('203.0.113.7')).statusCode);
    expect(codes).toEqual([200, 200, 429]);
    expect((await start('203.0.113.8')).statusCode).toBe(200);
  });
});

describe('load shedding', () => {
  const block = (ms: number) => {
    const until = Date.now() + ms;
    while (Date.now() < until) {}
  };
  const timersRun = () => new Promise((r) => setTimeout(r, 0));

  it('sheds only when the loop stays behind, not after one stall', async () => {
    const guard = createOverloadGuard({ maxDelayMs: 100, sampleMs: 50 });
    try {
      block(300);
      await timersRun();
      expect(guard.overloaded()).toBe(false); // one long stall: a compile, a GC
      block(300);
      await timersRun();
      expect(guard.overloaded()).toBe(true);
      expect(guard.lastDelayMs()).toBeGreaterThan(100);
      await new Promise((r) => setTimeout(r, 200));
      expect(guard.overloaded()).toBe(false);
    } finally {
      guard.stop();
    }
  });

  it('answers 503 with Retry-After while overloaded, health checks still 200', async () => {
    const t = await createTestApp('sqlite', {
      startWorker: false,
      env: { ZHIKE_MAX_EVENT_LOOP_DELAY_MS: '300' },
    });
    open.push(t);
    const headers = { authorization: `Bearer ${await t.apiKey()}` };
    // The guard samples every 500 ms: a 1.2 s stall makes any sample in it at least 700 ms late.
    block(1200);
    await timersRun();
    block(1200);
    await timersRun();
    expect(t.app.zhike.overload.overloaded()).toBe(true);
    const [refused, health] = await Promise.all([
      t.app.inject({ method: 'POST', url: '/api/v1/inbound', headers, payload: message(99) }),
      t.app.inject({ method: 'GET', url: '/healthz' }),
    ]);
    expect(refused.statusCode).toBe(503);
    expect(refused.headers['retry-after']).toBe('2');
    expect(refused.json()).toMatchObject({ status: 503 });
    expect(health.statusCode).toBe(200);
    expect(await storedTexts(t)).toEqual([]);
  });
});
