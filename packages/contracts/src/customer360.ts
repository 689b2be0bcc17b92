// Agent assist (issue 7): the customer 360 overview, agents' notes on a customer, and the hand-off card.
import Type from 'typebox';
import { Id, Timestamp } from './common.ts';
import { ChannelType, ConversationStatus, CustomerIdentity, MessageSource } from './conversations.ts';
import { CustomerProfile } from './routing.ts';

const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** A note as stored: shown in full to agents (they wrote it), and exported to the customer. */
export const CustomerNote = Type.Object({
  id: Id,
  customerId: Id,
  authorUserId: Id,
  authorName: Nullable(Type.String()),
  body: Type.String(),
  createdAt: Timestamp,
});
export type CustomerNote = Type.Static<typeof CustomerNote>;

export const NOTE_MAX_CHARS = 2000;
export const CustomerNoteBody = Type.Object(
  { body: Type.String({ minLength: 1, maxLength: NOTE_MAX_CHARS, pattern: '\\S' }) },
  { additionalProperties: false },
);
export type CustomerNoteBody = Type.Static<typeof CustomerNoteBody>;
export const CustomerNoteParams = Type.Object({ id: Id, noteId: Id });
export type CustomerNoteParams = Type.Static<typeof CustomerNoteParams>;
export const CustomerNoteList = Type.Object({ notes: Type.Array(CustomerNote) });
export type CustomerNoteList = Type.Static<typeof CustomerNoteList>;

export const OverviewOrder = Type.Object({
  number: Type.String(),
  status: Type.String(),
  carrier: Nullable(Type.String()),
  trackingNumber: Nullable(Type.String()),
  items: Type.Array(Type.Object({ name: Type.String(), quantity: Type.Optional(Type.Integer()) })),
  total: Nullable(Type.String()),
  /** Where the customer's link to the order came from: the phone on the order, or their own words. */
  via: Type.Union([Type.Literal('phone'), Type.Literal('conversation'), Type.Literal('ticket')]),
});
export type OverviewOrder = Type.Static<typeof OverviewOrder>;

export const ConversationOutcome = Type.Union([
  Type.Literal('resolved'),
  Type.Literal('handed_off'),
  Type.Literal('bot_answered'),
  Type.Literal('open'),
]);
export type ConversationOutcome = Type.Static<typeof ConversationOutcome>;

export const OverviewConversation = Type.Object({
  id: Id,
  channel: ChannelType,
  inboxName: Type.String(),
  status: ConversationStatus,
  outcome: ConversationOutcome,
  /** What the bot understood the customer wanted most recently (the intent or FAQ's name). */
  intent: Nullable(Type.String()),
  csat: Nullable(Type.Integer()),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type OverviewConversation = Type.Static<typeof OverviewConversation>;

export const CustomerOverview = Type.Object({
  customer: Type.Object({
    id: Id,
    name: Nullable(Type.String()),
    email: Nullable(Type.String()),
    phone: Nullable(Type.String()),
    createdAt: Timestamp,
  }),
  /** The id asked about, when it was merged into this customer since. */
  requestedId: Id,
  identities: Type.Array(CustomerIdentity),
  value: Nullable(CustomerProfile),
  orders: Type.Object({
    source: Type.Union([Type.Literal('orders'), Type.Literal('connector')]),
    items: Type.Array(OverviewOrder),
    /** The connector failed for some of the orders (they are left out). */
    unavailable: Type.Integer(),
  }),
  conversations: Type.Array(OverviewConversation),
  tickets: Type.Array(
    Type.Object({
      id: Id,
      number: Type.String(),
      type: Type.String(),
      status: Type.String(),
      conversationId: Nullable(Id),
      createdAt: Timestamp,
    }),
  ),
  lastCsat: Nullable(
    Type.Object({
      conversationId: Id,
      score: Type.Integer(),
      comment: Nullable(Type.String()),
      at: Timestamp,
    }),
  ),
  notes: Type.Array(CustomerNote),
});
export type CustomerOverview = Type.Static<typeof CustomerOverview>;

export const HandoffCard = Type.Object({
  conversationId: Id,
  handedOffAt: Nullable(Timestamp),
  reason: Nullable(Type.String()),
  intents: Type.Array(
    Type.Object({
      target: Type.String(),
      label: Nullable(Type.String()),
      confidence: Type.Number({ minimum: 0, maximum: 1 }),
      turns: Type.Integer(),
    }),
  ),
  sentiment: Type.Object({
    points: Type.Array(Type.Object({ messageId: Id, score: Type.Number(), at: Timestamp })),
    direction: Type.Union([Type.Literal('improving'), Type.Literal('worsening'), Type.Literal('steady')]),
  }),
  /** Slot name → value; personal ones (phone, email, names) masked. */
  slots: Type.Record(Type.String(), Type.String()),
  botAnswers: Type.Array(
    Type.Object({
      messageId: Id,
      text: Type.String(),
      sources: Type.Array(MessageSource),
      generated: Type.Boolean(),
      at: Timestamp,
    }),
  ),
  summary: Type.Object({
    kind: Type.Union([Type.Literal('llm'), Type.Literal('extractive')]),
    text: Type.String(),
    fallbackReason: Nullable(Type.String()),
    language: Type.Union([Type.Literal('zh'), Type.Literal('en')]),
  }),
  computedAt: Timestamp,
});
export type HandoffCard = Type.Static<typeof HandoffCard>;
