// Twilio through the real app: an inbound message webhook signed with X-Twilio-Signature over the hook's
// public URL, the bot's reply sent to the fake Messages API (Basic auth), a StatusCallback marking it
// delivered, a 500 retried.
import { type HookTarget, runChannelContract } from '../../support/channelContract.ts';
import type { VendorWebhook } from '../../support/fakeProviders/server.ts';
import { startFakeTwilio } from '../../support/fakeProviders/twilio.ts';

const CUSTOMER = '+8613800138000';

runChannelContract({
  adapterId: 'twilio-sms',
  async startProvider() {
    const fake = await startFakeTwilio();
    const toHook = (hook: HookTarget, webhook: VendorWebhook) => ({
      method: 'POST' as const,
      url: hook.path,
      headers: webhook.headers,
      payload: webhook.body,
    });
    const publicUrl = (hook: HookTarget) => `${hook.publicUrl}${hook.path}`;
    return {
      config: {
        accountSid: fake.accountSid,
        authToken: fake.authToken,
        from: fake.number,
        baseUrl: fake.baseUrl,
      },
      allowHost: '127.0.0.1',
      inboundMessage: (hook, m) =>
        toHook(
          hook,
          fake.inboundMessage(publicUrl(hook), { from: CUSTOMER, body: m.text, sid: m.providerMessageId }),
        ),
      // Signed for another URL: what a request replayed from another inbox's hook would carry.
      badlySigned: (hook, m) => ({
        ...toHook(
          hook,
          fake.inboundMessage(`${publicUrl(hook)}x`, {
            from: CUSTOMER,
            body: m.text,
            sid: m.providerMessageId,
          }),
        ),
      }),
      deliveredReport: (hook, sid) =>
        toHook(hook, fake.statusCallback(publicUrl(hook), { sid, to: CUSTOMER, status: 'delivered' })),
      sentIds: () => fake.sent.map((s) => s.sid),
      failNextSends: (n) => fake.failNext(n, 'server'),
      close: () => fake.close(),
    };
  },
});
