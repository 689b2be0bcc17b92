// Issue 4's order-lookup connector and issue 5's shared SSRF guard, on both backends: a local HTTP
// server plays the shop's order API (nested JSON, a flaky one, a slow one, 404, a redirect to the cloud
// metadata address); the connector's retries, timeouts, mapping, not-found rule and redirect refusal are
// checked through the REST API, secrets are looked for in the database files, and the demo shop's bot
// answers a customer from the merchant API.
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { dirname, join } from 'node:path';
import type { ConnectorTestResult, OrderLookupConnectorBody } from '@zhike/contracts';
import { type Backend, testBackends } from '@zhike/db';
import type { AuditRecord } from '@zhike/security';
import type { InjectOptions } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from './auth/secrets.ts';
import { createTestApp, eventually, type TestApp, type TestSession } from './testing.ts';

const API_KEY = 'sk-merchant-7f3a9c1e5b2d4680';
const ROUTE = '/api/v1/connectors/order-lookup';

interface MerchantApi {
  base: string;
  server: Server;
  seen: IncomingMessage[];
  close(): Promise<void>;
}

/** The shop's order system. Answers 401 without the right key, like a real one would. */
async function merchantApi(): Promise<MerchantApi> {
  const seen: IncomingMessage[] = [];
  const flaky = new Map<string, number>();
  const server = createServer((req, res) => {
    seen.push(req);
    const url = new URL(req.url ?? '/', 'http://x');
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    if (req.headers['x-api-key'] !== API_KEY) return json(401, { error: 'bad key' });
    const [, kind, number] = url.pathname.split('/');
    if (kind === 'slow') {
      const timer = setTimeout(() => json(200, { data: { state: '太迟了' } }), 2_000);
      res.on('close', () => clearTimeout(timer));
      return;
    }
    if (kind === 'redirect') {
      res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' });
      return res.end();
    }
    if (kind === 'busy') return json(503, { error: 'busy' }, { 'retry-after': '120' });
    if (kind === 'huge') {
      // Streamed without Content-Length: only counting the bytes stops it.
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"data":"');
      for (let i = 0; i < 80; i++) res.write('x'.repeat(10_000));
      return res.end('"}');
    }
    if (kind === 'flaky') {
      const n = (flaky.get(number ?? '') ?? 0) + 1;
      flaky.set(number ?? '', n);
      if (n <= 2) return json(500, { error: 'try again' });
    }
    if (kind === 'deleted') return json(200, { data: null, ok: false });
    if (number !== 'ZK20261125901' && number !== 'ZK20261125902')
      return json(404, { error: 'no such order' });
    return json(200, {
      code: 0,
      data: {
        order_no: number,
        'order-state': { label: number === 'ZK20261125901' ? '运输中' : '已签收' },
        buyer: { mobile: '139 1234 5678' },
        packages: [{ carrier: '京东物流', waybill: 'JD0001234567' }],
        lines: [
          { name: '保温杯', qty: 1 },
          { name: '杯刷', qty: 2 },
        ],
        amount: '89.00',
        phone_query: url.searchParams.get('phone'),
      },
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    base: `http://127.0.0.1:${port}`,
    server,
    seen,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

const connectorBody = (
  base: string,
  over: Partial<OrderLookupConnectorBody> = {},
): OrderLookupConnectorBody => ({
  enabled: true,
  method: 'GET',
  urlTemplate: `${base}/orders/{{order_number}}?phone={{phone}}`,
  headers: [
    { name: 'X-Api-Key', secret: true, value: API_KEY },
    { name: 'X-Shop', secret: false, value: 'demo' },
  ],
  bodyTemplate: null,
  mapping: {
    number: '$.data.order_no',
    status: "$.data['order-state'].label",
    carrier: '$.data.packages[0].carrier',
    trackingNumber: '$.data.packages[0].waybill',
    phone: '$.data.buyer.mobile',
    items: '$.data.lines[*]',
    total: '$.data.amount',
  },
  notFoundPath: null,
  timeoutMs: 1000,
  retries: 2,
  allowedHosts: ['127.0.0.1'],
  ...over,
});

describe.each(testBackends)('order-lookup connector on %s', (backend: Backend) => {
  let t: TestApp;
  let api: MerchantApi;
  let owner: TestSession;
  const audited: AuditRecord[] = [];
  const inject = (options: InjectOptions) => t.app.inject(options);
  const save = (body: OrderLookupConnectorBody) =>
    inject({ method: 'PUT', url: ROUTE, headers: owner.headers, payload: body });
  const runTest = async (orderNumber: string, phone?: string) => {
    const res = await inject({
      method: 'POST',
      url: `${ROUTE}/test`,
      headers: owner.headers,
      payload: { orderNumber, ...(phone ? { phone } : {}) },
    });
    expect(res.statusCode).toBe(200);
    return res.json() as ConnectorTestResult;
  };

  beforeAll(async () => {
    api = await merchantApi();
    t = await createTestApp(backend, { startWorker: false });
    const audit = t.app.zhike.db.audit;
    const record = audit.record.bind(audit);
    audit.record = async (input) => {
      audited.push(input);
      return record(input);
    };
    owner = await t.login();
  });
  afterAll(async () => {
    await t?.close();
    await api?.close();
  });

  it('starts without a connector and refuses to test one', async () => {
    const res = await inject({ url: ROUTE, headers: { cookie: owner.cookie } });
    expect(res.json()).toEqual({ connector: null });
    const test = await inject({
      method: 'POST',
      url: `${ROUTE}/test`,
      headers: owner.headers,
      payload: { orderNumber: 'ZK1' },
    });
    expect(test.statusCode).toBe(404);
  });

  it('defaults to a 3 s timeout and 2 retries', async () => {
    const { timeoutMs: _t, retries: _r, ...rest } = connectorBody(api.base);
    const res = await inject({ method: 'PUT', url: ROUTE, headers: owner.headers, payload: rest });
    expect(res.statusCode).toBe(200);
    expect(res.json().connector).toMatchObject({ timeoutMs: 3000, retries: 2 });
  });

  it('refuses a loopback target unless its host is explicitly allowed', async () => {
    expect((await save(connectorBody(api.base, { allowedHosts: [] }))).statusCode).toBe(200);
    const refused = await runTest('ZK20261125901');
    expect(refused).toMatchObject({ outcome: 'failed', failure: { kind: 'refused' }, status: null });
    expect(refused.failure?.message).toMatch(/loopback/);
    expect(refused.attempts).toHaveLength(1); // never retried: the address will not become public
    // Other private names are not admitted by allowing this one.
    expect((await save(connectorBody(api.base, { allowedHosts: ['localhost'] }))).statusCode).toBe(200);
    expect((await runTest('ZK20261125901')).failure?.kind).toBe('refused');
  });

  it('maps a nested answer, sends the secret header, fills placeholders URL-encoded', async () => {
    const res = await save(connectorBody(api.base));
    expect(res.statusCode).toBe(200);
    const result = await runTest('ZK20261125901', '+86 139');
    expect(result).toMatchObject({
      outcome: 'found',
      status: 200,
      order: {
        number: 'ZK20261125901',
        status: '运输中',
        carrier: '京东物流',
        trackingNumber: 'JD0001234567',
        phoneLast4: '5678',
        items: [
          { name: '保温杯', quantity: 1 },
          { name: '杯刷', quantity: 2 },
        ],
        total: '89.00',
      },
      failure: null,
    });
    expect(result.request.url).toBe(`${api.base}/orders/ZK20261125901?phone=%2B86%20139`);
    expect(result.request.headers['x-api-key']).toBe('••••');
    expect(result.request.headers['x-shop']).toBe('demo');
    expect(JSON.stringify(result)).not.toContain(API_KEY);
    expect(result.bodyExcerpt).toContain('"phone_query":"+86 139"');
    expect(api.seen.at(-1)?.headers['x-api-key']).toBe(API_KEY);
  });

  it('never returns the secret, keeps it when saved without a value, and audits without it', async () => {
    const got = (await inject({ url: ROUTE, headers: { cookie: owner.cookie } })).json();
    expect(got.connector.headers).toEqual([
      { name: 'X-Api-Key', secret: true, value: null, set: true },
      { name: 'X-Shop', secret: false, value: 'demo', set: true },
    ]);
    expect(JSON.stringify(got)).not.toContain(API_KEY);
    // The console sends the secret back without a value: the saved one stays.
    const again = connectorBody(api.base, { timeoutMs: 1500 });
    again.headers[0] = { name: 'X-Api-Key', secret: true, value: null };
    const saved = await save(again);
    expect(saved.statusCode).toBe(200);
    expect(saved.body).not.toContain(API_KEY);
    expect(saved.json().connector).toMatchObject({ timeoutMs: 1500, version: 5 });
    expect((await runTest('ZK20261125902')).order?.status).toBe('已签收');
    // A new secret header without a value is a clear validation error.
    const missing = connectorBody(api.base);
    missing.headers.push({ name: 'Authorization', secret: true });
    const bad = await save(missing);
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(bad.body).toContain('Authorization');

    const changes = audited.filter((e) => e.action === 'settings.changed' && e.target?.type === 'connector');
    expect(changes.length).toBeGreaterThanOrEqual(5);
    expect(changes.some((e) => e.details.secretsChanged === 'X-Api-Key')).toBe(true);
    expect(changes.some((e) => e.details.version === 5 && e.details.secretsChanged === '')).toBe(true);
    expect(JSON.stringify(audited)).not.toContain(API_KEY);
  });

  it('stores the secret sealed: it is nowhere in the database', async () => {
    const url = t.database.url;
    if (backend === 'sqlite') {
      const dir = dirname(url);
      const files = readdirSync(dir).filter((f) => f.startsWith('zhike.db'));
      const bytes = files.map((file) => readFileSync(join(dir, file)));
      expect(bytes.some((b) => b.includes(Buffer.from(API_KEY)))).toBe(false);
      // The scan is worth something only if it sees the connector row (in the file or its WAL).
      expect(bytes.some((b) => b.includes(Buffer.from('X-Shop')))).toBe(true);
    } else {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const rows = await client.query('select * from connectors');
        expect(rows.rowCount).toBe(1);
        expect(JSON.stringify(rows.rows)).not.toContain(API_KEY);
        const audit = await client.query('select * from audit_log');
        expect(JSON.stringify(audit.rows)).not.toContain(API_KEY);
      } finally {
        await client.end();
      }
    }
  });

  it('retries 5xx with backoff until it answers, and gives up when retries run out', async () => {
    expect(
      (await save(connectorBody(api.base, { urlTemplate: `${api.base}/flaky/{{order_number}}` }))).statusCode,
    ).toBe(200);
    const ok = await runTest('ZK20261125901');
    expect(ok.outcome).toBe('found');
    expect(ok.attempts.map((a) => a.status)).toEqual([500, 500, 200]);
    // Exponential backoff with jitter: at least 100 ms + 200 ms of waiting between the three attempts.
    expect(ok.totalMs).toBeGreaterThanOrEqual(300);

    await save(connectorBody(api.base, { urlTemplate: `${api.base}/flaky/{{order_number}}`, retries: 1 }));
    const failed = await runTest('ZK20261125902');
    expect(failed).toMatchObject({ outcome: 'failed', failure: { kind: 'server_error' }, status: 500 });
    expect(failed.attempts).toHaveLength(2);
  });

  it('does not wait for a Retry-After past its time budget', async () => {
    await save(connectorBody(api.base, { urlTemplate: `${api.base}/busy/{{order_number}}` }));
    const busy = await runTest('ZK20261125901');
    expect(busy).toMatchObject({ outcome: 'failed', status: 503 });
    expect(busy.attempts).toHaveLength(1);
    expect(busy.totalMs).toBeLessThan(1000);
  });

  it('times out a slow API per attempt and within the whole budget', async () => {
    await save(
      connectorBody(api.base, {
        urlTemplate: `${api.base}/slow/{{order_number}}`,
        timeoutMs: 300,
        retries: 1,
      }),
    );
    const slow = await runTest('ZK20261125901');
    expect(slow).toMatchObject({ outcome: 'failed', failure: { kind: 'timeout' } });
    expect(slow.attempts).toHaveLength(2);
    expect(slow.totalMs).toBeGreaterThanOrEqual(300);
    expect(slow.totalMs).toBeLessThan(1_500);
  });

  it('reads 404 and an empty not-found path as "no such order"', async () => {
    await save(connectorBody(api.base));
    expect(await runTest('ZK20269999999')).toMatchObject({ outcome: 'not_found', status: 404, order: null });
    await save(
      connectorBody(api.base, { urlTemplate: `${api.base}/deleted/{{order_number}}`, notFoundPath: '$.ok' }),
    );
    expect(await runTest('ZK20261125901')).toMatchObject({ outcome: 'not_found', status: 200 });
  });

  it('refuses a redirect to the cloud metadata address', async () => {
    await save(connectorBody(api.base, { urlTemplate: `${api.base}/redirect/{{order_number}}` }));
    const redirected = await runTest('ZK20261125901');
    expect(redirected).toMatchObject({ outcome: 'failed', failure: { kind: 'refused' } });
    expect(redirected.failure?.message).toMatch(/169\.254\.169\.254|link-local/);
  });

  it('stops reading an answer larger than the cap', async () => {
    await save(connectorBody(api.base, { urlTemplate: `${api.base}/huge/{{order_number}}` }));
    const huge = await runTest('ZK20261125901');
    expect(huge).toMatchObject({ outcome: 'failed', failure: { kind: 'too_large' } });
    expect(huge.attempts).toHaveLength(1);
  });

  it('reports a mapping that finds no status as a mapping failure', async () => {
    await save(
      connectorBody(api.base, { mapping: { ...connectorBody(api.base).mapping, status: '$.data.nope' } }),
    );
    expect((await runTest('ZK20261125901')).failure?.kind).toBe('mapping');
  });

  it('answers malformed settings with problem+json naming the field', async () => {
    const cases: [Partial<OrderLookupConnectorBody>, string][] = [
      [{ mapping: { ...connectorBody(api.base).mapping, status: 'data.state' } }, 'body/mapping/status'],
      [{ urlTemplate: 'ftp://shop.example.com/{{order_number}}' }, 'body/urlTemplate'],
      [{ urlTemplate: 'https://shop.example.com/orders' }, 'body/urlTemplate'],
      [{ bodyTemplate: '{"no":"{{order_number}}"}' }, 'body/bodyTemplate'],
      [{ timeoutMs: 60_000 }, 'body/timeoutMs'],
      [{ retries: 9 }, 'body/retries'],
      [{ allowedHosts: ['http://evil/'] }, 'body/allowedHosts/0'],
    ];
    for (const [over, path] of cases) {
      const res = await save(connectorBody(api.base, over));
      expect(res.statusCode, path).toBe(400);
      expect(
        res
          .json()
          .errors.map((e: { path: string }) => e.path)
          .join(' '),
        path,
      ).toContain(path);
    }
    const headerInjection = connectorBody(api.base);
    headerInjection.headers[1] = { name: 'X-Shop', secret: false, value: 'a\r\nHost: evil' };
    expect((await save(headerInjection)).statusCode).toBe(400);
    const anonymous = await inject({ method: 'PUT', url: ROUTE, payload: connectorBody(api.base) });
    expect(anonymous.statusCode).toBe(401);
  });

  it('is for admins: agents and supervisors cannot read, change or run it', async () => {
    for (const role of ['agent', 'supervisor'] as const) {
      const email = `${role}-connectors@test.zhike.local`;
      await t.app.zhike.db.directory.addUser({
        id: t.app.zhike.newId(),
        workspaceId: owner.info.workspace.id,
        email,
        name: role,
        role,
        createdAt: new Date().toISOString(),
        passwordHash: await hashPassword('role-password'),
      });
      const session = await t.login(email, 'role-password');
      expect(session.info.permissions).not.toContain('connectors.manage');
      const read = await inject({ url: ROUTE, headers: { cookie: session.cookie } });
      const write = await inject({
        method: 'PUT',
        url: ROUTE,
        headers: session.headers,
        payload: connectorBody(api.base),
      });
      const run = await inject({
        method: 'POST',
        url: `${ROUTE}/test`,
        headers: session.headers,
        payload: { orderNumber: 'ZK20261125901' },
      });
      expect([read.statusCode, write.statusCode, run.statusCode]).toEqual([403, 403, 403]);
    }
    expect(owner.info.permissions).toContain('connectors.manage');
  });
});

describe.each(testBackends)('the demo bot answering from the merchant API on %s', (backend: Backend) => {
  let t: TestApp;
  let api: MerchantApi;
  let owner: TestSession;
  let key: string;
  let seq = 0;

  beforeAll(async () => {
    api = await merchantApi();
    t = await createTestApp(backend);
    owner = await t.login();
    key = await t.apiKey();
  });
  afterAll(async () => {
    await t?.close();
    await api?.close();
  });

  async function say(customer: string, text: string): Promise<{ text: string; conversationId: string }> {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/inbound',
      headers: { authorization: `Bearer ${key}` },
      payload: { customer: { externalId: customer }, text, messageId: `c-${++seq}` },
    });
    expect(res.statusCode).toBe(200);
    const { conversationId, messageId } = res.json() as { conversationId: string; messageId: string };
    const replies = await eventually(async () => {
      const all = (
        await t.app.inject({
          url: `/api/v1/conversations/${conversationId}/messages?limit=200`,
          headers: { authorization: `Bearer ${key}` },
        })
      ).json().messages as { id: string; text: string }[];
      const after = all.slice(all.findIndex((m) => m.id === messageId) + 1);
      return after.length > 0 ? after.map((m) => m.text).join('\n') : undefined;
    }, 30_000);
    return { text: replies, conversationId };
  }

  it('looks the order up in the shop system, after the phone check', async () => {
    const saved = await t.app.inject({
      method: 'PUT',
      url: ROUTE,
      headers: owner.headers,
      payload: connectorBody(api.base),
    });
    expect(saved.statusCode).toBe(200);
    const before = api.seen.length;
    const ask = await say('conn-1', '我的订单 ZK20261125901 到哪了');
    expect(ask.text).toContain('后 4 位');
    expect(ask.text).not.toContain('运输中');
    expect(api.seen.length).toBeGreaterThan(before); // the merchant API was asked, not the orders table
    const done = await say('conn-1', '5678');
    expect(done.text).toContain('运输中');
    expect(done.text).toContain('JD0001234567');
  });

  it('says the lookup is unavailable and hands off when the shop system fails', async () => {
    await t.app.inject({
      method: 'PUT',
      url: ROUTE,
      headers: owner.headers,
      payload: connectorBody(api.base, {
        urlTemplate: `${api.base}/slow/{{order_number}}`,
        timeoutMs: 200,
        retries: 1,
      }),
    });
    const r = await say('conn-2', '我的订单 ZK20261125901 到哪了');
    expect(r.text).toContain('订单系统暂时无法查询');
    expect(r.text).not.toContain('没有找到订单');
    const conversation = (
      await t.app.inject({
        url: `/api/v1/conversations/${r.conversationId}`,
        headers: { authorization: `Bearer ${key}` },
      })
    ).json() as { handedOff: boolean };
    expect(conversation.handedOff).toBe(true);
  });

  it('falls back to the orders table when the connector is switched off', async () => {
    await t.app.inject({
      method: 'PUT',
      url: ROUTE,
      headers: owner.headers,
      payload: connectorBody(api.base, { enabled: false }),
    });
    const ask = await say('conn-3', '帮我查下订单ZK20261125001到哪了');
    expect(ask.text).toContain('后 4 位');
    expect((await say('conn-3', '8000')).text).toContain('SF1234567890');
  });
});
