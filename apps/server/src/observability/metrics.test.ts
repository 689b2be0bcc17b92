// GET /metrics through the real app, on SQLite and PostgreSQL: requests timed by route pattern, a widget
// socket counted while open, messages by channel, the job backlog and lag read from the jobs table, job
// runs by outcome, NLU time, and the waiting line across workspaces; every scrape parsed strictly. Then
// who may scrape: loopback and private addresses (every hop behind a trusted proxy), or the bearer token.
import type { WidgetServerFrame, WidgetSession } from '@zhike/contracts';
import { systemClock } from '@zhike/core';
import { type Backend, type Database, testBackends } from '@zhike/db';
import type { LightMyRequestResponse } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Config } from '../config.ts';
import { createTestApp, eventually, type TestApp } from '../testing.ts';
import { parseExposition, type Sample, sampleValue } from './exposition.ts';
import { createObservability } from './observability.ts';

const PROMETHEUS_TEXT = 'text/plain; version=0.0.4; charset=utf-8';

async function scrape(t: TestApp, remoteAddress = '127.0.0.1'): Promise<Sample[]> {
  const res = await t.app.inject({ url: '/metrics', remoteAddress });
  expect(res.statusCode, res.body).toBe(200);
  expect(res.headers['content-type']).toBe(PROMETHEUS_TEXT);
  return parseExposition(res.body);
}

const requestCount = (samples: Sample[], labels: Record<string, string>) =>
  sampleValue(samples, 'zhike_http_request_duration_seconds_count', labels) ?? 0;

describe('the exposition reader', () => {
  it('refuses what Prometheus would refuse', () => {
    const ok = '# HELP a_total A.\n# TYPE a_total counter\na_total{x="1"} 2\n';
    expect(parseExposition(ok)).toEqual([{ name: 'a_total', labels: { x: '1' }, value: 2 }]);
    expect(() => parseExposition('a_total 1\n')).toThrow(/without a TYPE/);
    expect(() => parseExposition('# TYPE a gauge\na{x=1} 1\n')).toThrow(/not a sample/);
    expect(() => parseExposition('# TYPE a gauge\na 1\na 2\n')).toThrow(/series twice/);
    expect(() => parseExposition('# TYPE a gauge\na 1')).toThrow(/line feed/);
    const histogram = (last: number) =>
      `# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} ${last}\nh_sum 3\nh_count 2\n`;
    expect(parseExposition(histogram(2))).toHaveLength(4);
    expect(() => parseExposition(histogram(1))).toThrow(/cumulative/);
  });
});

