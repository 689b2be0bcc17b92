import Type from 'typebox';
import { Id, Timestamp } from './common.ts';
import { ChannelType } from './conversations.ts';

export const Inbox = Type.Object({
  id: Id,
  name: Type.String(),
  channel: ChannelType,
  widgetToken: Type.Union([Type.String(), Type.Null()], { description: 'Public token used in data-inbox' }),
  allowedOrigins: Type.Array(Type.String(), { description: 'Empty = any origin' }),
  webhookUrl: Type.Union([Type.String(), Type.Null()]),
  webhookSecret: Type.Union([Type.String(), Type.Null()], { description: 'Shown to owners and admins only' }),
  greeting: Type.Union([Type.String(), Type.Null()]),
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
  },
  { additionalProperties: false },
);
export type UpdateInboxBody = Type.Static<typeof UpdateInboxBody>;

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
