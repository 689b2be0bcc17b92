// What the shared contract does not look at, for the three SMS vendors through the real app: each vendor
// gets the HTTP answer its callback protocol expects, the CN vendors' unsigned callbacks are refused
// without the inbox token (query or header), and an agent's long reply reaches a CN vendor as parts that
// each fit one template variable.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestSession } from '../../../apps/server/src/testing.ts';
import { type FakeAliyunSms, startFakeAliyunSms } from '../../support/fakeProviders/aliyunSms.ts';
import type { VendorWebhook } from '../../support/fakeProviders/server.ts';
import { type FakeTencentSms, startFakeTencentSms } from '../../support/fakeProviders/tencentSms.ts';
import { type FakeTwilio, startFakeTwilio } from '../../support/fakeProviders/twilio.ts';

const PUBLIC_URL = 'https://zhike.sms.test';
const TOKEN = 'sms_wire_callback_token_0123456789';

describe('SMS vendors on the wire', () => {
  let t: TestApp;
  let owner: TestSession;
  let workspaceId: string;
  let aliyun: FakeAliyunSms;
  let tencent: FakeTencentSms;
  let twilio: FakeTwilio;
  const hooks: Record<string, { id: string; path: string }> = {};

  const inject = (webhook: VendorWebhook) => {
    const url = new URL(webhook.url);
    return t.app.inject({
      method: 'POST',
      url: `${url.pathname}${url.search}`,
      headers: webhook.headers,
      payload: webhook.body,
    });
  };
  const drain = async () => {
    for (let round = 0; round < 50; round++) if ((await t.app.zhike.worker.runDue()) === 0) return;
  };

  beforeAll(async () => {
    [aliyun, tencent, twilio] = await Promise.all([
      startFakeAliyunSms(),
      startFakeTencentSms(),
      startFakeTwilio(),
    ]);
    t = await createTestApp('sqlite', {
      startWorker: false,
      env: { ZHIKE_CHANNEL_ALLOW_HOSTS: '127.0.0.1', ZHIKE_PUBLIC_URL: PUBLIC_URL },
    });
    owner = await t.login();
    workspaceId = await t.demoWorkspaceId();
    const configs: Record<string, Record<string, string>> = {
      'aliyun-sms': {
        accessKeyId: aliyun.accessKeyId,
        accessKeySecret: aliyun.accessKeySecret,
        signName: aliyun.signName,
        templateCode: aliyun.templateCode,
        templateVariable: 'content',
        callbackToken: TOKEN,
        endpoint: aliyun.endpoint,
      },
      'tencent-sms': {
        secretId: tencent.secretId,
        secretKey: tencent.secretKey,
        smsSdkAppId: tencent.smsSdkAppId,
        signName: tencent.signName,
        templateId: tencent.templateId,
        callbackToken: TOKEN,
        endpoint: tencent.endpoint,
      },
      'twilio-sms': {
        accountSid: twilio.accountSid,
        authToken: twilio.authToken,
        from: twilio.number,
        baseUrl: twilio.baseUrl,
      },
    };
    for (const [adapter, config] of Object.entries(configs)) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/inboxes',
        headers: owner.headers,
        payload: { name: adapter, adapter, config },
      });
      expect(res.statusCode, res.body).toBe(201);
      const inbox = res.json() as { id: string; hookUrl: string };
      hooks[adapter] = { id: inbox.id, path: new URL(inbox.hookUrl).pathname };
    }
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await Promise.all([aliyun?.close(), tencent?.close(), twilio?.close()]);
  });

  const hookUrl = (adapter: string, query = '') => `${PUBLIC_URL}${hooks[adapter]?.path}${query}`;

  it('answers Twilio with empty TwiML, and refuses a signature made with another Auth Token', async () => {
    const res = await inject(
      twilio.inboundMessage(hookUrl('twilio-sms'), { from: '+14155550123', body: 'Hello' }),
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/xml');
    expect(res.body).toBe('<?xml version="1.0" encoding="UTF-8"?><Response></Response>');
    const forged = twilio.inboundMessage(hookUrl('twilio-sms'), {
      from: '+14155550123',
      body: 'Hello again',
    });
    forged.headers['x-twilio-signature'] = 'S0OpJ5gDFX1T3ZuPVWcmnr9cdxc=';
    expect((await inject(forged)).statusCode).toBe(401);
  });

  it('answers Alibaba Cloud with {"code":0} and refuses a push without the token', async () => {
    const ok = await inject(
      aliyun.smsUp(hookUrl('aliyun-sms', `?token=${TOKEN}`), [{ phone: '13900139000', content: '你好' }]),
    );
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ code: 0, msg: '接收成功' });
    const bare = await inject(
      aliyun.smsUp(hookUrl('aliyun-sms'), [{ phone: '13900139000', content: '你好' }]),
    );
    expect(bare.statusCode).toBe(401);
    expect(bare.headers['content-type']).toContain('application/problem+json');
  });

  it('answers Tencent Cloud with {"result":0}, taking the token from a header too', async () => {
    const webhook = tencent.reply(hookUrl('tencent-sms'), { mobile: '13700137000', text: '在吗' });
    expect((await inject(webhook)).statusCode).toBe(401);
    webhook.headers['x-zhike-callback-token'] = TOKEN;
    const ok = await inject(webhook);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ result: 0, errmsg: 'OK' });
  });

  it("sends an agent's long reply to Alibaba Cloud as parts that each fit the template variable", async () => {
    await inject(
      aliyun.smsUp(hookUrl('aliyun-sms', `?token=${TOKEN}`), [
        { phone: '13900139001', content: '退货怎么办', sequenceId: 4242 },
      ]),
    );
    await drain();
    const stored = await t.app.zhike.db
      .forWorkspace(workspaceId)
      .messages.findByIdempotencyKey(hooks['aliyun-sms']?.id ?? '', 'aliyun-sms:up:4242');
    expect(stored).toBeTruthy();
    const text = `您好，${'退货请在订单页面申请，审核通过后寄回商品。'.repeat(50)}`;
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${stored?.conversationId}/messages`,
      headers: owner.headers,
      payload: { text },
    });
    expect(res.statusCode, res.body).toBe(201);
    await drain();
    const parts = aliyun.sent.filter(
      (s) => s.phoneNumbers === '13900139001' && text.includes(s.templateParam.content ?? '-'),
    );
    expect(parts.length).toBe(3);
    for (const part of parts) expect([...(part.templateParam.content ?? '')].length).toBeLessThanOrEqual(450);
    expect(parts.map((p) => p.templateParam.content).join('')).toBe(text);
  });
});
