// The wechat-oa adapter against a local server speaking the Official Account protocol (pushes built and
// signed as WeChat builds them, the API checking tokens, the 48-hour window and the message quota).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Value } from 'typebox/value';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type FakeWechat,
  startFakeWechat,
  type WechatMode,
  type WechatPush,
} from '../../../../tests/support/fakeProviders/wechat.ts';
import {
  type AdapterContext,
  type InboundHttpRequest,
  type InboundMessageEvent,
  InboundParseError,
  PermanentSendFailure,
} from '../adapter.ts';
import { adapterFor } from '../registry.ts';
import { AccessTokenCache } from './api.ts';
import { createWechatOaAdapter, type WechatOaConfig, wechatOaConfigSchema } from './wechatOa.ts';

const HOOK = 'https://zhike.example.com/hooks/hk_01JDWECHAT';
const OPENID = 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o';

let fake: FakeWechat;
beforeAll(async () => {
  fake = await startFakeWechat();
});
afterAll(async () => {
  await fake.close();
});

let adapter = createWechatOaAdapter();
afterEach(() => {
  adapter = createWechatOaAdapter(new AccessTokenCache());
});

function context(mode: WechatMode, overrides: Partial<WechatOaConfig> = {}): AdapterContext<WechatOaConfig> {
  return {
    config: {
      appId: fake.account.appId,
      appSecret: fake.account.appSecret,
      token: fake.account.token,
      encodingAesKey: fake.account.encodingAesKey,
      mode,
      apiBase: fake.apiBase,
      ...overrides,
    },
    http: (url, init) => fetch(url, init),
    now: () => new Date(fake.now()),
  };
}

function inbound(push: WechatPush): InboundHttpRequest {
  const url = new URL(push.url);
  return {
    method: push.method,
    url: push.url,
    headers: push.headers,
    query: Object.fromEntries(url.searchParams),
    rawBody: Buffer.from(push.body),
  };
}

async function receive(mode: WechatMode, push: WechatPush, ctx = context(mode)) {
  const request = inbound(push);
  expect(await adapter.verifyInbound!(ctx, request)).toBe(true);
  return { request, parsed: await adapter.parseInbound!(ctx, request) };
}

describe('wechat-oa: settings', () => {
  const settings = {
    appId: 'wx5823bf96d3bd56c7',
    appSecret: '0c79e1fa963cd80cc0be99b20a18faeb',
    token: 'ZhikeToken2026',
    encodingAesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
    mode: 'safe',
  };
  it('accepts what the console sends (empty optional fields as null) and refuses malformed values', () => {
    expect(Value.Check(wechatOaConfigSchema, settings)).toBe(true);
    expect(Value.Check(wechatOaConfigSchema, { ...settings, apiBase: null, subscribeGreeting: null })).toBe(
      true,
    );
    expect(Value.Check(wechatOaConfigSchema, { ...settings, apiBase: 'http://127.0.0.1:8080' })).toBe(true);
    for (const bad of [
      { appId: 'wx123' },
      { token: 'has space' },
      { encodingAesKey: 'short' },
      { mode: 'secure' },
      { apiBase: 'https://api.weixin.qq.com/cgi-bin' },
      { extra: 1 },
    ]) {
      expect(Value.Check(wechatOaConfigSchema, { ...settings, ...bad }), JSON.stringify(bad)).toBe(false);
    }
  });
});

describe('wechat-oa: server URL verification', () => {
  it('is registered under its id and echoes echostr for a correctly signed GET', async () => {
    expect(adapterFor('wechat-oa')?.channel).toBe('wechat');
    const request = inbound(fake.verification(HOOK, '7316483629561734918'));
    const ctx = context('safe');
    expect(adapter.verifyInbound!(ctx, request)).toBe(true);
    expect(adapter.answerChallenge!(ctx, request)).toEqual({
      status: 200,
      contentType: 'text/plain; charset=utf-8',
      body: '7316483629561734918',
    });
  });

  it('refuses a wrong token, a changed nonce, missing parameters and garbage without throwing', () => {
    const good = inbound(fake.verification(HOOK));
    expect(adapter.verifyInbound!(context('plain', { token: 'AnotherToken' }), good)).toBe(false);
    const tampered = { ...good, query: { ...good.query, nonce: `${good.query.nonce}1` } };
    expect(adapter.verifyInbound!(context('plain'), tampered)).toBe(false);
    for (const query of [
      {},
      { signature: good.query.signature },
      { signature: 'x'.repeat(40), timestamp: '1', nonce: '2' },
    ]) {
      expect(adapter.verifyInbound!(context('plain'), { ...good, query })).toBe(false);
    }
    expect(adapter.verifyInbound!(context('plain'), { ...good, method: 'PUT' })).toBe(false);
  });

  it('refuses a correctly signed request whose timestamp is more than an hour away (a replayed URL)', () => {
    const request = inbound(fake.verification(HOOK));
    const at = (offsetMs: number) => ({ ...context('plain'), now: () => new Date(fake.now() + offsetMs) });
    expect(adapter.verifyInbound!(at(59 * 60_000), request)).toBe(true);
    expect(adapter.verifyInbound!(at(61 * 60_000), request)).toBe(false);
    expect(adapter.verifyInbound!(at(-61 * 60_000), request)).toBe(false);
  });
});

