// Agent assist (issue 7): reply suggestions for a customer message, the agent's verdict on them (the
// learning loop) and a conversation's satisfaction survey result.
import Type from 'typebox';
import { Id, Timestamp } from './common.ts';

const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const strict = { additionalProperties: false } as const;

export const SuggestionSourceKind = Type.Union([
  Type.Literal('knowledge'),
  Type.Literal('template'),
  Type.Literal('history'),
]);
export const Suggestion = Type.Object({
  rank: Type.Integer({ minimum: 1, description: '1-based; pinned compliance suggestions come first' }),
  text: Type.String({ description: 'Variables filled for this conversation' }),
  missingVariables: Type.Array(Type.String(), {
    description: 'Variables left as written ({{order.number}})',
  }),
  source: Type.Object({
    kind: SuggestionSourceKind,
    id: Type.String({ description: 'FAQ entry or passage id, reply template id, or history cluster id' }),
    label: Type.String(),
  }),
  pinned: Type.Boolean({ description: 'Compliance wording for the understood intent' }),
  score: Type.Number({ minimum: 0, maximum: 1 }),
});
export type Suggestion = Type.Static<typeof Suggestion>;

export const ConversationSuggestions = Type.Object({
  conversationId: Id,
  messageId: Nullable(Id),
  intent: Nullable(Type.String()),
  suggestions: Type.Array(Suggestion),
  latencyMs: Type.Integer({ minimum: 0, description: 'Time taken to rank them' }),
});
export type ConversationSuggestions = Type.Static<typeof ConversationSuggestions>;

export const SuggestionAction = Type.Union([
  Type.Literal('accepted'),
  Type.Literal('edited'),
  Type.Literal('ignored'),
]);
const feedbackFields = {
  /** The customer message the suggestions answered. */
  messageId: Id,
  latencyMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 600_000 })),
};
/** Ignored: the agent replied without any; accepted (sent unchanged) or edited name the rank and the reply. */
export const SuggestionFeedbackBody = Type.Union([
  Type.Object({ ...feedbackFields, action: Type.Literal('ignored') }, strict),
  Type.Object(
    {
      ...feedbackFields,
      action: Type.Union([Type.Literal('accepted'), Type.Literal('edited')]),
      rank: Type.Integer({ minimum: 1, maximum: 20 }),
      sentMessageId: Id,
    },
    strict,
  ),
]);
export type SuggestionFeedbackBody = Type.Static<typeof SuggestionFeedbackBody>;
export const SuggestionFeedbackResult = Type.Object({
  recorded: Type.Boolean({ description: 'False: this agent’s verdict on the message was recorded before' }),
  action: SuggestionAction,
  editRatio: Nullable(Type.Number({ minimum: 0, maximum: 1 })),
});
export type SuggestionFeedbackResult = Type.Static<typeof SuggestionFeedbackResult>;

export const CsatBody = Type.Object(
  {
    score: Type.Integer({ minimum: 1, maximum: 5 }),
    comment: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
  },
  strict,
);
export type CsatBody = Type.Static<typeof CsatBody>;
export const CsatResult = Type.Object({
  conversationId: Id,
  score: Type.Integer({ minimum: 1, maximum: 5 }),
  comment: Nullable(Type.String()),
  ratedAt: Timestamp,
});
export type CsatResult = Type.Static<typeof CsatResult>;

export const AssistSettingsBody = Type.Object(
  { enabled: Type.Boolean({ description: 'Offer reply suggestions to agents' }) },
  { additionalProperties: false },
);
export type AssistSettingsBody = Type.Static<typeof AssistSettingsBody>;

export const AssistSettingsView = Type.Object({
  enabled: Type.Boolean(),
  enabledAt: Nullable(Type.String({ description: 'When last turned on; null: on since the start' })),
  updatedAt: Nullable(Type.String()),
});
export type AssistSettingsView = Type.Static<typeof AssistSettingsView>;

export const AssistImpactQuery = Type.Object(
  {
    days: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 90, default: 28, description: 'Days compared on each side' }),
    ),
  },
  { additionalProperties: false },
);
export type AssistImpactQuery = Type.Static<typeof AssistImpactQuery>;

const ThroughputWindow = Type.Object({
  from: Type.String(),
  to: Type.String(),
  handled: Type.Integer({ description: 'Conversations agents resolved' }),
  onlineHours: Type.Number(),
  handledPerOnlineHour: Nullable(Type.Number()),
  firstResponseSeconds: Nullable(Type.Number()),
  handleSeconds: Nullable(Type.Number()),
  suggestionsShown: Type.Integer(),
  suggestionAcceptance: Nullable(Type.Number()),
});

export const AssistImpact = Type.Object({
  enabled: Type.Boolean(),
  enabledAt: Nullable(Type.String()),
  timeZone: Type.String(),
  /** Null until assist has been turned on and a whole day has begun since. */
  before: Nullable(ThroughputWindow),
  after: Nullable(ThroughputWindow),
  /** after / before − 1 of conversations per online hour; null without both. */
  change: Nullable(Type.Number()),
  target: Type.Number({ description: 'The brief: +50 %' }),
  status: Type.Union([
    Type.Literal('met'),
    Type.Literal('near'),
    Type.Literal('missed'),
    Type.Literal('no_data'),
  ]),
});
export type AssistImpact = Type.Static<typeof AssistImpact>;
