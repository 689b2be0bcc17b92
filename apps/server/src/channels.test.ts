// Channel plumbing beyond the shared contract (tests/support/channelContract.ts): managing channel inboxes
// (schema-checked config, write-only sealed secrets, disabling), the hook's edges (unknown hooks, GET
// challenges, unreadable and random bodies, other content types), long replies in parts, permanent
// failures, email-style threads, files, and passive replies inside the provider's request.
import { splitText } from '@zhike/core';
import { type Backend, testBackends } from '@zhike/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FakeProvider,
  fakeChannelAdapter,
  fakeHookRequest,
  startFakeProvider,
} from '../../../tests/support/fakeChannel.ts';
import { PNG } from '../../../tests/support/tenancy/requests.ts';
import { parseExposition, sampleValue } from './observability/exposition.ts';
import { createTestApp, eventually, type TestApp, type TestSession } from './testing.ts';

const PUBLIC_URL = 'https://zhike.channels.test';
const SIGNING = 'channel-test-signing-secret';

interface InboxView {
  id: string;
  hookUrl: string;
  secretsSet: string[];
  config: Record<string, unknown>;
  enabled: boolean;
}

describe.each(testBackends)('channel inboxes and hooks on %s', (backend: Backend) => {
  let t: TestApp;
  let provider: FakeProvider;
  let owner: TestSession;
  let workspaceId: string;
  let inbox: InboxView;
  let hookPath: string;
  let seq = 0;
  const shortTexts = fakeChannelAdapter({ id: 'fake-short', maxTextLength: 40 });

  const drain = async () => {
    for (let i = 0; i < 50; i++) if ((await t.app.zhike.worker.runDue()) === 0) return;
  };
  const inbound = (event: Record<string, unknown>, path = hookPath) =>
    t.app.inject(fakeHookRequest(PUBLIC_URL, path, SIGNING, event));
  const message = (text: string, extra: Record<string, unknown> = {}) => ({
    type: 'message',
    id: `m-${Date.now().toString(36)}-${++seq}`,
    from: '+8613700000001',
    text,
    ...extra,
  });
  const create = (payload: Record<string, unknown>, headers = owner.headers) =>
    t.app.inject({ method: 'POST', url: '/api/v1/inboxes', headers, payload });
  const conversationOf = async (providerId: string, adapter = 'fake-channel', inboxId = inbox.id) =>
    (
      await t.app.zhike.db
        .forWorkspace(workspaceId)
        .messages.findByIdempotencyKey(inboxId, `${adapter}:${providerId}`)
    )?.conversationId;

  beforeAll(async () => {
    provider = await startFakeProvider();
    t = await createTestApp(backend, {
      startWorker: false,
      channelAdapters: [fakeChannelAdapter(), shortTexts],
      env: { ZHIKE_CHANNEL_ALLOW_HOSTS: '127.0.0.1', ZHIKE_PUBLIC_URL: PUBLIC_URL },
    });
    owner = await t.login();
    workspaceId = await t.demoWorkspaceId();
    const res = await create({
      name: '短信',
      adapter: 'fake-channel',
      config: { apiUrl: provider.url, signingSecret: SIGNING, apiToken: provider.apiToken, sender: '1069' },
    });
    expect(res.statusCode, res.body).toBe(201);
    inbox = res.json() as InboxView;
    hookPath = new URL(inbox.hookUrl).pathname;
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await provider?.close();
  });

  it('creates a channel inbox: settings shown, secrets sealed at rest and never shown', async () => {
    expect(inbox.config).toEqual({ apiUrl: provider.url, sender: '1069' });
    expect(inbox.secretsSet).toEqual(['apiToken', 'signingSecret']);
    expect(JSON.stringify(inbox)).not.toContain(SIGNING);
    const rows = JSON.stringify(
      await (await import('../../../tests/support/tenancy/snapshot.ts')).workspaceRows(
        backend,
        t.database.url,
        workspaceId,
      ),
    );
    expect(rows).not.toContain(SIGNING);
    expect(rows).not.toContain(provider.apiToken);
    // The audit entry names the fields, never the values.
    expect(rows).toContain('config.signingSecret'.split('.')[1]);
  });

  it('checks the config against the adapter’s schema, and knows its adapters', async () => {
    const bad = await create({
      name: 'x',
      adapter: 'fake-channel',
      config: { apiUrl: 'ftp://nope', signingSecret: 'short' },
    });
    expect(bad.statusCode).toBe(400);
    const problem = bad.json() as { errors: { path: string }[] };
    expect(problem.errors.map((e) => e.path)).toEqual(expect.arrayContaining(['body/config/apiUrl']));
    expect(bad.body).not.toContain('short"');
    expect((await create({ name: 'x', adapter: 'no-such-vendor', config: {} })).statusCode).toBe(400);
    expect(
      (await create({ name: 'x', adapter: 'fake-channel', channel: 'email', config: {} })).statusCode,
    ).toBe(400);
    const adapters = await t.app.inject({
      method: 'GET',
      url: '/api/v1/channels/adapters',
      headers: owner.headers,
    });
    const list = (
      adapters.json() as {
        adapters: { id: string; secretFields: string[]; configSchema: { properties: object } }[];
      }
    ).adapters;
    const fake = list.find((a) => a.id === 'fake-channel');
    expect(fake?.secretFields).toEqual(['signingSecret', 'apiToken']);
    expect(Object.keys(fake?.configSchema.properties ?? {})).toContain('apiUrl');
  });

  it('only inboxes.manage may create or change channel inboxes', async () => {
    const agent = t.app.zhike.seed;
    expect(agent).toBeDefined();
    // A key has no inboxes.manage: a 403, not a new inbox.
    const key = await t.apiKey();
    const res = await create(
      { name: 'x', adapter: 'fake-channel', config: {} },
      { authorization: `Bearer ${key}` },
    );
    expect([401, 403]).toContain(res.statusCode);
  });

  it('keeps secrets write-only: left out or empty they stay, given they change', async () => {
    const patch = (config: Record<string, unknown>) =>
      t.app.inject({
        method: 'PATCH',
        url: `/api/v1/inboxes/${inbox.id}`,
        headers: owner.headers,
        payload: { config },
      });
    const kept = await patch({ sender: '1070', apiToken: '' });
    expect(kept.statusCode, kept.body).toBe(200);
    expect((kept.json() as InboxView).config.sender).toBe('1070');
    const store = t.app.zhike.db.forWorkspace(workspaceId);
    expect(await store.inboxes.channelSecrets(inbox.id)).toEqual({
      signingSecret: SIGNING,
      apiToken: provider.apiToken,
    });
    // A signed inbound still verifies with the kept secret.
    expect((await inbound(message('还在吗'))).statusCode).toBe(200);
    const changed = await patch({ signingSecret: 'rotated-signing-secret' });
    expect(changed.statusCode).toBe(200);
    expect((await inbound(message('旧签名'))).statusCode).toBe(401);
    expect((await patch({ signingSecret: SIGNING, sender: '1069' })).statusCode).toBe(200);
    const invalid = await patch({ apiUrl: 'not a url' });
    expect(invalid.statusCode).toBe(400);
  });

  it('answers 404 for unknown hooks and GET challenges only when signed', async () => {
    expect((await inbound(message('x'), '/hooks/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'POST', url: '/hooks/short' })).statusCode).toBe(400);
    const url = `${hookPath}?echo=abc123`;
    const { createHmac } = await import('node:crypto');
    const sig = createHmac('sha256', SIGNING).update(`${PUBLIC_URL}${url}`).update('\n').digest('hex');
    const ok = await t.app.inject({ method: 'GET', url, headers: { 'x-fake-signature': sig } });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toBe('abc123');
    expect((await t.app.inject({ method: 'GET', url })).statusCode).toBe(401);
  });

  it('never answers 500 to unreadable or random bodies, signed or not', async () => {
    const bodies: (string | Buffer)[] = [
      '',
      'not json',
      '{"type":"message"}',
      '{"type":"status","id":"x","status":"exploded"}',
      '[1,2,3]',
      '{"events":[{"type":"message","id":"a","from":"1","attachments":[{"name":"x"}]}]}',
      Buffer.from([0xff, 0xfe, 0x00, 0x01]),
      '<xml><ToUserName><![CDATA[x]]></ToUserName></xml>',
      'a=1&b=2',
    ];
    for (let i = 0; i < 40; i++)
      bodies.push(Buffer.from(Array.from({ length: i * 7 }, (_, j) => (j * 31 + i) % 256)));
    for (const body of bodies) {
      for (const type of [
        'application/json',
        'text/xml',
        'application/x-www-form-urlencoded',
        'text/plain',
        'application/octet-stream',
      ]) {
        const { createHmac } = await import('node:crypto');
        const sig = createHmac('sha256', SIGNING)
          .update(`${PUBLIC_URL}${hookPath}`)
          .update('\n')
          .update(body)
          .digest('hex');
        for (const headers of [{ 'content-type': type, 'x-fake-signature': sig }, { 'content-type': type }]) {
          const res = await t.app.inject({ method: 'POST', url: hookPath, headers, payload: body });
          expect(res.statusCode, `${type} ${String(body).slice(0, 40)}`).toBeLessThan(500);
          expect([200, 400, 401]).toContain(res.statusCode);
        }
      }
    }
    // The rest of the API still takes JSON only.
    const plain = await t.app.inject({
      method: 'POST',
      url: '/api/v1/inboxes',
      headers: { ...owner.headers, 'content-type': 'text/plain' },
      payload: 'hello',
    });
    expect(plain.statusCode).toBe(415);
  });

  it('refuses a hook body over the limit with 413', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: hookPath,
      headers: { 'content-type': 'application/json' },
      payload: Buffer.alloc(1024 * 1024 + 10, 0x20),
    });
    expect(res.statusCode).toBe(413);
  });

  it('sends a long reply in parts within the channel’s limit, each recorded', async () => {
    const res = await create({
      name: 'short',
      adapter: 'fake-short',
      config: { apiUrl: provider.url, signingSecret: SIGNING, apiToken: provider.apiToken },
    });
    const shortInbox = res.json() as InboxView;
    const first = message('你好');
    expect((await inbound(first, new URL(shortInbox.hookUrl).pathname)).statusCode).toBe(200);
    await drain();
    const conversationId = (await conversationOf(first.id, 'fake-short', shortInbox.id)) ?? '';
    const before = provider.sends.length;
    const text =
      '您好，您的订单已经发货。快递单号稍后以短信发给您。如有问题请随时联系我们，我们会尽快为您处理。';
    const reply = await t.app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${conversationId}/messages`,
      headers: owner.headers,
      payload: { text },
    });
    expect(reply.statusCode, reply.body).toBe(201);
    await drain();
    const parts = provider.sends.slice(before);
    expect(parts.length).toBe(splitText(text, 40).length);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect([...p.text].length).toBeLessThanOrEqual(40);
    expect(parts.map((p) => p.text).join('')).toBe(text);
    expect(new Set(parts.map((p) => p.to))).toEqual(new Set(['+8613700000001']));
    const list = await t.app.inject({
      method: 'GET',
      url: `/api/v1/conversations/${conversationId}/messages`,
      headers: owner.headers,
    });
    const sent = (
      list.json() as { messages: { id: string; delivery?: { status: string; parts: number } }[] }
    ).messages.find((m) => m.id === (reply.json() as { id: string }).id);
    expect(sent?.delivery).toMatchObject({ status: 'sent', parts: parts.length });
  });

  it('records a permanent refusal as failed, without retrying', async () => {
    const first = message('在吗');
    await inbound(first);
    await drain();
    const conversationId = (await conversationOf(first.id)) ?? '';
    const counted = async () => {
      const metrics = parseExposition((await t.app.inject({ url: '/metrics' })).body);
      const refusals = { provider: 'fake-channel', kind: 'refused' };
      const givenUp = { name: 'channel.deliver', outcome: 'failed' };
      return [
        sampleValue(metrics, 'zhike_provider_errors_total', refusals) ?? 0,
        sampleValue(metrics, 'zhike_jobs_processed_total', givenUp) ?? 0,
      ] as const;
    };
    const [refusalsBefore, failuresBefore] = await counted();
    provider.refuseNext();
    const reply = await t.app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${conversationId}/messages`,
      headers: owner.headers,
      payload: { text: '这条会被拒' },
    });
    const id = (reply.json() as { id: string }).id;
    await drain();
    const delivery = (
      await t.app.zhike.db.forWorkspace(workspaceId).channels.deliveries.forMessages([id])
    ).get(id)?.[0];
    expect(delivery).toMatchObject({ status: 'failed', error: 'invalid recipient', attempts: 1 });
    const jobs = await t.app.zhike.db.jobs.list({ name: 'channel.deliver', workspaceId });
    expect(jobs.find((j) => (j.payload as { messageId: string }).messageId === id)?.status).toBe('failed');
    // Operators see it on /metrics: the provider's refusal, and the delivery job given up.
    expect(await counted()).toEqual([refusalsBefore + 1, failuresBefore + 1]);
  });

  it('tells the console when a reply’s delivery moves: sent, then delivered', async () => {
    const seen: { messageId: string; status: string }[] = [];
    const stop = t.app.zhike.bus.subscribe((event) => {
      if (event.name === 'message.delivery_updated')
        seen.push({ messageId: event.messageId, status: event.status });
    });
    try {
      const first = message('我想查快递', { from: '+8613700000088' });
      await inbound(first);
      await drain();
      const conversationId = (await conversationOf(first.id)) ?? '';
      const store = t.app.zhike.db.forWorkspace(workspaceId);
      const reply = (await store.messages.list(conversationId, { limit: 10 })).find(
        (m) => m.author !== 'customer',
      );
      expect(seen).toContainEqual({ messageId: reply?.id, status: 'sent' });
      const delivery = (await store.channels.deliveries.forMessages([reply?.id ?? ''])).get(
        reply?.id ?? '',
      )?.[0];
      await inbound({ type: 'status', id: delivery?.providerMessageId, status: 'delivered' });
      expect(seen).toContainEqual({ messageId: reply?.id, status: 'delivered' });
      // A stale report (sent after delivered) moves nothing and tells no one.
      const before = seen.length;
      await inbound({ type: 'status', id: delivery?.providerMessageId, status: 'sent' });
      expect(seen.length).toBe(before);
    } finally {
      stop();
    }
  });

  it('keeps an email-style thread in its conversation, and files arrive encrypted', async () => {
    const mailer = '+8613700000077';
    const opening = message('第一封邮件', {
      from: mailer,
      meta: { messageId: '<first@customer.test>', subject: '退货' },
    });
    await inbound(opening);
    await drain();
    const conversationId = (await conversationOf(opening.id)) ?? '';
    // The agent resolves it; the customer then replies to the first email with a photo.
    const resolved = await t.app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${conversationId}/status`,
      headers: owner.headers,
      payload: { status: 'resolved' },
    });
    expect(resolved.statusCode, resolved.body).toBeLessThan(300);
    const replyMail = message('补充照片', {
      from: mailer,
      refs: ['<first@customer.test>'],
      attachments: [{ name: 'photo.png', mimeType: 'image/png', base64: PNG.toString('base64') }],
    });
    expect((await inbound(replyMail)).statusCode).toBe(200);
    expect(await conversationOf(replyMail.id)).toBe(conversationId);
    const stored = await t.app.zhike.db
      .forWorkspace(workspaceId)
      .messages.findByIdempotencyKey(inbox.id, `fake-channel:${replyMail.id}`);
    expect(stored?.attachments).toHaveLength(1);
    expect(stored?.attachments[0]).toMatchObject({
      name: 'photo.png',
      mimeType: 'image/png',
      size: PNG.length,
    });
    // Our replies carry the thread's facts to the adapter.
    await drain();
    const ids = new Set(
      (await t.app.zhike.db.forWorkspace(workspaceId).messages.list(conversationId, { limit: 50 }))
        .filter((m) => m.author !== 'customer')
        .map((m) => m.id),
    );
    const ourSends = provider.sends.filter((s) => ids.has(s.idempotencyKey));
    expect(ourSends.length).toBeGreaterThan(0);
    for (const s of ourSends) expect(s.threadMeta).toMatchObject({ subject: '退货' });
    // A reply to the id our own send was given also lands in this conversation.
    const ours = `<${ourSends.at(-1)?.id}@fake.test>`;
    const answer = message('回复你们的邮件', { from: mailer, refs: [ours] });
    await inbound(answer);
    expect(await conversationOf(answer.id)).toBe(conversationId);
  });

  it('disables a channel inbox: its hook answers 404; the built-in inboxes stay', async () => {
    const res = await create({
      name: 'to disable',
      adapter: 'fake-channel',
      config: { apiUrl: provider.url, signingSecret: SIGNING, apiToken: provider.apiToken },
    });
    const doomed = res.json() as InboxView;
    const path = new URL(doomed.hookUrl).pathname;
    expect((await inbound(message('hi'), path)).statusCode).toBe(200);
    const del = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/inboxes/${doomed.id}`,
      headers: owner.headers,
    });
    expect(del.statusCode).toBe(200);
    expect((del.json() as InboxView).enabled).toBe(false);
    expect((await inbound(message('hi again'), path)).statusCode).toBe(404);
    const on = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/inboxes/${doomed.id}`,
      headers: owner.headers,
      payload: { enabled: true },
    });
    expect((on.json() as InboxView).enabled).toBe(true);
    expect((await inbound(message('back'), path)).statusCode).toBe(200);
    const widget = (await t.app.zhike.db.forWorkspace(workspaceId).inboxes.list()).find(
      (i) => i.channel === 'widget',
    );
    const refused = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/inboxes/${widget?.id}`,
      headers: owner.headers,
    });
    expect(refused.statusCode).toBe(409);
  });

  it('test-sends through the provider and reports a refusal in the answer', async () => {
    const send = (to: string) =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/inboxes/${inbox.id}/test-send`,
        headers: owner.headers,
        payload: { to, text: '测试短信' },
      });
    const ok = await send('+8613700000009');
    expect(ok.json()).toMatchObject({ ok: true, status: 'sent' });
    expect(provider.sends.at(-1)).toMatchObject({ to: '+8613700000009', text: '测试短信' });
    provider.refuseNext();
    expect((await send('bad')).json()).toMatchObject({ ok: false, error: 'invalid recipient' });
  });
});

describe('passive replies inside the provider’s request (sqlite)', () => {
  let t: TestApp;
  let provider: FakeProvider;
  beforeAll(async () => {
    provider = await startFakeProvider();
    t = await createTestApp('sqlite', {
      jobPollMs: 20,
      channelAdapters: [fakeChannelAdapter({ id: 'fake-passive', passiveReply: true })],
      env: { ZHIKE_CHANNEL_ALLOW_HOSTS: '127.0.0.1', ZHIKE_PUBLIC_URL: PUBLIC_URL },
    });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await provider?.close();
  });

  it('answers with the bot’s reply in the response, records it passive and never sends it again', async () => {
    const owner = await t.login();
    // As after start-up (the server warms bots once it listens): a first compile is not what is measured.
    await t.app.zhike.bot.warm(await t.demoWorkspaceId(), 'zh-CN');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/inboxes',
      headers: owner.headers,
      payload: {
        name: '公众号',
        adapter: 'fake-passive',
        config: { apiUrl: provider.url, signingSecret: SIGNING, apiToken: provider.apiToken },
      },
    });
    const passive = res.json() as InboxView;
    const started = Date.now();
    const answer = await t.app.inject(
      fakeHookRequest(PUBLIC_URL, new URL(passive.hookUrl).pathname, SIGNING, {
        type: 'message',
        id: 'passive-1',
        from: '+8613700000055',
        text: '你好',
      }),
    );
    const waited = Date.now() - started;
    expect(answer.statusCode).toBe(200);
    const body = answer.json() as { replyTo: string; text: string };
    expect(body.replyTo).toBe('passive-1');
    expect(body.text.length).toBeGreaterThan(0);
    // WeChat gives up after 5 s; the hook waits at most 4 s for the bot.
    expect(waited).toBeLessThan(5000);
    const workspaceId = await t.demoWorkspaceId();
    const store = t.app.zhike.db.forWorkspace(workspaceId);
    const customerMessage = await store.messages.findByIdempotencyKey(passive.id, 'fake-passive:passive-1');
    const messages = await store.messages.list(customerMessage?.conversationId ?? '', { limit: 10 });
    const reply = messages.find((m) => m.author !== 'customer' && m.text === body.text);
    expect(reply).toBeDefined();
    const delivery = (await store.channels.deliveries.forMessages([reply?.id ?? ''])).get(
      reply?.id ?? '',
    )?.[0];
    expect(delivery).toMatchObject({ status: 'sent', passive: true });
    // The delivery job finds it already answered: nothing reaches the send API.
    await eventually(async () => {
      const jobs = await t.app.zhike.db.jobs.list({ name: 'channel.deliver', workspaceId });
      // Either the job found the passive delivery at once, or it waited out the window and found it then.
      return jobs.length >= 1 && jobs.every((j) => j.status === 'done');
    }, 9000);
    expect(provider.sends.filter((s) => s.text === body.text)).toEqual([]);
  }, 20_000);
});
