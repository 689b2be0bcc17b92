// A WeChat Official Account inbox end to end: the real app (hook route, core, bot, delivery jobs) against a
// local platform that signs and encrypts pushes as WeChat does and serves the token and customer-service
// APIs. URL verification, a forged push, the bot's answer as a passive reply inside WeChat's 5 seconds,
// WeChat's retry of the same push, an agent's later reply through the API, a token WeChat expired.
import { type Backend, testBackends } from '@zhike/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestApp,
  eventually,
  type TestApp,
  type TestSession,
} from '../../../apps/server/src/testing.ts';
import { runChannelContract } from '../../support/channelContract.ts';
import { type FakeWechat, startFakeWechat, type WechatPush } from '../../support/fakeProviders/wechat.ts';
import { diffRows, workspaceRows } from '../../support/tenancy/snapshot.ts';

const PUBLIC_URL = 'https://zhike.wechat.test';
const OPENID = 'oUpF8uJ7e2Dn_5cVw0b3mKq9xYzA';

runChannelContract({
  adapterId: 'wechat-oa',
  async startProvider() {
    const fake = await startFakeWechat();
    const push = (
      hook: { publicUrl: string; path: string },
      message: { providerMessageId: string; text: string },
    ) =>
      fake.userMessage(
        `${hook.publicUrl}${hook.path}`,
        { openId: OPENID, content: message.text, msgId: message.providerMessageId },
        'safe',
      );
    const asHookRequest = (request: WechatPush) => {
      const url = new URL(request.url);
      return {
        method: request.method,
        url: `${url.pathname}${url.search}`,
        headers: request.headers,
        payload: request.body,
      };
    };
    return {
      config: {
        appId: fake.account.appId,
        appSecret: fake.account.appSecret,
        token: fake.account.token,
        encodingAesKey: fake.account.encodingAesKey,
        mode: 'safe',
        apiBase: fake.apiBase,
      },
      allowHost: '127.0.0.1',
      inboundMessage: (hook, message) => asHookRequest(push(hook, message)),
      badlySigned(hook, message) {
        const request = push(hook, message);
        const url = new URL(request.url);
        url.searchParams.set('msg_signature', '0'.repeat(40));
        return asHookRequest({ ...request, url: url.toString() });
      },
      // WeChat's customer-service API answers {errcode:0} and no id: a receipt per accepted send.
      sentIds: () => fake.sent.map((sent, index) => `${index}:${sent.touser}`),
      returnsMessageIds: false,
      failNextSends: (n) =>
        fake.failNextSends(...Array.from({ length: n }, () => ({ errcode: -1, errmsg: 'system error' }))),
      close: () => fake.close(),
    };
  },
});

