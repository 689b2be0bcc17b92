import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeAliyunSms, startFakeAliyunSms } from '../../../../tests/support/fakeProviders/aliyunSms.ts';
import { asInboundRequest } from '../../../../tests/support/fakeProviders/server.ts';
import { type AdapterContext, InboundParseError, PermanentSendFailure } from '../adapter.ts';
import { adapterFor } from '../registry.ts';
import { type AliyunSmsConfig, aliyunSms } from './aliyun.ts';

const TOKEN = 'cb_token_0123456789abcdefghij';
const HOOK = `https://zhike.example.com/hooks/01JHOOK?token=${TOKEN}`;

describe('aliyun-sms', () => {
  let fake: FakeAliyunSms;
  let ctx: AdapterContext<AliyunSmsConfig>;
  beforeAll(async () => {
    fake = await startFakeAliyunSms({ variableLimit: 35 });
    ctx = {
      config: {
        accessKeyId: fake.accessKeyId,
        accessKeySecret: fake.accessKeySecret,
        signName: fake.signName,
        templateCode: fake.templateCode,
        templateVariable: 'content',
        callbackToken: TOKEN,
        endpoint: fake.endpoint,
      },
      http: (url, init) => fetch(url, init),
      now: () => new Date(),
    };
  });
  afterAll(() => fake.close());

  it('finds a send it took by our idempotency key through QuerySendDetails, and nothing for another', async () => {
    const since = new Date();
    const sent = await aliyunSms.send(ctx, {
      to: '+8613700137001',
      text: '已发货',
      idempotencyKey: 'msg-found',
    });
    const outId = fake.sent.find((m) => m.bizId === sent.providerMessageId)?.outId;
    expect(outId).toMatch(/^[0-9a-f]{32}$/);
    const found = await aliyunSms.findSent?.(ctx, { to: '13700137001', idempotencyKey: 'msg-found', since });
    expect(found).toEqual({ providerMessageId: `out:${outId}`, status: 'sent' });
    expect(
      await aliyunSms.findSent?.(ctx, { to: '13700137001', idempotencyKey: 'msg-never-sent', since }),
    ).toBeNull();
    const asked = fake.queries.at(-1);
    expect(asked?.phone).toBe('13700137001');
    expect(asked?.sendDate).toMatch(/^\d{8}$/);
    // An answer that is not a list of records is not "not sent": the caller must not send blindly.
    const broken = { ...ctx, config: { ...ctx.config, accessKeySecret: 'wrong-secret' } };
    await expect(
      aliyunSms.findSent?.(broken, { to: '13700137001', idempotencyKey: 'msg-found', since }),
    ).rejects.toThrow(/QuerySendDetails HTTP 400 SignatureDoesNotMatch/);
  });

  it('is registered under its id', () => {
    expect(adapterFor('aliyun-sms')).toBe(aliyunSms);
  });

  it('accepts a push carrying the inbox token and refuses a wrong, missing or GET one', () => {
    const push = fake.smsUp(HOOK, [{ phone: '13800138000', content: '你好' }]);
    expect(aliyunSms.verifyInbound?.(ctx, asInboundRequest(push))).toBe(true);
    const wrong = fake.smsUp(HOOK.replace(TOKEN, `${TOKEN.slice(0, -1)}x`), [
      { phone: '13800138000', content: 'x' },
    ]);
    expect(aliyunSms.verifyInbound?.(ctx, asInboundRequest(wrong))).toBe(false);
    const none = fake.smsUp('https://zhike.example.com/hooks/01JHOOK', [
      { phone: '13800138000', content: 'x' },
    ]);
    expect(aliyunSms.verifyInbound?.(ctx, asInboundRequest(none))).toBe(false);
    expect(aliyunSms.verifyInbound?.(ctx, { ...asInboundRequest(push), method: 'GET' })).toBe(false);
    expect(
      aliyunSms.verifyInbound?.(ctx, { ...asInboundRequest(push), query: { token: ['a', 'b'] as never } }),
    ).toBe(false);
  });

  it('reads SmsUp as a verified phone message and SmsReport as delivery status', async () => {
    const up = fake.smsUp(HOOK, [
      { phone: '13800138000', content: '我的订单到哪了', sequenceId: 42, sendTime: '2026-11-25 08:00:00' },
    ]);
    const parsed = await aliyunSms.parseInbound?.(ctx, asInboundRequest(up));
    expect(parsed?.events).toEqual([
      {
        kind: 'message',
        providerMessageId: 'up:42',
        identity: { kind: 'phone', value: '+8613800138000', verified: true },
        profile: { phone: '+8613800138000' },
        text: '我的订单到哪了',
        meta: { signName: fake.signName, destCode: '1234' },
        receivedAt: '2026-11-25T00:00:00.000Z',
      },
    ]);
    expect(parsed?.answer).toEqual({
      status: 200,
      contentType: 'application/json',
      body: '{"code":0,"msg":"接收成功"}',
    });

    const report = fake.smsReport(HOOK, [
      { bizId: '900^0', phone: '13800138000', success: true },
      { bizId: '901^0', phone: '13800138001', success: false, errCode: 'MK:0001' },
    ]);
    const statuses = (await aliyunSms.parseInbound?.(ctx, asInboundRequest(report)))?.events;
    expect(
      statuses?.map((e) => (e.kind === 'status' ? [e.providerMessageId, e.status, e.error] : null)),
    ).toEqual([
      ['900^0', 'delivered', undefined],
      ['901^0', 'failed', 'MK:0001 用户接收失败'],
    ]);
  });

  it('refuses bodies it cannot read with InboundParseError, never anything else', async () => {
    for (const body of ['', 'not json', '42', '[{"foo":1}]', '{"phone_number":"x"}', '[null]']) {
      const request = { ...asInboundRequest(fake.smsUp(HOOK, [])), rawBody: Buffer.from(body) };
      await expect(async () => aliyunSms.parseInbound?.(ctx, request)).rejects.toBeInstanceOf(
        InboundParseError,
      );
    }
  });

  it('sends through SendSms with a signature the gateway accepts, the text in the template variable', async () => {
    const result = await aliyunSms.send(ctx, {
      to: '+8613800138000',
      text: '您好，已为您查询',
      idempotencyKey: 'out-1',
    });
    const sent = fake.sent.at(-1);
    expect(sent?.phoneNumbers).toBe('13800138000');
    expect(sent?.templateParam).toEqual({ content: '您好，已为您查询' });
    expect(result).toEqual({ providerMessageId: sent?.bizId, status: 'sent' });
    await aliyunSms.send(ctx, { to: '+85261234567', text: "it's (50%)* ~ok!", idempotencyKey: 'out-2' });
    expect(fake.sent.at(-1)?.phoneNumbers).toBe('85261234567');
    expect(fake.sent.at(-1)?.templateParam.content).toBe("it's (50%)* ~ok!");
  });

  it('gives up for good on a wrong secret, template, sign name, number or an over-long variable', async () => {
    const cases: [Partial<AliyunSmsConfig>, string, string][] = [
      [{ accessKeySecret: 'wrong' }, 'hi', 'SignatureDoesNotMatch'],
      [{ accessKeyId: 'LTAIunknown' }, 'hi', 'InvalidAccessKeyId.NotFound'],
      [{ templateCode: 'SMS_0' }, 'hi', 'isv.SMS_TEMPLATE_ILLEGAL'],
      [{ signName: '别人的签名' }, 'hi', 'isv.SMS_SIGNATURE_ILLEGAL'],
      [{}, 'x'.repeat(36), 'isv.PARAM_LENGTH_LIMIT'],
    ];
    for (const [override, text, code] of cases) {
      const error = await aliyunSms
        .send(
          { ...ctx, config: { ...ctx.config, ...override } },
          { to: '+8613800138000', text, idempotencyKey: 'k' },
        )
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PermanentSendFailure);
      expect(String(error)).toContain(code);
      expect(fake.refused.at(-1)).toBe(code);
    }
    await expect(
      aliyunSms.send(ctx, { to: 'not-a-phone', text: 'x', idempotencyKey: 'k' }),
    ).rejects.toBeInstanceOf(PermanentSendFailure);
  });

  it('throws a retryable error on flow control and 503, then sends once the vendor recovers', async () => {
    fake.failNext(1, 'throttle');
    fake.failNext(1, 'unavailable');
    const before = fake.sent.length;
    for (const code of ['isv.BUSINESS_LIMIT_CONTROL', 'ServiceUnavailable']) {
      const error = await aliyunSms
        .send(ctx, { to: '+8613800138000', text: 'hi', idempotencyKey: 'r' })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      expect(error).not.toBeInstanceOf(PermanentSendFailure);
      expect(String(error)).toContain(code);
    }
    await aliyunSms.send(ctx, { to: '+8613800138000', text: 'hi', idempotencyKey: 'r' });
    expect(fake.sent.length).toBe(before + 1);
  });

  it('treats a network failure as retryable (the http error propagates)', async () => {
    const down = { ...ctx, config: { ...ctx.config, endpoint: 'http://127.0.0.1:1/' } };
    const error = await aliyunSms
      .send(down, { to: '+8613800138000', text: 'hi', idempotencyKey: 'n' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(PermanentSendFailure);
  });
});
