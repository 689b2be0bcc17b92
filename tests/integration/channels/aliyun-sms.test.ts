// Alibaba Cloud SMS through the real app: SmsUp pushes to the inbox's hook (with its ?token=), the bot's
// reply sent by SendSms to the fake dysmsapi that checks the Signature V1 of every call, SmsReport
// receipts marking it delivered, a 503 retried.
import { type HookTarget, runChannelContract } from '../../support/channelContract.ts';
import { startFakeAliyunSms } from '../../support/fakeProviders/aliyunSms.ts';

const TOKEN = 'aliyun_callback_token_0123456789';
const CUSTOMER = '13800138000';

runChannelContract({
  adapterId: 'aliyun-sms',
  async startProvider() {
    const fake = await startFakeAliyunSms();
    // The contract names messages with its own ids; Alibaba Cloud numbers them (sequence_id).
    const sequenceOf = new Map<string, number>();
    const sequence = (id: string) => {
      if (!sequenceOf.has(id)) sequenceOf.set(id, 7_000_000 + sequenceOf.size);
      return sequenceOf.get(id) as number;
    };
    const toHook = (
      hook: HookTarget,
      token: string,
      body: { url: string; headers: Record<string, string>; body: string },
    ) => ({
      method: 'POST' as const,
      url: `${hook.path}?token=${token}`,
      headers: body.headers,
      payload: body.body,
    });
    return {
      config: {
        accessKeyId: fake.accessKeyId,
        accessKeySecret: fake.accessKeySecret,
        signName: fake.signName,
        templateCode: fake.templateCode,
        templateVariable: 'content',
        callbackToken: TOKEN,
        endpoint: fake.endpoint,
      },
      allowHost: '127.0.0.1',
      inboundMessage: (hook, m) =>
        toHook(
          hook,
          TOKEN,
          fake.smsUp(`${hook.publicUrl}${hook.path}?token=${TOKEN}`, [
            { phone: CUSTOMER, content: m.text, sequenceId: sequence(m.providerMessageId) },
          ]),
        ),
      badlySigned: (hook, m) =>
        toHook(
          hook,
          `${TOKEN.slice(0, -4)}beef`,
          fake.smsUp(`${hook.publicUrl}${hook.path}`, [
            { phone: CUSTOMER, content: m.text, sequenceId: sequence(m.providerMessageId) },
          ]),
        ),
      storedMessageId: (m) => `up:${sequence(m.providerMessageId)}`,
      deliveredReport: (hook, bizId) =>
        toHook(
          hook,
          TOKEN,
          fake.smsReport(`${hook.publicUrl}${hook.path}`, [{ bizId, phone: CUSTOMER, success: true }]),
        ),
      sentIds: () => fake.sent.map((s) => s.bizId),
      failNextSends: (n) => fake.failNext(n, 'unavailable'),
      close: () => fake.close(),
    };
  },
});
