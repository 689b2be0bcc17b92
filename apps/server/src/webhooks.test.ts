// Outbound webhooks through the durable outbox: signed deliveries, retries with backoff on failure,
// and nothing lost when the process restarts between commit and delivery.
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { WebhookPayload } from '@zhike/contracts';
import { type Backend, createTestDatabase, testBackends } from '@zhike/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';
import { createTestApp, type TestApp } from './testing.ts';

interface Received {
  headers: Record<string, string | string[] | undefined>;
  raw: string;
}

async function receiver(
  answer: (n: number) => number,
): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => {
      raw += c;
    });
    req.on('end', () => {
      received.push({ headers: req.headers, raw });
      res.writeHead(answer(received.length)).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}/hook`, received, server };
}

function manualClock(start = Date.parse('2026-01-01T00:00:00Z')) {
  let now = start;
  return {
    now: () => new Date(now),
    advance(ms: number) {
      now += ms;
    },
  };
}

async function configureWebhook(t: TestApp, url: string) {
  const session = await t.login();
  const inboxes = (await t.app.inject({ url: '/api/v1/inboxes', headers: { cookie: session.cookie } })).json()
    .inboxes;
  const api = inboxes.find((i: { channel: string }) => i.channel === 'api');
  const res = await t.app.inject({
    method: 'PATCH',
    url: `/api/v1/inboxes/${api.id}`,
    headers: session.headers,
    payload: { webhookUrl: url },
  });
  expect(res.statusCode).toBe(200);
  return { secret: api.webhookSecret as string, session };
}

// The receivers listen on loopback, which the SSRF guard refuses unless the operator allows it.
const localHooks = { ZHIKE_WEBHOOK_ALLOW_HOSTS: '127.0.0.1' };

const signatureOf = (secret: string, raw: string) =>
  `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;

// Messages the bot answers itself (one outbound message each), so the job counts below are about
// webhooks alone: a hand-off also tells the customer their place in line and starts a dispatch.
describe.each(testBackends)('webhooks on %s', (backend: Backend) => {
  const closers: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const close of closers.reverse()) await close();
  });

  it('delivers bot and agent messages signed with the inbox secret', async () => {
    const hook = await receiver(() => 200);
    closers.push(() => new Promise((r) => hook.server.close(r)));
    const t = await createTestApp(backend, { env: localHooks });
    closers.push(() => t.close());
    const { secret, session } = await configureWebhook(t, hook.url);
    const key = await t.apiKey();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/inbound',
      headers: { authorization: `Bearer ${key}` },
      payload: { customer: { externalId: 'crm-42' }, text: '转人工', messageId: 'w-1' },
    });
    const conversationId = res.json().conversationId;
    // The bot's turn first (its first turn compiles the workspace's bot): an agent reply would silence it.
    // It hands off and tells the customer their place in line: two system messages.
    await expect.poll(() => hook.received.length, { timeout: 20_000 }).toBe(2);
    await t.app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${conversationId}/messages`,
      headers: session.headers,
      payload: { text: '您好，这里是人工客服' },
    });
    await expect.poll(() => hook.received.length, { timeout: 20_000 }).toBe(3);
    const bodies = hook.received.map((r) => {
      expect(r.headers['x-zhike-signature']).toBe(signatureOf(secret, r.raw));
      expect(r.headers['content-type']).toBe('application/json');
      return JSON.parse(r.raw) as WebhookPayload;
    });
    expect(bodies.map((b) => b.message.author).sort()).toEqual(['agent', 'system', 'system']);
    for (const b of bodies) {
      expect(b).toMatchObject({
        event: 'message.created',
        conversationId,
        customer: { externalId: 'crm-42' },
      });
      expect(hook.received.some((r) => r.headers['x-zhike-delivery'] === b.deliveryId)).toBe(true);
    }
    expect(bodies.find((b) => b.message.author === 'agent')?.message.authorName).toBe('店主');
  });

  it('retries a failing receiver with backoff, keeping the delivery id', async () => {
    const hook = await receiver((n) => (n <= 2 ? 500 : 204));
    closers.push(() => new Promise((r) => hook.server.close(r)));
    const clock = manualClock();
    const t = await createTestApp(backend, { clock, startWorker: false, env: localHooks });
    closers.push(() => t.close());
    await configureWebhook(t, hook.url);
    const key = await t.apiKey();
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/inbound',
      headers: { authorization: `Bearer ${key}` },
      payload: { customer: { externalId: 'crm-43' }, text: '你们发什么快递？', messageId: 'w-2' },
    });
    const worker = t.app.zhike.worker;
    expect(await worker.runDue()).toBe(1); // bot turn → its answer + outbox row
    expect(await worker.runDue()).toBe(1); // first delivery: 500
    expect(hook.received).toHaveLength(1);
    expect(await worker.runDue()).toBe(0); // not due yet
    clock.advance(2_000);
    expect(await worker.runDue()).toBe(1); // second: 500
    clock.advance(2_000);
    expect(await worker.runDue()).toBe(0); // backoff doubled
    clock.advance(2_000);
    expect(await worker.runDue()).toBe(1); // third: 204
    expect(hook.received).toHaveLength(3);
    expect(new Set(hook.received.map((r) => r.headers['x-zhike-delivery'])).size).toBe(1);
    const [job] = await t.app.zhike.db.jobs.list({ name: 'webhook.deliver' });
    expect(job).toMatchObject({ status: 'done', attempts: 3 });
  });

  it('delivers after a restart what was committed before it', async () => {
    const hook = await receiver(() => 200);
    closers.push(() => new Promise((r) => hook.server.close(r)));
    const database = await createTestDatabase(backend);
    closers.push(() => database.drop());
    const first = await createTestApp(backend, { database, startWorker: false, env: localHooks });
    await configureWebhook(first, hook.url);
    const key = await first.apiKey();
    const res = await first.app.inject({
      method: 'POST',
      url: '/api/v1/inbound',
      headers: { authorization: `Bearer ${key}` },
      payload: { customer: { externalId: 'crm-44' }, text: '你们发什么快递？', messageId: 'w-3' },
    });
    expect(res.statusCode).toBe(200);
    await first.close(); // "crash" before the bot or the webhook ran
    expect(hook.received).toHaveLength(0);

    const second = await createTestApp(backend, { database, env: localHooks });
    closers.push(() => second.close());
    await expect.poll(() => hook.received.length, { timeout: 20_000 }).toBe(1);
    expect(JSON.parse(hook.received[0]!.raw).conversationId).toBe(res.json().conversationId);
  });
});

describe.each(testBackends)('webhook SSRF guard on %s', (backend: Backend) => {
  const deliverOnce = async (t: TestApp, url: string, messageId: string) => {
    await configureWebhook(t, url);
    const key = await t.apiKey();
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/inbound',
      headers: { authorization: `Bearer ${key}` },
      payload: { customer: { externalId: `crm-${messageId}` }, text: '你们发什么快递？', messageId },
    });
    expect(await t.app.zhike.worker.runDue()).toBe(1); // bot turn → outbox row
    expect(await t.app.zhike.worker.runDue()).toBe(1); // the delivery attempt
    const [job] = await t.app.zhike.db.jobs.list({ name: 'webhook.deliver' });
    return job;
  };

  it('refuses a loopback receiver that is not allowed, for good', async () => {
    const hook = await receiver(() => 200);
    const t = await createTestApp(backend, { startWorker: false });
    try {
      const job = await deliverOnce(t, hook.url, 'ssrf-1');
      expect(hook.received).toHaveLength(0);
      // Permanent: retrying cannot make a loopback address public.
      expect(job).toMatchObject({ status: 'failed', attempts: 1 });
      expect(job?.lastError).toMatch(/loopback/);
    } finally {
      await t.close();
      await new Promise((r) => hook.server.close(r));
    }
  });

  it('does not follow a redirect with the signed body', async () => {
    const target = await receiver(() => 200);
    const redirector = createServer((_req, res) => {
      const port = (target.server.address() as { port: number }).port;
      res.writeHead(307, { location: `http://127.0.0.1:${port}/hook` }).end();
    });
    await new Promise<void>((r) => redirector.listen(0, '127.0.0.1', r));
    const port = (redirector.address() as { port: number }).port;
    const t = await createTestApp(backend, { startWorker: false, env: localHooks });
    try {
      const job = await deliverOnce(t, `http://127.0.0.1:${port}/moved`, 'ssrf-2');
      expect(target.received).toHaveLength(0);
      expect(job).toMatchObject({ status: 'pending' }); // a 3xx is a failed delivery, retried later
      expect(job?.lastError).toMatch(/307/);
    } finally {
      await t.close();
      await new Promise((r) => redirector.close(r));
      await new Promise((r) => target.server.close(r));
    }
  });
});

