// Customers, conversations and messages as the console and the API see them.
import Type from 'typebox';
import { Cursor, Id, Limit, Timestamp } from './common.ts';
import { MAX_MESSAGE_TEXT } from './protocol.ts';

export const ChannelType = Type.Union(
  [
    Type.Literal('widget'),
    Type.Literal('api'),
    Type.Literal('sms'),
    Type.Literal('email'),
    Type.Literal('wechat'),
    Type.Literal('voice'),
  ],
  {
    description:
      'widget and api are built in; sms, email, wechat and voice inboxes are served by a provider adapter',
  },
);
export type ChannelType = Type.Static<typeof ChannelType>;

export const ConversationStatus = Type.Union([
  Type.Literal('open'),
  Type.Literal('pending'),
  Type.Literal('resolved'),
]);
export type ConversationStatus = Type.Static<typeof ConversationStatus>;

export const Priority = Type.Union([
  Type.Literal('low'),
  Type.Literal('normal'),
  Type.Literal('high'),
  Type.Literal('urgent'),
]);
export type Priority = Type.Static<typeof Priority>;

export const MessageAuthor = Type.Union([
  Type.Literal('customer'),
  Type.Literal('bot'),
  Type.Literal('agent'),
  Type.Literal('system'),
]);
export type MessageAuthor = Type.Static<typeof MessageAuthor>;

export const Attachment = Type.Object({
  id: Type.Optional(Id),
  name: Type.String({ maxLength: 255 }),
  mimeType: Type.String({ maxLength: 127 }),
  size: Type.Integer({ minimum: 0 }),
  url: Type.Optional(Type.String({ maxLength: 2048 })),
});
export type Attachment = Type.Static<typeof Attachment>;

export const MessageSource = Type.Object({
  id: Type.String(),
  kind: Type.Union([Type.Literal('faq'), Type.Literal('article')]),
  title: Type.String(),
});
export type MessageSource = Type.Static<typeof MessageSource>;

export const CustomerIdentity = Type.Object({
  channel: Type.String({ description: 'visitor | external | phone | email | wechat' }),
  value: Type.String({ description: 'Phones and emails masked' }),
  verified: Type.Boolean({ description: 'The channel proved it (SMS sender, signed widget identity)' }),
  source: Type.Union([Type.String(), Type.Null()], {
    description: 'Who asserted it: a channel type, profile (typed by the customer) or agent',
  }),
});

export const Customer = Type.Object({
  id: Id,
  name: Type.Union([Type.String(), Type.Null()]),
  email: Type.Union([Type.String(), Type.Null()]),
  phone: Type.Union([Type.String(), Type.Null()]),
  identities: Type.Array(CustomerIdentity),
  createdAt: Timestamp,
});
export type Customer = Type.Static<typeof Customer>;

export const DeliveryStatus = Type.Union([
  Type.Literal('queued'),
  Type.Literal('sent'),
  Type.Literal('delivered'),
  Type.Literal('read'),
  Type.Literal('failed'),
]);
export type DeliveryStatus = Type.Static<typeof DeliveryStatus>;

/** How an outgoing message fared on a provider channel (SMS, email, WeChat); absent elsewhere. */
export const MessageDelivery = Type.Object({
  status: DeliveryStatus,
  error: Type.Union([Type.String(), Type.Null()], {
    description: 'The provider’s reason (failed or retrying)',
  }),
  parts: Type.Integer({ minimum: 1, description: 'Provider messages the text went out as' }),
  passive: Type.Boolean({ description: 'Answered inside the provider’s own request (WeChat passive reply)' }),
  updatedAt: Timestamp,
});
export type MessageDelivery = Type.Static<typeof MessageDelivery>;

export const MessageTranslation = Type.Object(
  {
    language: Type.String(),
    text: Type.String(),
    machine: Type.Union([Type.Literal('text'), Type.Literal('translation')], {
      description:
        "Which version a machine wrote: 'translation' for a customer message translated for agents, 'text' for an agent reply the customer received translated",
    }),
    provider: Type.String(),
  },
  { description: "Live translation: the agents' version of the message" },
);
export type MessageTranslation = Type.Static<typeof MessageTranslation>;

export const Message = Type.Object({
  id: Id,
  conversationId: Id,
  author: MessageAuthor,
  authorId: Type.Union([Id, Type.Null()], { description: 'The agent (user id) who wrote an agent message' }),
  authorName: Type.Union([Type.String(), Type.Null()], { description: 'Agent name for agent messages' }),
  text: Type.String(),
  attachments: Type.Array(Attachment),
  sources: Type.Optional(
    Type.Array(MessageSource, {
      description:
        'Bot answers from the knowledge base: the passages used, best first (never sent to the customer)',
    }),
  ),
  generatedBy: Type.Optional(Type.Literal('llm', { description: 'Written by the LLM from `sources`' })),
  delivery: Type.Optional(MessageDelivery),
  language: Type.Optional(
    Type.String({ description: 'The language `text` is in (zh-Hans, zh-Hant, yue, en, ja…), when known' }),
  ),
  translation: Type.Optional(MessageTranslation),
  createdAt: Timestamp,
});
export type Message = Type.Static<typeof Message>;

