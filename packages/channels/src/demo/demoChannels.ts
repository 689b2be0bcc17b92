// Demo providers (`demo-sms`, `demo-email`, `demo-wechat`): inboxes that work like the real SMS, email and
// WeChat channels for a demo shop (`zhike demo seed`), screenshots and trying the console, without a
// provider behind them. Sending makes no network call: the message is recorded as delivered under a
// `demo:` provider id, so the conversation, its delivery ticks, surveys and ticket notices look as they
// would, and nothing is left retrying against a provider that is not there. Nobody receives anything,
// and the hook refuses every request (there is no provider to sign one): never use them for customers.
import Type from 'typebox';
import type { ChannelAdapter, ProviderChannel, SendResult } from '../adapter.ts';
import { EmailAddress } from '../email/config.ts';
import { domainOf, ourMessageId } from '../email/threading.ts';

/** The provider ids a demo delivery carries: `demo:` and the message's idempotency key. */
export const DEMO_PROVIDER_PREFIX = 'demo:';

const note = 'Demo provider: replies are recorded as delivered and reach nobody';

const DemoSmsConfig = Type.Object(
  {
    signName: Type.String({ minLength: 1, maxLength: 20, title: '短信签名', description: note }),
    number: Type.Optional(
      Type.String({ pattern: '^[0-9+]{3,20}$', description: 'The number shown to customers' }),
    ),
  },
  { additionalProperties: false },
);

const DemoEmailConfig = Type.Object(
  {
    address: { ...EmailAddress, description: `The support address customers write to. ${note}` },
    displayName: Type.Optional(Type.String({ maxLength: 100, pattern: '^[^\\r\\n]*$' })),
    // Read by the tickets listener exactly as on a real email inbox.
    createTickets: Type.Optional(Type.Boolean({ description: 'Open a ticket for each new email thread' })),
    ticketCategory: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
    ticketPriority: Type.Optional(
      Type.Union([Type.Literal('low'), Type.Literal('normal'), Type.Literal('high'), Type.Literal('urgent')]),
    ),
  },
  { additionalProperties: false },
);

const DemoWechatConfig = Type.Object(
  {
    appId: Type.String({ pattern: '^wx[0-9A-Za-z]{16}$', title: 'AppID 开发者ID', description: note }),
  },
  { additionalProperties: false },
);

const delivered = (idempotencyKey: string, meta?: Record<string, string>): SendResult => ({
  providerMessageId: `${DEMO_PROVIDER_PREFIX}${idempotencyKey}`,
  status: 'delivered',
  ...(meta ? { meta } : {}),
});

function demoAdapter<Config>(
  id: string,
  channel: ProviderChannel,
  configSchema: Type.TSchema,
  capabilities: { maxTextLength: number; attachments: boolean },
  send: (config: Config, idempotencyKey: string) => SendResult,
): ChannelAdapter<Config> {
  return {
    id,
    channel,
    configSchema,
    secretFields: [],
    capabilities: { ...capabilities, deliveryStatus: true, passiveReply: false },
    verifyInbound: () => false,
    async send(ctx, message) {
      return send(ctx.config, message.idempotencyKey);
    },
  };
}

export const demoSms = demoAdapter<Type.Static<typeof DemoSmsConfig>>(
  'demo-sms',
  'sms',
  DemoSmsConfig,
  { maxTextLength: 450, attachments: false },
  (_config, key) => delivered(key),
);

export const demoEmail = demoAdapter<Type.Static<typeof DemoEmailConfig>>(
  'demo-email',
  'email',
  DemoEmailConfig,
  { maxTextLength: 100_000, attachments: true },
  // The Message-ID the real adapter would give the reply, so the thread continues the same way.
  (config, key) => delivered(key, { messageId: ourMessageId(key, domainOf(config.address)) }),
);

export const demoWechat = demoAdapter<Type.Static<typeof DemoWechatConfig>>(
  'demo-wechat',
  'wechat',
  DemoWechatConfig,
  { maxTextLength: 600, attachments: true },
  (_config, key) => delivered(key),
);
