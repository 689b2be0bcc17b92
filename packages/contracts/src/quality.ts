// Automated quality inspection (智能质检, issue 12): the ruleset a supervisor edits, the results of every
// conversation and call with their evidence, agents' scorecards, the review queue and appeals.
import Type from 'typebox';
import { Id, Limit, Timestamp } from './common.ts';

const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const closed = { additionalProperties: false } as const;

const Phrase = Type.String({ minLength: 1, maxLength: 40 });
const Phrases = (min = 0) => Type.Array(Phrase, { minItems: min, maxItems: 100 });
const Seconds = Type.Integer({ minimum: 1, maximum: 86_400 });

const ruleOf = <K extends string, P extends Type.TProperties>(kind: K, params: P) =>
  Type.Object(
    {
      id: Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{0,39}$' }),
      name: Type.String({ minLength: 1, maxLength: 60 }),
      kind: Type.Literal(kind),
      weight: Type.Integer({ minimum: 0, maximum: 100, description: 'Points taken off 100 when broken' }),
      enabled: Type.Boolean(),
      params: Type.Object(params, closed),
    },
    closed,
  );

export const QualityRule = Type.Union([
  ruleOf('forbidden_phrase', {
    phrases: Phrases(1),
    speakers: Type.Array(Type.Union([Type.Literal('agent'), Type.Literal('bot')]), {
      minItems: 1,
      maxItems: 2,
    }),
  }),
  ruleOf('required_phrase', {
    phrases: Phrases(1),
    position: Type.Union([Type.Literal('opening'), Type.Literal('closing'), Type.Literal('anywhere')]),
    messages: Type.Integer({ minimum: 0, maximum: 50 }),
    whenCustomerSays: Phrases(),
  }),
  ruleOf('response_time', { seconds: Seconds }),
  ruleOf('anger_not_deescalated', {
    minPeak: Type.Number({ minimum: 0, maximum: 1 }),
    minDrop: Type.Number({ minimum: 0, maximum: 1 }),
  }),
  ruleOf('negative_tone', {
    maxScore: Type.Number({ minimum: -1, maximum: 1 }),
    minAnger: Type.Number({ minimum: 0, maximum: 1 }),
    phrases: Phrases(),
  }),
  ruleOf('call_interruption', {
    minOverlapMs: Type.Integer({ minimum: 100, maximum: 60_000 }),
    allowed: Type.Integer({ minimum: 0, maximum: 100 }),
  }),
  ruleOf('call_silence', { seconds: Seconds }),
  ruleOf('call_hold', { seconds: Seconds }),
  ruleOf('bot_repeated_fallback', {
    fallbacks: Type.Integer({ minimum: 1, maximum: 20 }),
    offerPhrases: Phrases(),
  }),
  ruleOf('bot_ignored_human_request', { phrases: Phrases(1) }),
]);
export type QualityRule = Type.Static<typeof QualityRule>;

export const QualitySampling = Type.Object(
  {
    randomPercent: Type.Number({ minimum: 0, maximum: 100 }),
    reviewBelow: Type.Integer({ minimum: 0, maximum: 100 }),
  },
  closed,
);

export const QualityRulesetBody = Type.Object(
  { rules: Type.Array(QualityRule, { maxItems: 50 }), sampling: QualitySampling },
  closed,
);
export type QualityRulesetBody = Type.Static<typeof QualityRulesetBody>;

export const QualityRulesetView = Type.Object({
  /** 0: the default ruleset, never saved. */
  version: Type.Integer({ minimum: 0 }),
  rules: Type.Array(QualityRule),
  sampling: QualitySampling,
  updatedAt: Nullable(Timestamp),
  updatedBy: Nullable(Type.String()),
});
export type QualityRulesetView = Type.Static<typeof QualityRulesetView>;

const RuleKind = Type.String();
const Subject = Type.Union([Type.Literal('conversation'), Type.Literal('call')]);

export const QualityViolationView = Type.Object({
  ruleId: Type.String(),
  /** The rule's name when scored. */
  name: Type.Optional(Type.String()),
  kind: RuleKind,
  deducted: Type.Number(),
  hits: Type.Integer(),
});

export const QualityResultView = Type.Object({
  id: Type.String(),
  subject: Subject,
  subjectId: Type.String(),
  conversationId: Type.String(),
  agentId: Nullable(Type.String()),
  agentName: Nullable(Type.String()),
  channel: Type.String(),
  score: Type.Integer(),
  adjustedScore: Nullable(Type.Integer()),
  /** The score that counts: adjusted by an accepted appeal, else as scored. */
  effectiveScore: Type.Integer(),
  violations: Type.Array(QualityViolationView),
  rulesetVersion: Type.Integer(),
  endedAt: Timestamp,
  scoredAt: Timestamp,
});
export type QualityResultView = Type.Static<typeof QualityResultView>;

