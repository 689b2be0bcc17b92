import Type from 'typebox';
import { Id, Timestamp } from './common.ts';
import { ChannelType } from './conversations.ts';

/**
 * An adapter's settings and secrets together; checked against the adapter's own schema by the server.
 * On update, a secret left out (or empty) keeps its stored value: secrets are write-only.
 */
export const ChannelConfigBody = Type.Record(
  Type.String({ maxLength: 64 }),
  Type.Union([Type.String({ maxLength: 8192 }), Type.Number(), Type.Boolean(), Type.Null()]),
  { maxProperties: 50 },
);

export const Inbox = Type.Object({
  id: Id,
  name: Type.String(),
  channel: ChannelType,
  widgetToken: Type.Union([Type.String(), Type.Null()], { description: 'Public token used in data-inbox' }),
  allowedOrigins: Type.Array(Type.String(), { description: 'Empty = any origin' }),
  webhookUrl: Type.Union([Type.String(), Type.Null()]),
  webhookSecret: Type.Union([Type.String(), Type.Null()], { description: 'Shown to owners and admins only' }),
  greeting: Type.Union([Type.String(), Type.Null()]),
  adapter: Type.Union([Type.String(), Type.Null()], {
    description: 'Provider adapter id; null for widget and api',
  }),
  hookUrl: Type.Union([Type.String(), Type.Null()], {
    description: 'Public webhook address to give the provider (channel inboxes only)',
  }),
  config: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()], {
    description: 'The adapter’s settings without its secrets',
  }),
  secretsSet: Type.Array(Type.String(), {
    description: 'Secret fields that hold a value (values are never shown)',
  }),
  enabled: Type.Boolean(),
  createdAt: Timestamp,
});
export type Inbox = Type.Static<typeof Inbox>;
export const InboxList = Type.Object({ inboxes: Type.Array(Inbox) });
export type InboxList = Type.Static<typeof InboxList>;

export const UpdateInboxBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    allowedOrigins: Type.Optional(
      Type.Array(Type.String({ pattern: '^https?://[^/\\s]+$', maxLength: 255 }), { maxItems: 50 }),
    ),
    webhookUrl: Type.Optional(
      Type.Union([Type.String({ pattern: '^https?://', maxLength: 2048 }), Type.Null()]),
    ),
    greeting: Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Null()])),
    config: Type.Optional(ChannelConfigBody),
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type UpdateInboxBody = Type.Static<typeof UpdateInboxBody>;

export const CreateChannelInboxBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    adapter: Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z0-9][a-z0-9-]*$' }),
    channel: Type.Optional(ChannelType),
    config: ChannelConfigBody,
  },
  { additionalProperties: false },
);
export type CreateChannelInboxBody = Type.Static<typeof CreateChannelInboxBody>;

export const ChannelAdapterInfo = Type.Object({
  id: Type.String(),
  channel: ChannelType,
  configSchema: Type.Record(Type.String(), Type.Unknown(), {
    description: 'JSON Schema of the whole config',
  }),
  secretFields: Type.Array(Type.String()),
  capabilities: Type.Object({
    maxTextLength: Type.Integer(),
    attachments: Type.Boolean(),
    deliveryStatus: Type.Boolean(),
    passiveReply: Type.Boolean(),
  }),
});
export type ChannelAdapterInfo = Type.Static<typeof ChannelAdapterInfo>;
export const ChannelAdapterList = Type.Object({ adapters: Type.Array(ChannelAdapterInfo) });
export type ChannelAdapterList = Type.Static<typeof ChannelAdapterList>;

export const TestSendBody = Type.Object(
  {
    to: Type.String({
      minLength: 1,
      maxLength: 320,
      description: 'Phone, email or OpenID, as the channel addresses it',
    }),
    text: Type.String({ minLength: 1, maxLength: 2000 }),
  },
  { additionalProperties: false },
);
export type TestSendBody = Type.Static<typeof TestSendBody>;
export const TestSendResult = Type.Object({
  ok: Type.Boolean(),
  providerMessageId: Type.Union([Type.String(), Type.Null()]),
  status: Type.Union([Type.String(), Type.Null()]),
  error: Type.Union([Type.String(), Type.Null()], { description: 'What the provider (or the guard) said' }),
});
export type TestSendResult = Type.Static<typeof TestSendResult>;

/** Outbound webhook body; signed with WEBHOOK_SIGNATURE_HEADER (protocol.ts). */
export const WebhookPayload = Type.Object({
  event: Type.Literal('message.created'),
  deliveryId: Id,
  occurredAt: Timestamp,
  workspaceId: Id,
  inboxId: Id,
  conversationId: Id,
  customer: Type.Object({ id: Id, externalId: Type.Union([Type.String(), Type.Null()]) }),
  message: Type.Object({
    id: Id,
    author: Type.String(),
    authorName: Type.Union([Type.String(), Type.Null()]),
    text: Type.String(),
    createdAt: Timestamp,
  }),
});
export type WebhookPayload = Type.Static<typeof WebhookPayload>;
