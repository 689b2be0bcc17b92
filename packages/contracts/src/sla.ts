// SLA on business hours (issue 10): the workspace's business calendar with China's statutory holidays
// and 调休 days, SLA policies, a ticket's SLA clocks and the SLA report, as the console and API see them.
import Type from 'typebox';
import { BusinessHoursPeriod } from './botSettings.ts';
import { Id, Timestamp } from './common.ts';

const closed = { additionalProperties: false } as const;
const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const CalendarDate = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}$',
  description: 'Local date, YYYY-MM-DD',
});

export const SlaCalendarOverride = Type.Object(
  {
    date: CalendarDate,
    kind: Type.Union([Type.Literal('holiday'), Type.Literal('workday'), Type.Literal('regular')], {
      description: 'holiday: a day off; workday: a working day (调休); regular: cancels a built-in day',
    }),
    name: Type.String({ maxLength: 60 }),
  },
  closed,
);

export const SlaCalendarBody = Type.Object(
  {
    timeZone: Type.String({ minLength: 1, maxLength: 64, description: 'IANA zone, e.g. Asia/Shanghai' }),
    periods: Type.Array(BusinessHoursPeriod, { maxItems: 14 }),
    chinaHolidays: Type.Boolean({ description: "China's statutory holidays and make-up working days apply" }),
    overrides: Type.Array(SlaCalendarOverride, { maxItems: 500 }),
  },
  closed,
);
export type SlaCalendarBody = Type.Static<typeof SlaCalendarBody>;

export const SlaCalendarDay = Type.Object({
  date: CalendarDate,
  kind: Type.Union([Type.Literal('holiday'), Type.Literal('workday')]),
  name: Type.String(),
});

export const SlaCalendarQuery = Type.Object(
  { year: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2100 })) },
  closed,
);

export const SlaCalendarView = Type.Object({
  ...SlaCalendarBody.properties,
  updatedAt: Nullable(Timestamp),
  year: Type.Integer(),
  /** Every dated exception of the year: built-in statutory days (when on) with the workspace's edits. */
  days: Type.Array(SlaCalendarDay),
  /** The years the built-in statutory calendar knows. */
  builtInYears: Type.Array(Type.Integer()),
});
export type SlaCalendarView = Type.Static<typeof SlaCalendarView>;

export const SlaMetric = Type.Union([
  Type.Literal('first_response'),
  Type.Literal('next_response'),
  Type.Literal('resolution'),
]);
const Priority = Type.Union([
  Type.Literal('low'),
  Type.Literal('normal'),
  Type.Literal('high'),
  Type.Literal('urgent'),
]);
const Tier = Type.Union([Type.Literal('vip'), Type.Literal('regular'), Type.Literal('new')]);
const Minutes = Nullable(
  Type.Integer({ minimum: 1, maximum: 525_600, description: 'Minutes; null = no target' }),
);

export const SlaPolicyBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 80 }),
    conditions: Type.Object(
      {
        priority: Nullable(Priority),
        category: Nullable(Type.String({ minLength: 1, maxLength: 80 })),
        customerTier: Nullable(Tier),
      },
      closed,
    ),
    targets: Type.Object({ first_response: Minutes, next_response: Minutes, resolution: Minutes }, closed),
    businessHours: Type.Boolean({ description: 'true: counted on the business calendar; false: 24×7' }),
    escalation: Type.Object(
      {
        notifySupervisors: Type.Boolean(),
        raisePriority: Type.Boolean(),
        reassignToUserId: Nullable(Id),
      },
      closed,
    ),
    enabled: Type.Boolean(),
  },
  closed,
);
export type SlaPolicyBody = Type.Static<typeof SlaPolicyBody>;

export const SlaPolicyView = Type.Object({
  id: Id,
  ...SlaPolicyBody.properties,
  position: Type.Integer(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type SlaPolicyView = Type.Static<typeof SlaPolicyView>;
export const SlaPolicyList = Type.Object({ policies: Type.Array(SlaPolicyView) });
export type SlaPolicyList = Type.Static<typeof SlaPolicyList>;

export const SlaClockView = Type.Object({
  id: Id,
  metric: SlaMetric,
  cycle: Type.Integer(),
  state: Type.Union([
    Type.Literal('running'),
    Type.Literal('paused'),
    Type.Literal('met'),
    Type.Literal('breached'),
  ]),
  targetMinutes: Type.Integer(),
  businessHours: Type.Boolean(),
  /** Business minutes used so far. */
  elapsedMinutes: Type.Number(),
  startedAt: Timestamp,
  dueAt: Nullable(Timestamp),
  warnedAt: Nullable(Timestamp),
  breachedAt: Nullable(Timestamp),
  stoppedAt: Nullable(Timestamp),
});
export const TicketSlaView = Type.Object({ ticketId: Id, clocks: Type.Array(SlaClockView) });
export type TicketSlaView = Type.Static<typeof TicketSlaView>;

export const SlaReportQuery = Type.Object({ from: Timestamp, to: Timestamp }, closed);

const Counts = {
  met: Type.Integer({ minimum: 0 }),
  breached: Type.Integer({ minimum: 0 }),
  open: Type.Integer({ minimum: 0 }),
  /** met / (met + breached); null when none finished. */
  metRate: Nullable(Type.Number()),
};
export const SlaReport = Type.Object({
  from: Timestamp,
  to: Timestamp,
  byMetric: Type.Array(Type.Object({ metric: SlaMetric, ...Counts })),
  byPriority: Type.Array(Type.Object({ metric: SlaMetric, priority: Priority, ...Counts })),
  byCategory: Type.Array(Type.Object({ metric: SlaMetric, category: Nullable(Type.String()), ...Counts })),
});
export type SlaReport = Type.Static<typeof SlaReport>;