describe('wechat-oa: pushes', () => {
  it('turns a plain-mode text push into a message from a verified WeChat identity', async () => {
    const { parsed } = await receive(
      'plain',
      fake.userMessage(HOOK, { openId: OPENID, content: '我的快递到哪了？', msgId: '24000000000000001' }),
    );
    expect(parsed.answer).toEqual({ status: 200, contentType: 'text/plain; charset=utf-8', body: 'success' });
    expect(parsed.events).toHaveLength(1);
    const event = parsed.events[0] as InboundMessageEvent;
    expect(event).toMatchObject({
      kind: 'message',
      providerMessageId: '24000000000000001',
      identity: { kind: 'wechat', value: `${fake.account.appId}:${OPENID}`, verified: true },
      text: '我的快递到哪了？',
      meta: { accountId: fake.account.originalId, openId: OPENID, msgType: 'text' },
    });
    expect(event.receivedAt).toBe(new Date(Math.floor(fake.now() / 1000) * 1000).toISOString());
  });

  it('gives a retried push the same provider message id (WeChat retries three times)', async () => {
    const push = fake.userMessage(HOOK, { openId: OPENID, content: 'again' });
    const first = await receive('plain', push);
    const retry = await receive('plain', push);
    expect((retry.parsed.events[0] as InboundMessageEvent).providerMessageId).toBe(
      (first.parsed.events[0] as InboundMessageEvent).providerMessageId,
    );
  });

  for (const mode of ['compatible', 'safe'] as const) {
    it(`decrypts a ${mode}-mode push after checking msg_signature over the ciphertext`, async () => {
      const push = fake.userMessage(HOOK, { openId: OPENID, content: '加密的消息 & <tags>' }, mode);
      if (mode === 'safe') expect(push.body).not.toContain('加密的消息');
      const { parsed } = await receive(mode, push);
      expect((parsed.events[0] as InboundMessageEvent).text).toBe('加密的消息 & <tags>');

      const request = inbound(push);
      const forged = { ...request, query: { ...request.query, msg_signature: '0'.repeat(40) } };
      expect(await adapter.verifyInbound!(context(mode), forged)).toBe(false);
      const swapped = inbound(fake.userMessage(HOOK, { openId: OPENID, content: 'other' }, mode));
      expect(await adapter.verifyInbound!(context(mode), { ...request, rawBody: swapped.rawBody })).toBe(
        false,
      );
    });
  }

  it('refuses a plain push when the account is in safe mode (no downgrade), and encrypted ones without a key', async () => {
    const plain = inbound(fake.userMessage(HOOK, { openId: OPENID, content: 'hi' }, 'plain'));
    expect(await adapter.verifyInbound!(context('safe'), plain)).toBe(false);
    const encrypted = inbound(fake.userMessage(HOOK, { openId: OPENID, content: 'hi' }, 'safe'));
    expect(await adapter.verifyInbound!(context('compatible', { encodingAesKey: null }), encrypted)).toBe(
      false,
    );
    const otherKey = context('safe', { encodingAesKey: 'A'.repeat(43) });
    expect(await adapter.verifyInbound!(otherKey, encrypted)).toBe(true); // signature is over the ciphertext…
    await expect(adapter.parseInbound!(otherKey, encrypted)).rejects.toThrow(InboundParseError); // …which is not ours
  });

  it('downloads an image through the temporary-media API as an attachment', async () => {
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2000, 7)]);
    const mediaId = fake.addMedia(jpeg, 'image/jpeg');
    const { parsed } = await receive(
      'safe',
      fake.userMessage(HOOK, { openId: OPENID, msgType: 'image', mediaId }, 'safe'),
    );
    const event = parsed.events[0] as InboundMessageEvent;
    expect(event.text).toBe('');
    expect(event.attachments?.[0]?.mimeType).toBe('image/jpeg');
    expect(event.attachments?.[0]?.content.equals(jpeg)).toBe(true);
    expect(fake.mediaDownloads).toContain(mediaId);
    const missing = inbound(fake.userMessage(HOOK, { openId: OPENID, msgType: 'image', mediaId: 'gone' }));
    const kept = (await adapter.parseInbound!(context('plain'), missing)).events[0] as InboundMessageEvent;
    expect(kept.text).toMatch(/^\[image not downloaded: .*40007/);
    expect(kept.attachments).toBeUndefined();
  });

  it('reads voice (with recognition), location, link and video pushes as text', async () => {
    const texts: string[] = [];
    for (const message of [
      { msgType: 'voice' as const, mediaId: 'v1', recognition: '我要退货' },
      { msgType: 'voice' as const, mediaId: 'v2' },
      { msgType: 'location' as const, content: '广州市天河区' },
      { msgType: 'link' as const, content: '订单截图' },
      { msgType: 'video' as const, mediaId: 'v3' },
    ]) {
      const { parsed } = await receive('plain', fake.userMessage(HOOK, { openId: OPENID, ...message }));
      texts.push((parsed.events[0] as InboundMessageEvent).text);
    }
    expect(texts).toEqual([
      '我要退货',
      '[voice message]',
      '📍 广州市天河区 (23.134521, 113.358803)',
      '订单截图\nhttps://example.com/a',
      '[video message]',
    ]);
  });

  it('stores nothing for follow/unfollow events and greets a new follower when configured', async () => {
    const quiet = await receive('plain', fake.event(HOOK, OPENID, 'unsubscribe'));
    expect(quiet.parsed).toEqual({
      events: [],
      answer: { status: 200, contentType: 'text/plain; charset=utf-8', body: 'success' },
    });

    const ctx = context('safe', { subscribeGreeting: '欢迎关注！有问题直接留言。' });
    const { parsed } = await receive('safe', fake.event(HOOK, OPENID, 'subscribe', 'safe'), ctx);
    expect(parsed.events).toEqual([]);
    expect(fake.readReply(parsed.answer.body, true)).toMatchObject({
      ToUserName: OPENID,
      FromUserName: fake.account.originalId,
      MsgType: 'text',
      Content: '欢迎关注！有问题直接留言。',
    });
  });

  describe('hostile XML with valid signatures', () => {
    const secretDir = mkdtempSync(join(tmpdir(), 'zhike-xxe-'));
    const secretFile = join(secretDir, 'secret.txt');
    writeFileSync(secretFile, 'TOP-SECRET-XXE-CANARY');
    afterAll(() => rmSync(secretDir, { recursive: true, force: true }));

    const laughs = `<!DOCTYPE xml [<!ENTITY a "${'x'.repeat(50)}">${Array.from(
      { length: 8 },
      (_, i) => `<!ENTITY ${String.fromCharCode(98 + i)} "${`&${String.fromCharCode(97 + i)};`.repeat(10)}">`,
    ).join('')}]>`;
    const payloads: [string, string][] = [
      ['a file entity', `<!DOCTYPE xml [<!ENTITY xxe SYSTEM "file://${secretFile}">]>`],
      ['an external DTD', '<!DOCTYPE xml SYSTEM "http://127.0.0.1:9/evil.dtd">'],
      ['billion laughs', laughs],
    ];
    for (const [name, doctype] of payloads) {
      for (const mode of ['plain', 'safe'] as const) {
        it(`refuses ${name} (${mode} mode): no event, nothing read`, async () => {
          const entity = name === 'billion laughs' ? '&i;' : '&xxe;';
          const xml = `${doctype}<xml><ToUserName><![CDATA[${fake.account.originalId}]]></ToUserName><FromUserName><![CDATA[${OPENID}]]></FromUserName><CreateTime>1764032400</CreateTime><MsgType><![CDATA[text]]></MsgType><Content>${entity}</Content><MsgId>24000000000000099</MsgId></xml>`;
          const request = inbound(fake.signedPush(HOOK, xml, mode));
          const ctx = context(mode);
          expect(await adapter.verifyInbound!(ctx, request)).toBe(true); // genuinely signed: parsing must refuse it
          const outcome = await Promise.resolve()
            .then(() => adapter.parseInbound!(ctx, request))
            .then(
              (value) => ({ value, error: null }),
              (error: unknown) => ({ value: null, error }),
            );
          expect(outcome.value).toBeNull();
          expect(outcome.error).toBeInstanceOf(InboundParseError);
          expect(String((outcome.error as Error).message)).not.toContain('TOP-SECRET');
        });
      }
    }

    it('refuses an oversized body before parsing it', async () => {
      const request = inbound(
        fake.signedPush(HOOK, `<xml><Content>${'a'.repeat(300 * 1024)}</Content></xml>`),
      );
      await expect(adapter.parseInbound!(context('plain'), request)).rejects.toThrow(/too large/);
    });

    it('refuses a push without a sender', async () => {
      const request = inbound(
        fake.signedPush(HOOK, '<xml><MsgType><![CDATA[text]]></MsgType><Content>x</Content></xml>'),
      );
      await expect(adapter.parseInbound!(context('plain'), request)).rejects.toThrow(InboundParseError);
    });
  });
});

