// The KPI dashboard (issue 12): the brief's indicators over a date range against their targets, with a
// day-by-day trend, filtered by channel, team, agent or intent. Computed from the hourly rollups.
import Type from 'typebox';
import { AnalyticsDay, AnalyticsRange } from './botAnalytics.ts';

export const KpiKey = Type.Union([
  Type.Literal('aiResponseSeconds'),
  Type.Literal('humanResponseSeconds'),
  Type.Literal('pickupWaitSeconds'),
  Type.Literal('handleMinutes'),
  Type.Literal('fcr'),
  Type.Literal('csat'),
  Type.Literal('containment'),
  Type.Literal('complaintClosure'),
  Type.Literal('slaAttainment'),
  Type.Literal('botFallbackRate'),
]);
export type KpiKey = Type.Static<typeof KpiKey>;

export const KpiQuery = Type.Object(
  {
    from: Type.Optional(AnalyticsDay),
    to: Type.Optional(Type.String({ ...AnalyticsDay, description: 'Inclusive; default today' })),
    dimension: Type.Optional(
      Type.Union(
        [Type.Literal('channel'), Type.Literal('queue'), Type.Literal('agent'), Type.Literal('intent')],
        {
          description: 'Narrow to one value of one dimension (with `value`)',
        },
      ),
    ),
    value: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: 'A channel, queue id, agent id or intent' }),
    ),
  },
  { additionalProperties: false },
);
export type KpiQuery = Type.Static<typeof KpiQuery>;

const Value = Type.Union([Type.Number(), Type.Null()], {
  description: 'Seconds, minutes, a 0..1 rate or a 1..5 score; null when nothing happened to compute it from',
});

export const Kpi = Type.Object({
  key: KpiKey,
  value: Value,
  basis: Type.Integer({ description: 'How many facts the value stands on' }),
  target: Type.Object({ kind: Type.Union([Type.Literal('max'), Type.Literal('min')]), value: Type.Number() }),
  status: Type.Union([
    Type.Literal('met'),
    Type.Literal('near'),
    Type.Literal('missed'),
    Type.Literal('no_data'),
  ]),
});

export const KpiReport = Type.Object({
  range: AnalyticsRange,
  kpis: Type.Array(Kpi),
  daily: Type.Array(
    Type.Object({
      day: AnalyticsDay,
      values: Type.Record(Type.String(), Value),
      conversations: Type.Integer(),
    }),
  ),
  hourly: Type.Union(
    [
      Type.Array(
        Type.Object({
          hour: Type.String({ description: "Local time the hour starts, HH:mm in the workspace's zone" }),
          values: Type.Record(Type.String(), Value),
          conversations: Type.Integer(),
        }),
      ),
      Type.Null(),
    ],
    { description: 'For a one-day range, the same by hour; null for longer ranges' },
  ),
  conversations: Type.Integer({ description: 'Conversations started in the range' }),
});
export type KpiReport = Type.Static<typeof KpiReport>;

export const KpiDrilldownQuery = Type.Object(
  {
    kpi: Type.Union(
      [
        Type.Literal('aiResponseSeconds'),
        Type.Literal('humanResponseSeconds'),
        Type.Literal('pickupWaitSeconds'),
        Type.Literal('handleMinutes'),
        Type.Literal('containment'),
        Type.Literal('fcr'),
        Type.Literal('botFallbackRate'),
        Type.Literal('csat'),
        Type.Literal('complaintClosure'),
        Type.Literal('slaAttainment'),
      ],
      { description: 'Any KPI: each drills down to the conversations, complaints or tickets behind it' },
    ),
    from: KpiQuery.properties.from,
    to: KpiQuery.properties.to,
    dimension: KpiQuery.properties.dimension,
    value: KpiQuery.properties.value,
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);
export type KpiDrilldownQuery = Type.Static<typeof KpiDrilldownQuery>;

export const KpiDrilldown = Type.Object({
  kpi: Type.String(),
  range: AnalyticsRange,
  conversations: Type.Array(
    Type.Object({
      conversationId: Type.Union([Type.String(), Type.Null()], {
        description: 'The conversation, or the one the ticket or complaint came from (null: none)',
      }),
      ticketId: Type.Union([Type.String(), Type.Null()], { description: 'slaAttainment: the ticket' }),
      complaintId: Type.Union([Type.String(), Type.Null()], {
        description: 'complaintClosure: the complaint',
      }),
      channel: Type.String({ description: "The conversation's channel; empty without one" }),
      at: Type.String({ format: 'date-time' }),
      value: Type.Number({
        description:
          'Seconds, minutes, a rating (1–5), or 1/0 for contained / resolved at first contact / complaint closed / SLA met',
      }),
      agentId: Type.Union([Type.String(), Type.Null()]),
    }),
    { description: 'Worst first' },
  ),
});
export type KpiDrilldown = Type.Static<typeof KpiDrilldown>;

const TargetValue = (description: string, min: number, max: number) =>
  Type.Optional(Type.Union([Type.Number({ minimum: min, maximum: max, description }), Type.Null()]));

/** Each KPI's own target; null puts back the brief's. Rates are 0–1. */
export const KpiTargetsBody = Type.Object(
  {
    aiResponseSeconds: TargetValue('Seconds, at most', 0.1, 86_400),
    humanResponseSeconds: TargetValue('Seconds, at most', 0.1, 86_400),
    pickupWaitSeconds: TargetValue('Seconds, at most', 0.1, 86_400),
    handleMinutes: TargetValue('Minutes, at most', 0.1, 1_440),
    fcr: TargetValue('Rate 0–1, at least', 0, 1),
    csat: TargetValue('Score 1–5, at least', 1, 5),
    containment: TargetValue('Rate 0–1, at least', 0, 1),
    complaintClosure: TargetValue('Rate 0–1, at least', 0, 1),
    slaAttainment: TargetValue('Rate 0–1, at least', 0, 1),
    botFallbackRate: TargetValue('Rate 0–1, at most', 0, 1),
  },
  { additionalProperties: false },
);
export type KpiTargetsBody = Type.Static<typeof KpiTargetsBody>;

export const KpiTargets = Type.Object({
  targets: Type.Array(
    Type.Object({
      key: KpiKey,
      kind: Type.Union([Type.Literal('max'), Type.Literal('min')]),
      value: Type.Number({ description: 'In force' }),
      default: Type.Number({ description: "The brief's" }),
      custom: Type.Boolean({ description: 'Set by the workspace' }),
    }),
  ),
  updatedAt: Type.Union([Type.String(), Type.Null()]),
});
export type KpiTargets = Type.Static<typeof KpiTargets>;