export const QualityResultsQuery = Type.Object(
  {
    from: Type.Optional(Timestamp),
    to: Type.Optional(Timestamp),
    agentId: Type.Optional(Type.String({ maxLength: 64 })),
    subject: Type.Optional(Subject),
    maxScore: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
    ruleId: Type.Optional(Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{0,39}$' })),
    before: Type.Optional(Id),
    limit: Type.Optional(Limit),
  },
  closed,
);
export type QualityResultsQuery = Type.Static<typeof QualityResultsQuery>;

export const QualityResultList = Type.Object({ results: Type.Array(QualityResultView) });

export const QualityHitView = Type.Object({
  ruleId: Type.String(),
  kind: RuleKind,
  messageId: Nullable(Type.String()),
  seq: Nullable(Type.Integer()),
  from: Nullable(Type.Number()),
  to: Nullable(Type.Number()),
  match: Nullable(Type.Array(Type.Integer(), { minItems: 2, maxItems: 2 })),
  /** The evidence's words around the match; empty when the message is gone (erased) or there are none. */
  excerpt: Type.String(),
  value: Nullable(Type.Number()),
});

export const QualityLineView = Type.Object({
  messageId: Nullable(Type.String()),
  seq: Nullable(Type.Integer()),
  speaker: Type.Union([Type.Literal('customer'), Type.Literal('agent'), Type.Literal('bot')]),
  text: Type.String(),
  /** Epoch ms (a conversation) or ms since the call started. */
  startMs: Type.Number(),
  endMs: Type.Number(),
});

export const QualityReviewView = Type.Object({
  id: Type.String(),
  resultId: Type.String(),
  reason: Type.Union([Type.Literal('random'), Type.Literal('low_score')]),
  status: Type.Union([Type.Literal('pending'), Type.Literal('done')]),
  reviewerId: Nullable(Type.String()),
  reviewerScore: Nullable(Type.Integer()),
  comment: Nullable(Type.String()),
  createdAt: Timestamp,
  reviewedAt: Nullable(Timestamp),
});

const AppealStatus = Type.Union([
  Type.Literal('pending'),
  Type.Literal('accepted'),
  Type.Literal('rejected'),
]);
export const QualityAppealView = Type.Object({
  id: Type.String(),
  resultId: Type.String(),
  agentId: Type.String(),
  agentName: Nullable(Type.String()),
  reason: Type.String(),
  status: AppealStatus,
  decidedBy: Nullable(Type.String()),
  decidedAt: Nullable(Timestamp),
  note: Nullable(Type.String()),
  adjustedScore: Nullable(Type.Integer()),
  createdAt: Timestamp,
});

export const QualityResultDetail = Type.Object({
  result: QualityResultView,
  hits: Type.Array(QualityHitView),
  /** What was said, in order (empty when erased), for highlighting the hits in place. */
  lines: Type.Array(QualityLineView),
  review: Nullable(QualityReviewView),
  appeals: Type.Array(QualityAppealView),
  /** Rule names of the ruleset's current version, for showing ids as names. */
  ruleNames: Type.Record(Type.String(), Type.String()),
});
export type QualityResultDetail = Type.Static<typeof QualityResultDetail>;

const RuleCountView = Type.Object({ ruleId: Type.String(), count: Type.Integer(), rate: Type.Number() });
const TrendPointView = Type.Object({ day: Type.String(), average: Type.Number(), count: Type.Integer() });
export const ScorecardView = Type.Object({
  agentId: Nullable(Type.String()),
  name: Nullable(Type.String()),
  count: Type.Integer(),
  average: Nullable(Type.Number()),
  below: Type.Integer(),
  worstRules: Type.Array(RuleCountView),
  trend: Type.Array(TrendPointView),
});

export const QualityRangeQuery = Type.Object(
  { from: Type.Optional(Timestamp), to: Type.Optional(Timestamp) },
  closed,
);

export const QualityScorecards = Type.Object({
  from: Timestamp,
  to: Timestamp,
  scope: Type.Union([Type.Literal('everyone'), Type.Literal('self')]),
  reviewBelow: Type.Integer(),
  agents: Type.Array(ScorecardView),
  ruleNames: Type.Record(Type.String(), Type.String()),
});
export type QualityScorecards = Type.Static<typeof QualityScorecards>;

export const QualitySummaryView = Type.Object({
  from: Timestamp,
  to: Timestamp,
  count: Type.Integer(),
  average: Nullable(Type.Number()),
  below: Type.Integer(),
  conversations: Type.Integer(),
  calls: Type.Integer(),
  topRules: Type.Array(RuleCountView),
  agents: Type.Array(ScorecardView),
  trend: Type.Array(TrendPointView),
  ruleNames: Type.Record(Type.String(), Type.String()),
});
export type QualitySummaryView = Type.Static<typeof QualitySummaryView>;

export const QualityReviewQuery = Type.Object(
  {
    status: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('done')])),
    limit: Type.Optional(Limit),
  },
  closed,
);

export const QualityReviewItem = Type.Object({ review: QualityReviewView, result: QualityResultView });
export const QualityReviewList = Type.Object({ reviews: Type.Array(QualityReviewItem) });

export const QualityReviewBody = Type.Object(
  {
    score: Type.Integer({ minimum: 0, maximum: 100 }),
    comment: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
  },
  closed,
);
export type QualityReviewBody = Type.Static<typeof QualityReviewBody>;

export const QualityAppealBody = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 1000 }) },
  closed,
);

export const QualityAppealQuery = Type.Object(
  { status: Type.Optional(AppealStatus), limit: Type.Optional(Limit) },
  closed,
);
export const QualityAppealList = Type.Object({ appeals: Type.Array(QualityAppealView) });

const DecisionNote = Type.Optional(Nullable(Type.String({ maxLength: 1000 })));
export const QualityAppealDecisionBody = Type.Union([
  Type.Object(
    {
      decision: Type.Literal('accepted'),
      /** The score that counts from now on. */
      score: Type.Integer({ minimum: 0, maximum: 100 }),
      note: DecisionNote,
    },
    closed,
  ),
  Type.Object({ decision: Type.Literal('rejected'), note: DecisionNote }, closed),
]);
export type QualityAppealDecisionBody = Type.Static<typeof QualityAppealDecisionBody>;

export type QualityHitView = Type.Static<typeof QualityHitView>;
export type QualityLineView = Type.Static<typeof QualityLineView>;
export type QualityReviewView = Type.Static<typeof QualityReviewView>;
export type QualityAppealView = Type.Static<typeof QualityAppealView>;
export type ScorecardView = Type.Static<typeof ScorecardView>;
export type QualityReviewItem = Type.Static<typeof QualityReviewItem>;
