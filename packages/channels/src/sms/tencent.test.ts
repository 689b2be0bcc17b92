import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asInboundRequest } from '../../../../tests/support/fakeProviders/server.ts';
import {
  type FakeTencentSms,
  startFakeTencentSms,
} from '../../../../tests/support/fakeProviders/tencentSms.ts';
import { type AdapterContext, InboundParseError, PermanentSendFailure } from '../adapter.ts';
import { adapterFor } from '../registry.ts';
import { type TencentSmsConfig, tencentSms } from './tencent.ts';

const TOKEN = 'cb_token_0123456789abcdefghij';
const HOOK = `https://zhike.example.com/hooks/01JHOOK?token=${TOKEN}`;

describe('tencent-sms', () => {
  let fake: FakeTencentSms;
  let ctx: AdapterContext<TencentSmsConfig>;
  beforeAll(async () => {
    fake = await startFakeTencentSms();
    ctx = {
      config: {
        secretId: fake.secretId,
        secretKey: fake.secretKey,
        smsSdkAppId: fake.smsSdkAppId,
        signName: fake.signName,
        templateId: fake.templateId,
        callbackToken: TOKEN,
        endpoint: fake.endpoint,
      },
      http: (url, init) => fetch(url, init),
      now: () => new Date(),
    };
  });
  afterAll(() => fake.close());

  it('is registered under its id', () => {
    expect(adapterFor('tencent-sms')).toBe(tencentSms);
  });

  it('accepts a callback carrying the inbox token (query or header) and refuses others', () => {
    const reply = fake.reply(HOOK, { mobile: '13800138000', text: 'hi' });
    expect(tencentSms.verifyInbound?.(ctx, asInboundRequest(reply))).toBe(true);
    const bare = asInboundRequest(
      fake.reply('https://zhike.example.com/hooks/01JHOOK', { mobile: '1', text: 'x' }),
    );
    expect(tencentSms.verifyInbound?.(ctx, bare)).toBe(false);
    expect(tencentSms.verifyInbound?.(ctx, { ...bare, headers: { 'x-zhike-callback-token': TOKEN } })).toBe(
      true,
    );
    expect(tencentSms.verifyInbound?.(ctx, { ...bare, headers: { 'x-zhike-callback-token': 'nope' } })).toBe(
      false,
    );
    expect(tencentSms.verifyInbound?.(ctx, { ...bare, query: { token: '' } })).toBe(false);
  });

  it('reads a reply as a verified phone message with a stable id, and status reports by SerialNo', async () => {
    const reply = fake.reply(HOOK, { mobile: '13800138000', text: '退款进度？', time: 1764028800 });
    const first = await tencentSms.parseInbound?.(ctx, asInboundRequest(reply));
    const again = await tencentSms.parseInbound?.(ctx, asInboundRequest(reply));
    expect(first?.events).toEqual(again?.events);
    expect(first?.events[0]).toMatchObject({
      kind: 'message',
      identity: { kind: 'phone', value: '+8613800138000', verified: true },
      text: '退款进度？',
      receivedAt: '2025-11-25T00:00:00.000Z',
    });
    expect(first?.answer.body).toBe('{"result":0,"errmsg":"OK"}');
    const other = await tencentSms.parseInbound?.(
      ctx,
      asInboundRequest(fake.reply(HOOK, { mobile: '13800138000', text: '退款进度', time: 1764028800 })),
    );
    expect(other?.events[0]?.providerMessageId).not.toBe(first?.events[0]?.providerMessageId);

    const report = fake.statusReport(HOOK, [
      { sid: '2645:1', mobile: '13800138000', success: true },
      { sid: '2645:2', mobile: '13800138001', success: false },
    ]);
    const statuses = (await tencentSms.parseInbound?.(ctx, asInboundRequest(report)))?.events;
    expect(statuses).toMatchObject([
      { kind: 'status', providerMessageId: '2645:1', status: 'delivered' },
      { kind: 'status', providerMessageId: '2645:2', status: 'failed', error: 'MK:0001 用户短信接收失败' },
    ]);
  });

  it('refuses bodies it cannot read with InboundParseError', async () => {
    for (const body of ['', '<xml/>', 'true', '{"mobile":"138"}', '[{"sid":1}]']) {
      const request = {
        ...asInboundRequest(fake.reply(HOOK, { mobile: '1', text: '' })),
        rawBody: Buffer.from(body),
      };
      await expect(async () => tencentSms.parseInbound?.(ctx, request)).rejects.toBeInstanceOf(
        InboundParseError,
      );
    }
  });

  it('sends SendSms signed with TC3-HMAC-SHA256 that the gateway verifies', async () => {
    const result = await tencentSms.send(ctx, {
      to: '+8613800138000',
      text: '您好，退款已受理',
      idempotencyKey: 'out-1',
    });
    const sent = fake.sent.at(-1);
    expect(sent).toMatchObject({
      phone: '+8613800138000',
      params: ['您好，退款已受理'],
      sessionContext: 'out-1',
    });
    expect(result).toEqual({ providerMessageId: sent?.serialNo, status: 'sent' });
  });

  it('gives up for good on a wrong key or SecretId, unapproved template or signature, bad number', async () => {
    const cases: [Partial<TencentSmsConfig>, string, string][] = [
      [{ secretKey: 'wrong' }, '+8613800138000', 'AuthFailure.SignatureFailure'],
      [{ secretId: 'AKIDother' }, '+8613800138000', 'AuthFailure.SecretIdNotFound'],
      [{ templateId: '1' }, '+8613800138000', 'FailedOperation.TemplateIncorrectOrUnapproved'],
      [{ signName: '别人的签名' }, '+8613800138000', 'FailedOperation.SignatureIncorrectOrUnapproved'],
    ];
    for (const [override, to, code] of cases) {
      const error = await tencentSms
        .send({ ...ctx, config: { ...ctx.config, ...override } }, { to, text: 'hi', idempotencyKey: 'k' })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PermanentSendFailure);
      expect(String(error)).toContain(code);
      expect(fake.refused.at(-1)).toBe(code);
    }
    const stale = { ...ctx, now: () => new Date(Date.now() - 10 * 60_000) };
    const expired = await tencentSms
      .send(stale, { to: '+8613800138000', text: 'hi', idempotencyKey: 'k' })
      .catch((e: unknown) => e);
    expect(String(expired)).toContain('AuthFailure.SignatureExpire');
    await expect(tencentSms.send(ctx, { to: 'abc', text: 'x', idempotencyKey: 'k' })).rejects.toBeInstanceOf(
      PermanentSendFailure,
    );
  });

  it('throws a retryable error on RequestLimitExceeded and InternalError, then sends', async () => {
    fake.failNext(1, 'throttle');
    fake.failNext(1, 'internal');
    const before = fake.sent.length;
    for (const code of ['RequestLimitExceeded', 'InternalError.Timeout']) {
      const error = await tencentSms
        .send(ctx, { to: '+8613800138000', text: 'hi', idempotencyKey: 'r' })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      expect(error).not.toBeInstanceOf(PermanentSendFailure);
      expect(String(error)).toContain(code);
    }
    await tencentSms.send(ctx, { to: '+8613800138000', text: 'hi', idempotencyKey: 'r' });
    expect(fake.sent.length).toBe(before + 1);
  });
});
