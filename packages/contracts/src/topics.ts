// Topic and emotion reports (issue 12): the period's high-frequency problems mined from customers'
// words, rising topics against the previous period of the same length, and customer emotion over time.
import Type from 'typebox';
import { AnalyticsDay, AnalyticsRange } from './botAnalytics.ts';

const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const TopicsQuery = Type.Object(
  {
    from: Type.Optional(AnalyticsDay),
    to: Type.Optional(Type.String({ ...AnalyticsDay, description: 'Inclusive; default today' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 20, description: 'Topics' })),
  },
  { additionalProperties: false },
);
export type TopicsQuery = Type.Static<typeof TopicsQuery>;

export const TopicMood = Nullable(
  Type.Object({
    average: Type.Number({ minimum: -1, maximum: 1, description: 'Mean sentiment score, -1…1' }),
    negative: Type.Number({ minimum: 0, maximum: 1, description: 'Share of negative messages' }),
  }),
);

export const Topic = Type.Object({
  key: Type.String({ description: 'The same for a topic with the same top phrases in another period' }),
  label: Type.String({ description: 'Its top key phrases, joined by " · "' }),
  phrases: Type.Array(Type.Object({ phrase: Type.String(), count: Type.Integer() }), { maxItems: 5 }),
  size: Type.Integer({ description: 'Messages analysed that belong to it' }),
  share: Type.Number({ minimum: 0, maximum: 1, description: 'Of the messages analysed' }),
  estimated: Type.Integer({ description: "share × the period's messages (equals size unless sampled)" }),
  examples: Type.Array(
    Type.Object({ id: Type.String(), conversationId: Type.String(), text: Type.String() }),
    {
      maxItems: 5,
      description: 'The messages nearest its centre, phone numbers and emails masked',
    },
  ),
  intents: Type.Array(
    Type.Object({ intent: Type.String(), label: Nullable(Type.String()), count: Type.Integer() }),
    { maxItems: 5 },
  ),
  products: Type.Array(Type.Object({ name: Type.String(), count: Type.Integer() }), { maxItems: 5 }),
  orders: Type.Array(Type.Object({ number: Type.String(), count: Type.Integer() }), { maxItems: 10 }),
  mood: TopicMood,
  previous: Type.Integer({
    description: 'Messages of the previous period matched to it (sampled like this one)',
  }),
  growth: Nullable(
    Type.Number({ description: 'Growth of its share against the previous period; null if new' }),
  ),
  z: Type.Number({ description: 'Standard score of the change (≥ 1.96 is more than chance)' }),
  rising: Type.Boolean(),
});
export type Topic = Type.Static<typeof Topic>;

export const TopicReport = Type.Object({
  range: AnalyticsRange,
  previous: Type.Object({ from: AnalyticsDay, to: AnalyticsDay, messages: Type.Integer() }),
  messages: Type.Integer({ description: "The period's customer messages and callers' words to agents" }),
  analysed: Type.Integer({ description: 'Of those, read and mined (an even sample when there are more)' }),
  clustered: Type.Integer({ description: 'Analysed messages that fell into a topic' }),
  topics: Type.Array(Topic, { description: 'Largest first' }),
  rising: Type.Array(Type.String(), { description: 'Keys of the rising topics, most significant first' }),
  computedAt: Type.String({ format: 'date-time' }),
});
export type TopicReport = Type.Static<typeof TopicReport>;

export const EmotionQuery = Type.Object(
  {
    from: Type.Optional(AnalyticsDay),
    to: Type.Optional(Type.String({ ...AnalyticsDay, description: 'Inclusive; default today' })),
    interval: Type.Optional(
      Type.Union([Type.Literal('day'), Type.Literal('week')], { default: 'day', description: 'Bucket size' }),
    ),
  },
  { additionalProperties: false },
);
export type EmotionQuery = Type.Static<typeof EmotionQuery>;

const EmotionCounts = {
  messages: Type.Integer(),
  average: Type.Number({ minimum: -1, maximum: 1, description: 'Mean sentiment score' }),
  positive: Type.Integer(),
  neutral: Type.Integer(),
  negative: Type.Integer(),
  angry: Type.Integer({ description: 'Messages with anger ≥ 0.5' }),
  anger: Type.Number({ minimum: 0, maximum: 1, description: 'Mean anger' }),
};

export const EmotionTrend = Type.Object({
  range: AnalyticsRange,
  interval: Type.Union([Type.Literal('day'), Type.Literal('week')]),
  messages: Type.Integer(),
  analysed: Type.Integer(),
  buckets: Type.Array(
    Type.Object({
      bucket: Type.String({ description: 'The day, or the Monday of the week' }),
      ...EmotionCounts,
    }),
  ),
  totals: Type.Object(EmotionCounts),
  conversations: Type.Object({
    count: Type.Integer(),
    improved: Type.Integer({ description: 'Ended clearly more positive than they started' }),
    worsened: Type.Integer(),
    steady: Type.Integer(),
  }),
  mostNegative: Type.Array(
    Type.Object({
      conversationId: Type.String(),
      messages: Type.Integer(),
      average: Type.Number(),
      lowest: Type.Number(),
      peakAnger: Type.Number(),
      mood: Type.Union([Type.Literal('improved'), Type.Literal('worsened'), Type.Literal('steady')]),
    }),
    { maxItems: 10 },
  ),
  computedAt: Type.String({ format: 'date-time' }),
});
export type EmotionTrend = Type.Static<typeof EmotionTrend>;