describe.each(testBackends)('WeChat Official Account inbox on %s', (backend: Backend) => {
  let t: TestApp;
  let fake: FakeWechat;
  let owner: TestSession;
  let workspaceId: string;
  let hookUrl: string;

  const send = (push: WechatPush) => {
    const url = new URL(push.url);
    return t.app.inject({
      method: push.method,
      url: `${url.pathname}${url.search}`,
      headers: push.headers,
      ...(push.method === 'POST' ? { payload: push.body } : {}),
    });
  };
  const conversationOf = async (msgId: string) => {
    const store = t.app.zhike.db.forWorkspace(workspaceId);
    const inboxes = await store.inboxes.list();
    const inbox = inboxes.find((i) => i.adapter === 'wechat-oa');
    const message = await store.messages.findByIdempotencyKey(inbox?.id ?? '', `wechat-oa:${msgId}`);
    return message?.conversationId ?? null;
  };
  const messagesOf = async (conversationId: string) => {
    const res = await t.app.inject({
      url: `/api/v1/conversations/${conversationId}/messages?limit=100`,
      headers: owner.headers,
    });
    return (
      res.json() as {
        messages: { id: string; author: string; text: string; delivery?: { status: string } }[];
      }
    ).messages;
  };

  beforeAll(async () => {
    fake = await startFakeWechat();
    t = await createTestApp(backend, {
      env: { ZHIKE_CHANNEL_ALLOW_HOSTS: '127.0.0.1', ZHIKE_PUBLIC_URL: PUBLIC_URL },
    });
    owner = await t.login();
    workspaceId = await t.demoWorkspaceId();
    // A running server compiles its bots after it starts listening; do that now, so the 5-second test
    // measures a reply, not the one-off compile.
    await t.app.zhike.bot.decide({
      workspaceId,
      conversationId: 'warm-up',
      customerId: 'nobody',
      messageId: 'warm-up',
      locale: 'zh-CN',
      text: '你好',
      now: new Date(),
      state: null,
    });
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/inboxes',
      headers: owner.headers,
      payload: {
        name: '公众号客服',
        adapter: 'wechat-oa',
        config: {
          appId: fake.account.appId,
          appSecret: fake.account.appSecret,
          token: fake.account.token,
          encodingAesKey: fake.account.encodingAesKey,
          mode: 'safe',
          apiBase: fake.apiBase,
        },
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    hookUrl = (created.json() as { hookUrl: string }).hookUrl;
    expect(hookUrl.startsWith(`${PUBLIC_URL}/hooks/`)).toBe(true);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  it('answers WeChat’s URL verification with its echostr', async () => {
    const res = await send(fake.verification(hookUrl, '5837397520347689012'));
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('5837397520347689012');
    const forged = new URL(fake.verification(hookUrl).url);
    forged.searchParams.set('signature', 'f'.repeat(40));
    expect((await send({ method: 'GET', url: forged.toString(), headers: {}, body: '' })).statusCode).toBe(
      401,
    );
  });

  it('refuses a forged push with 401 and stores nothing', async () => {
    const before = await workspaceRows(backend, t.database.url, workspaceId);
    const push = fake.userMessage(
      hookUrl,
      { openId: OPENID, content: '伪造', msgId: '24999999999999001' },
      'safe',
    );
    const url = new URL(push.url);
    url.searchParams.set('timestamp', String(Number(url.searchParams.get('timestamp')) + 1));
    const res = await send({ ...push, url: url.toString() });
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(diffRows(before, await workspaceRows(backend, t.database.url, workspaceId))).toEqual([]);
  });

  it('answers a text message with the bot’s reply inside the push’s response, under 5 s, and a retry stores nothing new', async () => {
    const push = fake.userMessage(
      hookUrl,
      { openId: OPENID, content: '你好', msgId: '24999999999999002' },
      'safe',
    );
    const started = performance.now();
    const res = await send(push);
    const elapsed = performance.now() - started;
    expect(res.statusCode, res.body).toBe(200);
    const reply = fake.readReply(res.body, true);
    expect(reply).toMatchObject({
      ToUserName: OPENID,
      FromUserName: fake.account.originalId,
      MsgType: 'text',
    });
    expect(elapsed).toBeLessThan(5000);
    console.log(`[wechat ${backend}] passive reply in ${elapsed.toFixed(0)} ms`);

    const conversationId = (await conversationOf('24999999999999002')) ?? '';
    const messages = await messagesOf(conversationId);
    const bot = messages.find((m) => m.author === 'bot');
    expect(bot?.text).toBe(reply.Content);

    // WeChat did not see the answer in time and retries the very same push.
    const retry = await send(push);
    expect(retry.statusCode).toBe(200);
    const after = await messagesOf(conversationId);
    expect(after.filter((m) => m.author === 'customer' && m.text === '你好')).toHaveLength(1);
    // Answered passively, so the API never sent it again.
    await new Promise((resolve) => setTimeout(resolve, 5500));
    expect(fake.sent.filter((s) => s.text === reply.Content)).toHaveLength(0);
  }, 30_000);

  it('sends an agent’s later reply through the customer-service API, renewing a token WeChat expired', async () => {
    const push = fake.userMessage(
      hookUrl,
      { openId: OPENID, content: '我要找人工', msgId: '24999999999999003' },
      'safe',
    );
    expect((await send(push)).statusCode).toBe(200);
    const conversationId = (await conversationOf('24999999999999003')) ?? '';
    const agentReply = async (text: string) => {
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/v1/conversations/${conversationId}/messages`,
        headers: owner.headers,
        payload: { text },
      });
      expect(res.statusCode, res.body).toBe(201);
    };
    await agentReply('您好，我是客服小王，请问订单号是多少？');
    await eventually(
      () => fake.sent.some((s) => s.touser === OPENID && s.text?.startsWith('您好，我是客服小王')),
      15_000,
    );

    const tokensBefore = fake.tokenRequests.filter((r) => r.ok).length;
    fake.expireTokens();
    await agentReply('已为您查到，明天送达。');
    await eventually(() => fake.sent.some((s) => s.text === '已为您查到，明天送达。'), 15_000);
    expect(fake.tokenRequests.filter((r) => r.ok).length).toBe(tokensBefore + 1);
    const delivered = await eventually(async () => {
      const agentMessages = (await messagesOf(conversationId)).filter((m) => m.author === 'agent');
      return agentMessages.every((m) => m.delivery?.status === 'sent') && agentMessages;
    });
    expect(delivered).toHaveLength(2);
  }, 60_000);
});