describe('wechat-oa: passive replies', () => {
  for (const mode of ['plain', 'compatible', 'safe'] as const) {
    it(`answers in the push's own response (${mode} mode)`, async () => {
      const { request, parsed } = await receive(
        mode,
        fake.userMessage(HOOK, { openId: OPENID, content: '营业时间？' }, mode),
      );
      const answer = adapter.passiveReply!(context(mode), request, parsed.events[0] as InboundMessageEvent, {
        text: '每天 9:00–21:00 ]]> 欢迎',
      });
      expect(answer?.status).toBe(200);
      expect(answer?.contentType).toMatch(/xml/);
      const reply = fake.readReply(answer?.body ?? '', mode !== 'plain');
      expect(reply).toMatchObject({
        ToUserName: OPENID,
        FromUserName: fake.account.originalId,
        MsgType: 'text',
      });
      expect(reply.Content?.replaceAll(']]]]><![CDATA[>', ']]>')).toBe('每天 9:00–21:00 ]]> 欢迎');
      expect(Number(reply.CreateTime)).toBe(Math.floor(fake.now() / 1000));
    });
  }
});

describe('wechat-oa: customer-service messages', () => {
  const message = (text: string, extra = {}) => ({
    to: `${fake.account.appId}:${OPENID}`,
    text,
    idempotencyKey: `msg_${Math.random().toString(36).slice(2)}`,
    ...extra,
  });

  it('sends text with one cached access token, refreshing it before it expires', async () => {
    fake.userMessage(HOOK, { openId: OPENID, content: 'opens the window' });
    const before = fake.tokenRequests.length;
    const result = await adapter.send(context('plain'), message('您的订单已发货。'));
    expect(result.status).toBe('sent');
    await adapter.send(context('plain'), message('单号 SF1234567890'));
    expect(fake.tokenRequests.length).toBe(before + 1);
    expect(fake.sent.slice(-2).map((sent) => sent.text)).toEqual(['您的订单已发货。', '单号 SF1234567890']);

    fake.advance(7200_000 - 4 * 60_000); // within the refresh margin of the 2-hour token
    fake.userMessage(HOOK, { openId: OPENID, content: 'still here' });
    await adapter.send(context('plain'), message('third'));
    expect(fake.tokenRequests.length).toBe(before + 2);
  });

  it('fetches a new token once when WeChat says the cached one expired (42001) and sends', async () => {
    fake.userMessage(HOOK, { openId: OPENID, content: 'hello' });
    await adapter.send(context('plain'), message('one'));
    const before = fake.tokenRequests.length;
    fake.expireTokens();
    await adapter.send(context('plain'), message('after expiry'));
    expect(fake.tokenRequests.length).toBe(before + 1);
    expect(fake.sent.at(-1)?.text).toBe('after expiry');
  });

  it('shares the stable token between servers, and forces a new one only when WeChat refuses the one it still hands out', async () => {
    fake.userMessage(HOOK, { openId: OPENID, content: 'hello' });
    const other = createWechatOaAdapter(new AccessTokenCache()); // a second server process
    await adapter.send(context('plain'), message('from server A'));
    await other.send(context('plain'), message('from server B'));
    const calls = fake.tokenRequests.length;
    fake.advance(6 * 60_000); // /cgi-bin/token would have ended A's token five minutes after B's fetch
    await adapter.send(context('plain'), message('A again'));
    expect(fake.tokenRequests.length).toBe(calls); // A's cached token is still good
    expect(fake.sent.slice(-3).map((sent) => sent.text)).toEqual([
      'from server A',
      'from server B',
      'A again',
    ]);

    const before = fake.tokenRequests.length;
    fake.revokeTokens();
    await adapter.send(context('plain'), message('after revocation'));
    expect(fake.tokenRequests.slice(before).map((request) => request.force)).toEqual([false, true]);
    expect(fake.sent.at(-1)?.text).toBe('after revocation');
  });

  it('gives up for good outside the 48-hour window (45015) and after the five-message quota (45047)', async () => {
    fake.userMessage(HOOK, { openId: OPENID, content: 'hello' });
    for (let i = 0; i < 5; i++) await adapter.send(context('plain'), message(`reply ${i}`));
    await expect(adapter.send(context('plain'), message('sixth'))).rejects.toBeInstanceOf(
      PermanentSendFailure,
    );
    fake.userMessage(HOOK, { openId: OPENID, content: 'hello again' });
    fake.advance(48 * 3600_000 + 1000);
    const late = adapter.send(context('plain'), message('too late'));
    await expect(late).rejects.toBeInstanceOf(PermanentSendFailure);
    await expect(late).rejects.toThrow(/48 hours/);
  });

  it('throws a retryable error when WeChat is busy (-1) or the IP is not whitelisted (40164)', async () => {
    fake.userMessage(HOOK, { openId: OPENID, content: 'hello' });
    fake.failNextSends(
      { errcode: -1, errmsg: 'system error' },
      { errcode: 40164, errmsg: 'invalid ip 1.2.3.4' },
    );
    for (const expected of [/errcode -1/, /whitelist/]) {
      const attempt = adapter.send(context('plain'), message('busy'));
      await expect(attempt).rejects.toThrow(expected);
      await expect(attempt).rejects.not.toBeInstanceOf(PermanentSendFailure);
    }
    await adapter.send(context('plain'), message('busy'));
    expect(fake.sent.at(-1)?.text).toBe('busy');
  });

  it('uploads images as temporary media and sends them; refuses files WeChat cannot carry', async () => {
    fake.userMessage(HOOK, { openId: OPENID, content: 'hello' });
    const png = Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'), Buffer.alloc(100, 1)]);
    await adapter.send(
      context('plain'),
      message('这是发票', { attachments: [{ name: 'invoice.png', mimeType: 'image/png', content: png }] }),
    );
    const upload = fake.uploads.at(-1);
    expect(upload).toMatchObject({ type: 'image', fileName: 'invoice.png', mimeType: 'image/png' });
    expect(upload?.content.equals(png)).toBe(true);
    expect(fake.sent.slice(-2).map((sent) => sent.msgtype)).toEqual(['text', 'image']);
    expect(fake.sent.at(-1)?.mediaId).toBe(upload?.mediaId);

    const pdf = { name: 'a.pdf', mimeType: 'application/pdf', content: Buffer.from('%PDF-1.4') };
    await expect(adapter.send(context('plain'), message('x', { attachments: [pdf] }))).rejects.toBeInstanceOf(
      PermanentSendFailure,
    );
  });

  it('refuses recipients of another account unless the conversation names its own follower, and reports a wrong AppSecret', async () => {
    fake.userMessage(HOOK, { openId: OPENID, content: 'hello' });
    await adapter.send(context('plain'), {
      ...message('from the thread'),
      to: `wx0000000000000000:${OPENID}`,
      threadMeta: { openId: OPENID, accountId: fake.account.originalId },
    });
    expect(fake.sent.at(-1)).toMatchObject({ touser: OPENID, text: 'from the thread' });
    await expect(
      adapter.send(context('plain'), { ...message('x'), to: `wx0000000000000000:${OPENID}` }),
    ).rejects.toBeInstanceOf(PermanentSendFailure);
    await expect(adapter.send(context('plain', { appSecret: 'f'.repeat(32) }), message('x'))).rejects.toThrow(
      /40125/,
    );
  });
});