describe('ZHIKE_WEBHOOK_ALLOW_HOSTS', () => {
  const env = { ZHIKE_MASTER_KEY: Buffer.alloc(32, 1).toString('base64'), ZHIKE_SECRET: 'x'.repeat(32) };
  it('reads a comma-separated list of host names, lower-cased', () => {
    const config = loadConfig({
      ...env,
      ZHIKE_WEBHOOK_ALLOW_HOSTS: ' Hooks.LAN, *.svc.internal ,127.0.0.1,',
    });
    expect(config.webhookAllowHosts).toEqual(['hooks.lan', '*.svc.internal', '127.0.0.1']);
    expect(loadConfig(env).webhookAllowHosts).toEqual([]);
  });
  it('refuses URLs and other non-names', () => {
    expect(() => loadConfig({ ...env, ZHIKE_WEBHOOK_ALLOW_HOSTS: 'http://hooks.lan/' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...env, ZHIKE_WEBHOOK_ALLOW_HOSTS: 'a b' })).toThrow(
      /ZHIKE_WEBHOOK_ALLOW_HOSTS/,
    );
  });
});

describe('webhook URL validation', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('sqlite');
  });
  afterAll(async () => t?.close());
  it('accepts only http(s) URLs', async () => {
    const session = await t.login();
    const inbox = (await t.app.inject({ url: '/api/v1/inboxes', headers: { cookie: session.cookie } })).json()
      .inboxes[0];
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/inboxes/${inbox.id}`,
      headers: session.headers,
      payload: { webhookUrl: 'ftp://x' },
    });
    expect(res.statusCode).toBe(400);
  });
});

describe('two workers on one PostgreSQL', () => {
  it('never deliver one outbox row twice', async () => {
    const hook = await receiver(() => 200);
    const database = await createTestDatabase('postgres');
    const one = await createTestApp('postgres', { database, startWorker: false, env: localHooks });
    const two = await createTestApp('postgres', { database, startWorker: false, env: localHooks });
    try {
      const { session } = await configureWebhook(one, hook.url);
      const key = await one.apiKey();
      const res = await one.app.inject({
        method: 'POST',
        url: '/api/v1/inbound',
        headers: { authorization: `Bearer ${key}` },
        payload: { customer: { externalId: 'crm-race' }, text: '转人工', messageId: 'race-0' },
      });
      const conversationId = res.json().conversationId;
      for (let i = 0; i < 40; i++) {
        await one.app.inject({
          method: 'POST',
          url: `/api/v1/conversations/${conversationId}/messages`,
          headers: session.headers,
          payload: { text: `回复 ${i}` },
        });
      }
      // Both "processes" race for the same due rows until nothing is left.
      for (;;) {
        const [a, b] = await Promise.all([one.app.zhike.worker.runDue(), two.app.zhike.worker.runDue()]);
        if (a + b === 0) break;
      }
      const ids = hook.received.map((r) => r.headers['x-zhike-delivery']);
      expect(ids).toHaveLength(40);
      expect(new Set(ids).size).toBe(40);
    } finally {
      await one.close();
      await two.close();
      await database.drop();
      await new Promise((r) => hook.server.close(r));
    }
  });
});
