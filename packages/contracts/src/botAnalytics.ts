// Bot analytics: containment, fallback rate, hand-off reasons, daily series and the questions the bot
// could not answer, grouped by meaning so the owner can turn each group into a new FAQ entry.
import Type from 'typebox';
import { Id, Timestamp } from './common.ts';

export const AnalyticsDay = Type.String({
  pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$',
  description: "A day in the workspace's time zone, YYYY-MM-DD",
});

export const BotAnalyticsQuery = Type.Object(
  {
    from: Type.Optional(AnalyticsDay),
    to: Type.Optional(Type.String({ ...AnalyticsDay, description: 'Inclusive; default today' })),
  },
  { additionalProperties: false },
);
export type BotAnalyticsQuery = Type.Static<typeof BotAnalyticsQuery>;

const Rate = Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()], {
  description: '0..1; null when there is nothing to divide by',
});

export const AnalyticsRange = Type.Object({
  from: AnalyticsDay,
  to: AnalyticsDay,
  timeZone: Type.String({ description: 'IANA zone the days are counted in' }),
});

export const BotAnalytics = Type.Object({
  range: AnalyticsRange,
  conversations: Type.Object({
    handled: Type.Integer({ description: 'Conversations with at least one bot turn in the range' }),
    contained: Type.Integer({
      description: 'Ended (resolved, or idle 30 min) without a hand-off or agent message',
    }),
    escalated: Type.Integer({ description: 'Handed off, or an agent wrote' }),
    ongoing: Type.Integer({ description: 'Neither yet' }),
  }),
  containmentRate: Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()], {
    description: 'contained / (contained + escalated)',
  }),
  turns: Type.Integer(),
  fallbackRate: Rate,
  handoffs: Type.Integer({ description: 'Turns that handed off' }),
  outcomes: Type.Object({
    answered: Type.Integer(),
    clarified: Type.Integer(),
    fallback: Type.Integer(),
    handed_off: Type.Integer(),
    form_step: Type.Integer(),
    action: Type.Integer(),
  }),
  handoffReasons: Type.Array(Type.Object({ reason: Type.String(), count: Type.Integer() })),
  topAnswers: Type.Array(
    Type.Object({
      target: Type.String({ description: '`faq:<id>` or an intent name' }),
      label: Type.Union([Type.String(), Type.Null()]),
      count: Type.Integer(),
    }),
  ),
  daily: Type.Array(
    Type.Object({
      day: AnalyticsDay,
      turns: Type.Integer(),
      conversations: Type.Integer(),
      answered: Type.Integer(),
      fallbacks: Type.Integer(),
      handoffs: Type.Integer(),
    }),
  ),
});
export type BotAnalytics = Type.Static<typeof BotAnalytics>;

export const UnansweredQuery = Type.Object(
  {
    from: Type.Optional(AnalyticsDay),
    to: Type.Optional(AnalyticsDay),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50, description: 'Clusters' })),
    reveal: Type.Optional(
      Type.Boolean({
        description: 'Show phone numbers and emails unmasked (needs the reveal permission; audited)',
      }),
    ),
  },
  { additionalProperties: false },
);
export type UnansweredQuery = Type.Static<typeof UnansweredQuery>;

export const UnansweredCluster = Type.Object({
  id: Type.String({ description: "The representative question's turn id" }),
  representative: Type.String({ description: 'The question that best stands for the cluster' }),
  count: Type.Integer(),
  examples: Type.Array(Type.String(), { maxItems: 5, description: 'Other questions of the cluster' }),
  lastSeen: Timestamp,
  turnIds: Type.Array(Id, { description: 'Every question of the cluster (for dismissing it)' }),
});
export type UnansweredCluster = Type.Static<typeof UnansweredCluster>;

export const UnansweredClusters = Type.Object({
  range: AnalyticsRange,
  clusters: Type.Array(UnansweredCluster),
  /** Questions considered (the newest ones when there were more than the analysis reads). */
  questions: Type.Integer(),
  truncated: Type.Boolean(),
  /** Phone numbers and emails inside the questions are masked unless the caller may reveal them. */
  masked: Type.Boolean(),
});
export type UnansweredClusters = Type.Static<typeof UnansweredClusters>;

export const DismissUnansweredBody = Type.Object(
  { turnIds: Type.Array(Id, { minItems: 1, maxItems: 1000, uniqueItems: true }) },
  { additionalProperties: false },
);
export type DismissUnansweredBody = Type.Static<typeof DismissUnansweredBody>;

export const DismissedUnanswered = Type.Object({ dismissed: Type.Integer() });
export type DismissedUnanswered = Type.Static<typeof DismissedUnanswered>;
