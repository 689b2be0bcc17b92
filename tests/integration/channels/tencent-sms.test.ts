// Tencent Cloud SMS through the real app: reply callbacks to the inbox's hook (with its ?token=), the
// bot's reply sent by SendSms to the fake API that checks the TC3-HMAC-SHA256 Authorization of every
// call, status reports marking it delivered, an InternalError retried.
import { tencentReplyId } from '../../../packages/channels/src/sms/tencent.ts';
import { type HookTarget, runChannelContract } from '../../support/channelContract.ts';
import type { VendorWebhook } from '../../support/fakeProviders/server.ts';
import { startFakeTencentSms } from '../../support/fakeProviders/tencentSms.ts';

const TOKEN = 'tencent_callback_token_0123456789';
const CUSTOMER = '13800138000';

runChannelContract({
  adapterId: 'tencent-sms',
  async startProvider() {
    const fake = await startFakeTencentSms();
    // A reply has no id; the same contract message must be posted with the same time to be a replay.
    const sentAt = new Map<string, number>();
    const timeOf = (id: string) => {
      if (!sentAt.has(id)) sentAt.set(id, Math.floor(Date.now() / 1000) - sentAt.size);
      return sentAt.get(id) as number;
    };
    const toHook = (hook: HookTarget, token: string, webhook: VendorWebhook) => ({
      method: 'POST' as const,
      url: `${hook.path}?token=${token}`,
      headers: webhook.headers,
      payload: webhook.body,
    });
    return {
      config: {
        secretId: fake.secretId,
        secretKey: fake.secretKey,
        smsSdkAppId: fake.smsSdkAppId,
        signName: fake.signName,
        templateId: fake.templateId,
        callbackToken: TOKEN,
        endpoint: fake.endpoint,
      },
      allowHost: '127.0.0.1',
      inboundMessage: (hook, m) =>
        toHook(
          hook,
          TOKEN,
          fake.reply(hook.publicUrl, { mobile: CUSTOMER, text: m.text, time: timeOf(m.providerMessageId) }),
        ),
      badlySigned: (hook, m) =>
        toHook(
          hook,
          'not-the-callback-token-at-all',
          fake.reply(hook.publicUrl, { mobile: CUSTOMER, text: m.text, time: timeOf(m.providerMessageId) }),
        ),
      storedMessageId: (m) => tencentReplyId(`+86${CUSTOMER}`, timeOf(m.providerMessageId), m.text),
      deliveredReport: (hook, sid) =>
        toHook(hook, TOKEN, fake.statusReport(hook.publicUrl, [{ sid, mobile: CUSTOMER, success: true }])),
      sentIds: () => fake.sent.map((s) => s.serialNo),
      failNextSends: (n) => fake.failNext(n, 'internal'),
      close: () => fake.close(),
    };
  },
});