describe('the database gauges', () => {
  it('are zero with zhike_database_up 0 when the database fails, and the rest still goes out', async () => {
    const unreachable = async () => {
      throw new Error('connection refused');
    };
    const db = {
      jobs: { backlog: unreachable },
      monitoring: { waitingForAgents: unreachable },
      intake: { depth: unreachable },
    };
    const observability = createObservability({
      config: { otel: null } as Config,
      db: db as unknown as Database,
      clock: systemClock,
      log: pino({ level: 'silent' }),
    });
    try {
      const samples = parseExposition(await observability.scrape());
      expect(sampleValue(samples, 'zhike_database_up')).toBe(0);
      expect(sampleValue(samples, 'zhike_job_lag_seconds')).toBe(0);
      expect(sampleValue(samples, 'zhike_inbound_held_messages')).toBe(0);
      expect(sampleValue(samples, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    } finally {
      await observability.close();
    }
  });
});

describe.each(testBackends)('GET /metrics on %s', (backend: Backend) => {
  let t: TestApp;
  let base: { http: string; ws: string };
  let apiKey: string;
  let workspaceId: string;

  const drain = async () => {
    for (let round = 0; round < 50; round++) if ((await t.app.zhike.worker.runDue()) === 0) return;
    throw new Error('jobs kept coming');
  };

  beforeAll(async () => {
    t = await createTestApp(backend, { startWorker: false });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    base = { http: `http://127.0.0.1:${port}`, ws: `ws://127.0.0.1:${port}` };
    apiKey = await t.apiKey();
    workspaceId = await t.demoWorkspaceId();
  }, 60_000);
  afterAll(async () => t?.close());

  it('times requests by method, route pattern and status class, never by raw URL', async () => {
    const before = await scrape(t);
    const conversationId = t.app.zhike.newId();
    for (let i = 0; i < 3; i++) expect((await t.app.inject({ url: '/healthz' })).statusCode).toBe(200);
    expect((await t.app.inject({ url: `/api/v1/conversations/${conversationId}` })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'POST', url: '/no-such-page' })).statusCode).toBe(404);
    const after = await scrape(t);
    const delta = (labels: Record<string, string>) =>
      requestCount(after, labels) - requestCount(before, labels);
    expect(delta({ method: 'GET', route: '/healthz', status: '2xx' })).toBe(3);
    expect(delta({ method: 'GET', route: '/api/v1/conversations/:id', status: '4xx' })).toBe(1);
    expect(delta({ method: 'POST', route: 'unmatched', status: '4xx' })).toBe(1);
    // The previous scrape itself was timed too.
    expect(requestCount(after, { method: 'GET', route: '/metrics', status: '2xx' })).toBeGreaterThanOrEqual(
      1,
    );
    const routes = after.filter((s) => s.name.startsWith('zhike_http_')).map((s) => s.labels.route ?? '');
    expect(routes.some((r) => r.includes(conversationId) || r.includes('no-such-page'))).toBe(false);
    // The process's own health comes along, and tracing is off (nothing was configured).
    for (const name of [
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_heap_size_used_bytes',
    ])
      expect(sampleValue(after, name), name).toBeGreaterThan(0);
    expect(sampleValue(after, 'nodejs_eventloop_lag_p99_seconds')).toBeGreaterThanOrEqual(0);
    expect(t.app.zhike.observability.tracer).toBeNull();
  });

  it('counts an open widget socket, messages by channel, the job backlog, job runs and NLU time', async () => {
    const session = (await (
      await fetch(`${base.http}/api/v1/widget/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: base.http },
        body: JSON.stringify({ inbox: await widgetToken(t) }),
      })
    ).json()) as WidgetSession;
    const frames: WidgetServerFrame[] = [];
    const socket = new WebSocket(
      `${base.ws}/api/v1/widget/ws?inbox=${await widgetToken(t)}&visitorToken=${encodeURIComponent(session.visitorToken)}`,
      { headers: { origin: base.http } },
    );
    socket.on('message', (raw) => frames.push(JSON.parse(String(raw)) as WidgetServerFrame));
    await eventually(() => frames.some((f) => f.type === 'ready'));
    let samples = await scrape(t);
    expect(sampleValue(samples, 'zhike_websocket_connections', { kind: 'widget' })).toBe(1);
    expect(sampleValue(samples, 'zhike_websocket_connections', { kind: 'console' })).toBe(0);

    socket.send(JSON.stringify({ type: 'send', clientMessageId: 'm-1', text: '转人工' }));
    await eventually(() => frames.some((f) => f.type === 'ack'));
    const inbound = await t.app.inject({
      method: 'POST',
      url: '/api/v1/inbound',
      headers: { authorization: `Bearer ${apiKey}` },
      payload: { customer: { externalId: 'metrics-1' }, text: '转人工', messageId: 'metrics-m-1' },
    });
    expect(inbound.statusCode, inbound.body).toBe(200);
    // A resent message is the same message: not counted again.
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/inbound',
      headers: { authorization: `Bearer ${apiKey}` },
      payload: { customer: { externalId: 'metrics-1' }, text: '转人工', messageId: 'metrics-m-1' },
    });
    // A job nobody handles, due for 90 s already: the lag shows it.
    const now = Date.now();
    await t.app.zhike.db.jobs.enqueueSystem({
      name: 'metrics.unhandled',
      payload: {},
      runAt: new Date(now - 90_000).toISOString(),
      idempotencyKey: `metrics-unhandled-${backend}`,
      maxAttempts: 1,
    });

    samples = await scrape(t);
    expect(sampleValue(samples, 'zhike_messages_received_total', { channel: 'widget' })).toBe(1);
    expect(sampleValue(samples, 'zhike_messages_received_total', { channel: 'api' })).toBe(1);
    const due = (await t.app.zhike.db.jobs.list()).filter(
      (j) => j.status === 'pending' && Date.parse(j.runAt) <= Date.now(),
    );
    expect(due.map((j) => j.name)).toContain('bot.reply');
    expect(sampleValue(samples, 'zhike_jobs_ready')).toBe(due.length);
    const lag = sampleValue(samples, 'zhike_job_lag_seconds') ?? 0;
    expect(lag).toBeGreaterThanOrEqual(90);
    expect(lag).toBeLessThan(90 + (Date.now() - now) / 1000 + 1);

    await drain();
    samples = await scrape(t);
    expect(sampleValue(samples, 'zhike_jobs_ready')).toBe(0);
    expect(sampleValue(samples, 'zhike_job_lag_seconds')).toBe(0);
    expect(sampleValue(samples, 'zhike_jobs_processed_total', { name: 'bot.reply', outcome: 'done' })).toBe(
      2,
    );
    expect(
      sampleValue(samples, 'zhike_jobs_processed_total', { name: 'metrics.unhandled', outcome: 'failed' }),
    ).toBe(1);
    expect(sampleValue(samples, 'zhike_job_duration_seconds_count', { name: 'bot.reply' })).toBe(2);
    expect(sampleValue(samples, 'zhike_nlu_duration_seconds_count', { operation: 'turn' })).toBe(2);
    // Compiled at least once (listening warms the bot up; the knowledge base it seeds can mean a second).
    expect(
      sampleValue(samples, 'zhike_nlu_duration_seconds_count', { operation: 'compile' }),
    ).toBeGreaterThanOrEqual(1);
    expect(sampleValue(samples, 'zhike_nlu_duration_seconds_sum', { operation: 'compile' })).toBeGreaterThan(
      0,
    );
    expect(sampleValue(samples, 'zhike_database_up')).toBe(1);

    // Both customers asked for a person with nobody online: they wait, as the inbox's own line says.
    const line = await t.app.zhike.db.forWorkspace(workspaceId).queueWaits.waiting();
    expect(line.length).toBeGreaterThanOrEqual(2);
    expect(sampleValue(samples, 'zhike_queue_waiting_conversations', { state: 'waiting' })).toBe(line.length);
    expect(sampleValue(samples, 'zhike_queue_waiting_conversations', { state: 'offered' })).toBe(0);
    const longest = Math.max(...line.map((w) => (Date.now() - Date.parse(w.waitingSince)) / 1000));
    expect(sampleValue(samples, 'zhike_queue_longest_wait_seconds')).toBeGreaterThan(longest - 5);

    socket.close();
    await eventually(
      async () =>
        sampleValue(await scrape(t), 'zhike_websocket_connections', { kind: 'widget' }) === 0 || undefined,
    );
  }, 60_000);
});

async function widgetToken(t: TestApp): Promise<string> {
  const inboxes = await t.app.zhike.db.forWorkspace(await t.demoWorkspaceId()).inboxes.list();
  const token = inboxes.find((i) => i.channel === 'widget')?.widgetToken;
  if (!token) throw new Error('the demo workspace has no widget inbox');
  return token;
}

describe('who may scrape GET /metrics', () => {
  const apps: TestApp[] = [];
  const appWith = async (env: Record<string, string>) => {
    const t = await createTestApp('sqlite', { startWorker: false, env });
    apps.push(t);
    return t;
  };
  afterAll(async () => Promise.all(apps.map((t) => t.close())));

  const problemOf = (res: LightMyRequestResponse) => {
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    return res.json() as { type: string; status: number };
  };

  it('without a token: loopback and private addresses only', async () => {
    const t = await appWith({});
    for (const remoteAddress of [
      '127.0.0.1',
      '::1',
      '10.1.2.3',
      '172.20.0.5',
      '192.168.1.9',
      '::ffff:192.168.1.9',
      'fd00::7',
    ])
      expect((await t.app.inject({ url: '/metrics', remoteAddress })).statusCode, remoteAddress).toBe(200);
    for (const remoteAddress of ['203.0.113.9', '8.8.8.8', '198.18.0.1', '100.64.0.1', '2001:db8::1']) {
      const res = await t.app.inject({ url: '/metrics', remoteAddress });
      expect(res.statusCode, remoteAddress).toBe(403);
      expect(problemOf(res)).toMatchObject({ type: 'urn:zhike:problem:forbidden', status: 403 });
      expect(res.body).not.toContain('zhike_');
    }
    // Without a trusted proxy a forwarded header changes nothing, either way.
    const spoofed = await t.app.inject({
      url: '/metrics',
      remoteAddress: '203.0.113.9',
      headers: { 'x-forwarded-for': '127.0.0.1' },
    });
    expect(spoofed.statusCode).toBe(403);
  });

  it('behind a trusted proxy: every hop must be private, so a client cannot claim to be local', async () => {
    const t = await appWith({ ZHIKE_TRUST_PROXY: '1' });
    const via = (forwarded: string, remoteAddress = '10.0.0.2') =>
      t.app.inject({ url: '/metrics', remoteAddress, headers: { 'x-forwarded-for': forwarded } });
    expect((await via('10.0.0.7')).statusCode).toBe(200);
    expect((await via('203.0.113.9')).statusCode).toBe(403);
    // The client sent "127.0.0.1" itself; the proxy appended the address it really came from.
    expect((await via('127.0.0.1, 203.0.113.9')).statusCode).toBe(403);
    expect((await via('10.0.0.7', '203.0.113.1')).statusCode).toBe(403);
  });

  it('with ZHIKE_METRICS_TOKEN: the bearer token, from anywhere', async () => {
    const token = 'scrape-token-0123456789abcdef';
    const t = await appWith({ ZHIKE_METRICS_TOKEN: token });
    const ask = (authorization?: string, remoteAddress = '203.0.113.9') =>
      t.app.inject({ url: '/metrics', remoteAddress, headers: authorization ? { authorization } : {} });
    for (const authorization of [undefined, `Bearer ${token}x`, `Bearer ${token.slice(1)}`, token]) {
      const res = await ask(authorization);
      expect(res.statusCode, String(authorization)).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(problemOf(res)).toMatchObject({ type: 'urn:zhike:problem:unauthenticated', status: 401 });
    }
    // Even loopback needs it once a token is set.
    expect((await ask(undefined, '127.0.0.1')).statusCode).toBe(401);
    const ok = await ask(`Bearer ${token}`);
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['content-type']).toBe(PROMETHEUS_TEXT);
    expect(sampleValue(parseExposition(ok.body), 'zhike_database_up')).toBe(1);
  });
});
