// Agent metrics: first response time, handle time, conversations per hour online, suggestion acceptance
// and CSAT, per agent, per queue and per day of a range counted in the workspace's time zone.
import Type from 'typebox';
import { AnalyticsDay, AnalyticsRange } from './botAnalytics.ts';
import { Id } from './common.ts';

export const AgentMetricsQuery = Type.Object(
  {
    from: Type.Optional(AnalyticsDay),
    to: Type.Optional(Type.String({ ...AnalyticsDay, description: 'Inclusive; default today' })),
  },
  { additionalProperties: false },
);
export type AgentMetricsQuery = Type.Static<typeof AgentMetricsQuery>;

const Seconds = (description: string) =>
  Type.Union([Type.Number({ minimum: 0 }), Type.Null()], { description: `${description}; null: none` });

const ActivityFigures = {
  firstResponseSeconds: Seconds('Mean time from the customer waiting for a human to the first agent reply'),
  firstResponses: Type.Integer({ minimum: 0 }),
  handleSeconds: Seconds('Mean time from assignment to resolution'),
  handled: Type.Integer({ minimum: 0, description: 'Conversations resolved while assigned' }),
  csatAverage: Type.Union([Type.Number({ minimum: 1, maximum: 5 }), Type.Null()], {
    description: 'Mean customer rating (1–5) of the conversations resolved; null: no ratings',
  }),
  rated: Type.Integer({ minimum: 0 }),
};

const PresenceFigures = {
  onlineSeconds: Type.Integer({ minimum: 0 }),
  handledPerOnlineHour: Type.Union([Type.Number({ minimum: 0 }), Type.Null()], {
    description: 'handled / hours online; null when not online in the range',
  }),
  suggestionsShown: Type.Integer({ minimum: 0, description: 'Customer messages with suggestions shown' }),
  suggestionAcceptance: Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()], {
    description: '(accepted + edited) / shown; null when none were shown',
  }),
};

export const AgentMetricsRow = Type.Object({
  userId: Id,
  name: Type.String(),
  ...ActivityFigures,
  ...PresenceFigures,
});
export type AgentMetricsRow = Type.Static<typeof AgentMetricsRow>;

export const QueueMetricsRow = Type.Object({
  queueId: Type.Union([Id, Type.Null()], { description: "null: the workspace's default (no queue)" }),
  name: Type.Union([Type.String(), Type.Null()]),
  ...ActivityFigures,
});
export type QueueMetricsRow = Type.Static<typeof QueueMetricsRow>;

export const AgentMetrics = Type.Object({
  range: AnalyticsRange,
  /** everyone: the caller may see the whole team; self: only their own row (and their share of queues). */
  scope: Type.Union([Type.Literal('everyone'), Type.Literal('self')]),
  agents: Type.Array(AgentMetricsRow),
  queues: Type.Array(QueueMetricsRow),
  daily: Type.Array(Type.Object({ day: AnalyticsDay, ...ActivityFigures })),
  totals: Type.Object({ ...ActivityFigures, ...PresenceFigures }),
});
export type AgentMetrics = Type.Static<typeof AgentMetrics>;
