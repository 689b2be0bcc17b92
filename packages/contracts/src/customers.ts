// One customer across channels: identities, the timeline of every conversation, merges and suggestions.
import Type from 'typebox';
import { Id, Limit, Timestamp } from './common.ts';
import { ChannelType, ConversationStatus, Customer, CustomerIdentity, Message } from './conversations.ts';

export const CustomerIdentityList = Type.Object({ identities: Type.Array(CustomerIdentity) });
export type CustomerIdentityList = Type.Static<typeof CustomerIdentityList>;

export const TimelineQuery = Type.Object(
  {
    after: Type.Optional(Id),
    limit: Type.Optional(Limit),
  },
  { additionalProperties: false },
);

export const TimelineConversation = Type.Object({
  id: Id,
  inboxId: Id,
  inboxName: Type.String(),
  channel: ChannelType,
  status: ConversationStatus,
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type TimelineConversation = Type.Static<typeof TimelineConversation>;

export const TimelineMessage = Type.Object({
  ...Message.properties,
  inboxId: Id,
  inboxName: Type.String(),
  channel: ChannelType,
});
export type TimelineMessage = Type.Static<typeof TimelineMessage>;

/**
 * Every conversation of the customer on every channel, and their messages interleaved oldest first.
 * `hasMore`: later messages exist; ask again with `after` = the last message's id.
 */
export const CustomerTimeline = Type.Object({
  customerId: Id,
  conversations: Type.Array(TimelineConversation),
  messages: Type.Array(TimelineMessage),
  hasMore: Type.Boolean(),
});
export type CustomerTimeline = Type.Static<typeof CustomerTimeline>;

const SuggestedCustomer = Type.Object({
  id: Id,
  name: Type.Union([Type.String(), Type.Null()], { description: 'Masked' }),
  identities: Type.Array(CustomerIdentity),
  conversationCount: Type.Integer({ minimum: 0 }),
});

export const MergeSuggestion = Type.Object({
  id: Id,
  /** The customer the identity was being attached to, and the one already holding it. */
  customer: SuggestedCustomer,
  candidate: SuggestedCustomer,
  identityKind: Type.String({ description: 'The identity both hold: phone, email…' }),
  status: Type.Union([Type.Literal('open'), Type.Literal('merged'), Type.Literal('dismissed')]),
  createdAt: Timestamp,
});
export type MergeSuggestion = Type.Static<typeof MergeSuggestion>;

export const MergeSuggestionQuery = Type.Object(
  { customerId: Type.Optional(Id), limit: Type.Optional(Limit) },
  { additionalProperties: false },
);
export const MergeSuggestionList = Type.Object({ suggestions: Type.Array(MergeSuggestion) });
export type MergeSuggestionList = Type.Static<typeof MergeSuggestionList>;

/** An open suggestion about the two is answered by the merge (closed as merged). */
export const MergeCustomersBody = Type.Object({ absorbedCustomerId: Id }, { additionalProperties: false });
export type MergeCustomersBody = Type.Static<typeof MergeCustomersBody>;

export const MergeResult = Type.Object({
  mergeId: Id,
  customer: Customer,
  absorbedCustomerId: Id,
  moved: Type.Record(Type.String(), Type.Integer({ minimum: 0 })),
});
export type MergeResult = Type.Static<typeof MergeResult>;

/** The per-inbox secret a shop signs widget identities with (see README: signed widget identity). */
export const IdentitySecret = Type.Object({ inboxId: Id, secret: Type.String() });
export type IdentitySecret = Type.Static<typeof IdentitySecret>;
