// Issue 6 acceptance through a real SMS channel: a customer who wrote on the widget under a signed phone and
// later texts from that phone — an Alibaba Cloud SmsUp push and a signed Twilio webhook, both through the
// inbox hooks — lands in one customer timeline; an SMS from another number is another customer.
import { createHmac } from 'node:crypto';
import type { CustomerTimeline, IdentitySecret, InboxList, WidgetSession } from '@zhike/contracts';
import { testBackends } from '@zhike/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestSession } from '../../../apps/server/src/testing.ts';
import { type FakeAliyunSms, startFakeAliyunSms } from '../../support/fakeProviders/aliyunSms.ts';
import type { VendorWebhook } from '../../support/fakeProviders/server.ts';
import { type FakeTwilio, startFakeTwilio } from '../../support/fakeProviders/twilio.ts';

const PUBLIC_URL = 'https://zhike.identity.test';
const TOKEN = 'sms_identity_callback_token_0123456789';

describe.each(testBackends)('one customer across the widget and SMS on %s', (backend) => {
  let t: TestApp;
  let owner: TestSession;
  let workspaceId: string;
  let aliyun: FakeAliyunSms;
  let twilio: FakeTwilio;
  const hooks: Record<string, { id: string; url: string }> = {};

  const inject = (webhook: VendorWebhook) => {
    const url = new URL(webhook.url);
    return t.app.inject({
      method: 'POST',
      url: `${url.pathname}${url.search}`,
      headers: webhook.headers,
      payload: webhook.body,
    });
  };
  const customerOfSms = async (adapter: string, providerMessageId: string) => {
    const stored = await t.app.zhike.db
      .forWorkspace(workspaceId)
      .messages.findByIdempotencyKey(hooks[adapter]?.id ?? '', `${adapter}:${providerMessageId}`);
    const conversation = stored
      ? await t.app.zhike.db.forWorkspace(workspaceId).conversations.get(stored.conversationId)
      : null;
    return conversation?.customerId ?? null;
  };

  beforeAll(async () => {
    [aliyun, twilio] = await Promise.all([startFakeAliyunSms(), startFakeTwilio()]);
    t = await createTestApp(backend, {
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
      hooks[adapter] = { id: inbox.id, url: inbox.hookUrl };
    }
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await Promise.all([aliyun?.close(), twilio?.close()]);
  });

  it('a signed widget phone, then SMS from that phone through two vendors, is one timeline', async () => {
    const { inboxes } = (
      await t.app.inject({ url: '/api/v1/inboxes', headers: { cookie: owner.cookie } })
    ).json() as InboxList;
    const widget = inboxes.find((i) => i.channel === 'widget');
    if (!widget?.widgetToken) throw new Error('the demo workspace needs a widget inbox');
    const secret = (
      (
        await t.app.inject({
          url: `/api/v1/inboxes/${widget.id}/identity-secret`,
          headers: { cookie: owner.cookie },
        })
      ).json() as IdentitySecret
    ).secret;
    const signature = createHmac('sha256', secret)
      .update('externalId=shop-user-7&phone=138%200013%208000')
      .digest('hex');
    const session = await t.app.inject({
      method: 'POST',
      url: '/api/v1/widget/sessions',
      payload: {
        inbox: widget.widgetToken,
        identity: { externalId: 'shop-user-7', phone: '138 0013 8000', signature },
      },
    });
    expect(session.statusCode, session.body).toBe(200);
    const { visitorId } = session.json() as WidgetSession;
    const onWidget = await t.app.zhike.commands.receiveCustomerMessage(workspaceId, {
      inboxId: widget.id,
      identity: { kind: 'visitor', value: visitorId, verified: true, source: 'widget' },
      text: '我的快递三天没动了',
      idempotencyKey: `visitor:${visitorId}:1`,
    });
    const customerId = onWidget.conversation.customerId;

    const up = await inject(
      aliyun.smsUp(`${hooks['aliyun-sms']?.url}?token=${TOKEN}`, [
        { phone: '13800138000', content: '单号 SF1234567890', sequenceId: 9001 },
      ]),
    );
    expect(up.statusCode, up.body).toBe(200);
    expect(await customerOfSms('aliyun-sms', 'up:9001')).toBe(customerId);

    const tw = await inject(
      twilio.inboundMessage(hooks['twilio-sms']?.url ?? '', {
        from: '+8613800138000',
        body: 'Any news?',
        sid: 'SMidentity1',
      }),
    );
    expect(tw.statusCode, tw.body).toBe(200);
    expect(await customerOfSms('twilio-sms', 'SMidentity1')).toBe(customerId);

    const other = await inject(
      twilio.inboundMessage(hooks['twilio-sms']?.url ?? '', {
        from: '+8613900139000',
        body: 'Hi',
        sid: 'SMidentity2',
      }),
    );
    expect(other.statusCode).toBe(200);
    const stranger = await customerOfSms('twilio-sms', 'SMidentity2');
    expect(stranger).toBeTruthy();
    expect(stranger).not.toBe(customerId);

    const timeline = await t.app.inject({
      url: `/api/v1/customers/${customerId}/timeline`,
      headers: { cookie: owner.cookie },
    });
    expect(timeline.statusCode).toBe(200);
    const view = timeline.json() as CustomerTimeline;
    expect(view.messages.filter((m) => m.author === 'customer').map((m) => [m.channel, m.text])).toEqual([
      ['widget', '我的快递三天没动了'],
      ['sms', '单号 SF1234567890'],
      ['sms', 'Any news?'],
    ]);
  });
});