/** Why a conversation went where it went: the rule that decided and the facts it saw. */
export const RoutingRecord = Type.Object({
  ruleId: Type.Union([Type.String(), Type.Null()]),
  ruleName: Type.Union([Type.String(), Type.Null()]),
  target: Type.Union([Type.Literal('bot'), Type.Literal('queue')]),
  queueId: Type.Union([Type.String(), Type.Null()]),
  priority: Priority,
  priorityScore: Type.Integer({ minimum: 0, maximum: 100 }),
  inputs: Type.Record(
    Type.String(),
    Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Array(Type.String()), Type.Null()]),
  ),
  tags: Type.Array(Type.String()),
  notified: Type.Array(Type.String()),
  decidedAt: Timestamp,
});
export type RoutingRecord = Type.Static<typeof RoutingRecord>;

export const Conversation = Type.Object({
  id: Id,
  inboxId: Id,
  channel: ChannelType,
  status: ConversationStatus,
  priority: Priority,
  tags: Type.Array(Type.String()),
  assignee: Type.Union([Type.Object({ id: Id, name: Type.String() }), Type.Null()]),
  customer: Type.Object({
    id: Id,
    name: Type.Union([Type.String(), Type.Null()]),
    externalId: Type.Union([Type.String(), Type.Null()], {
      description: 'The integrator’s id for API-channel customers, else null',
    }),
    phone: Type.Optional(
      Type.Union([Type.String(), Type.Null()], {
        description: 'The customer’s phone on file, masked (138****8000), else null',
      }),
    ),
  }),
  handedOff: Type.Boolean({ description: 'The bot passed this conversation to humans' }),
  routing: Type.Union([RoutingRecord, Type.Null()], { description: 'The latest routing decision' }),
  lastMessage: Type.Union([
    Type.Object({ author: MessageAuthor, text: Type.String(), createdAt: Timestamp }),
    Type.Null(),
  ]),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Conversation = Type.Static<typeof Conversation>;

export const ConversationListQuery = Type.Object(
  {
    assignee: Type.Optional(
      Type.Union([Type.Literal('me'), Type.Literal('unassigned'), Type.Literal('all')], { default: 'all' }),
    ),
    status: Type.Optional(ConversationStatus),
    limit: Type.Optional(Limit),
    cursor: Type.Optional(Cursor),
  },
  { additionalProperties: false },
);
export type ConversationListQuery = Type.Static<typeof ConversationListQuery>;

export const ConversationList = Type.Object({
  conversations: Type.Array(Conversation),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});
export type ConversationList = Type.Static<typeof ConversationList>;

/** Without `before`: the newest `limit` messages. With it: the newest `limit` messages older than that id. */
export const MessageListQuery = Type.Object(
  {
    before: Type.Optional(Id),
    limit: Type.Optional(Limit),
  },
  { additionalProperties: false },
);
/** Oldest first. `hasMore`: older messages exist; ask again with `before` = the first message's id. */
export const MessageList = Type.Object({ messages: Type.Array(Message), hasMore: Type.Boolean() });
export type MessageList = Type.Static<typeof MessageList>;

export const SendMessageBody = Type.Object(
  {
    text: Type.String({ minLength: 1, maxLength: MAX_MESSAGE_TEXT }),
    clientMessageId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  },
  { additionalProperties: false },
);
export type SendMessageBody = Type.Static<typeof SendMessageBody>;

export const AssignBody = Type.Object(
  { assigneeId: Type.Union([Id, Type.Null()]) },
  { additionalProperties: false },
);
export type AssignBody = Type.Static<typeof AssignBody>;

export const StatusBody = Type.Object({ status: ConversationStatus }, { additionalProperties: false });
export type StatusBody = Type.Static<typeof StatusBody>;

/** POST /api/v1/inbound — the API channel for integrators (API key auth). */
export const InboundBody = Type.Object(
  {
    customer: Type.Object(
      {
        externalId: Type.String({ minLength: 1, maxLength: 200 }),
        name: Type.Optional(Type.String({ maxLength: 200 })),
        email: Type.Optional(Type.String({ maxLength: 254 })),
        phone: Type.Optional(Type.String({ maxLength: 32 })),
        verified: Type.Optional(
          Type.Boolean({
            description:
              'true when your system proved the phone and email belong to this customer (a code sent to ' +
              'them, a confirmed address): then they join the customer who proved them on another channel',
          }),
        ),
      },
      { additionalProperties: false },
    ),
    text: Type.String({ minLength: 1, maxLength: MAX_MESSAGE_TEXT }),
    messageId: Type.String({
      minLength: 1,
      maxLength: 200,
      description: 'Your id; retries with the same id are deduplicated',
    }),
    attachments: Type.Optional(Type.Array(Attachment, { maxItems: 10 })),
  },
  { additionalProperties: false },
);
export type InboundBody = Type.Static<typeof InboundBody>;

export const InboundResult = Type.Object({ conversationId: Id, messageId: Id, duplicate: Type.Boolean() });
export type InboundResult = Type.Static<typeof InboundResult>;

/**
 * The answer to `Prefer: respond-async`: the message is durably held and will be stored under
 * `messageId`; its conversation is known only once stored (`conversationId` is given for a resend of a
 * message already stored).
 */
export const InboundAccepted = Type.Object({
  messageId: Id,
  duplicate: Type.Boolean(),
  status: Type.Union([Type.Literal('held'), Type.Literal('stored')]),
  conversationId: Type.Optional(Id),
});
export type InboundAccepted = Type.Static<typeof InboundAccepted>;
