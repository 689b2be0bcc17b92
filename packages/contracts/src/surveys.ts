// Follow-up surveys (settings, results, the CSAT summary, the public survey page's API) and complaints
// (the board, closing, the closure KPI), as the console, the API and the survey page see them.
import Type from 'typebox';
import { Id, Timestamp } from './common.ts';

const closed = { additionalProperties: false } as const;
const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const TimeOfDay = Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$', description: 'HH:MM' });

export const SurveySettingsBody = Type.Object(
  {
    enabled: Type.Boolean(),
    delayMinutes: Type.Integer({
      minimum: 0,
      maximum: 720,
      description: 'After the resolution; with quiet hours the survey still leaves within 24 h',
    }),
    timeZone: Type.String({ minLength: 1, maxLength: 64, description: 'IANA zone of the quiet hours' }),
    quietHours: Nullable(Type.Object({ start: TimeOfDay, end: TimeOfDay }, closed)),
    minDaysBetween: Type.Integer({
      minimum: 0,
      maximum: 365,
      description: 'At most one survey per customer',
    }),
    linkTtlHours: Type.Integer({ minimum: 1, maximum: 720 }),
  },
  closed,
);
export type SurveySettingsBody = Type.Static<typeof SurveySettingsBody>;
export const SurveySettingsView = Type.Object({
  ...SurveySettingsBody.properties,
  updatedAt: Nullable(Timestamp),
});
export type SurveySettingsView = Type.Static<typeof SurveySettingsView>;

export const SurveyStatus = Type.Union([
  Type.Literal('scheduled'),
  Type.Literal('sent'),
  Type.Literal('answered'),
  Type.Literal('skipped'),
]);

export const SurveyView = Type.Object({
  id: Id,
  customerId: Id,
  conversationId: Nullable(Id),
  ticketId: Nullable(Id),
  trigger: Type.Union([Type.Literal('conversation'), Type.Literal('ticket')]),
  channel: Nullable(Type.String()),
  status: SurveyStatus,
  skipReason: Nullable(Type.String()),
  dueAt: Timestamp,
  sentAt: Nullable(Timestamp),
  score: Nullable(Type.Integer({ minimum: 1, maximum: 5 })),
  comment: Nullable(Type.String()),
  answeredAt: Nullable(Timestamp),
  answeredVia: Nullable(Type.String()),
  negative: Nullable(Type.Boolean()),
  complaintId: Nullable(Id),
  createdAt: Timestamp,
});
export type SurveyView = Type.Static<typeof SurveyView>;

export const SurveyListQuery = Type.Object(
  {
    status: Type.Optional(SurveyStatus),
    customerId: Type.Optional(Id),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  closed,
);
export const SurveyList = Type.Object({ surveys: Type.Array(SurveyView) });

export const RangeQuery = Type.Object(
  { from: Type.Optional(Timestamp), to: Type.Optional(Timestamp) },
  closed,
);

const Rate = Nullable(Type.Number({ minimum: 0, maximum: 1 }));
export const CsatSummaryView = Type.Object({
  from: Timestamp,
  to: Timestamp,
  sent: Type.Integer({ minimum: 0 }),
  answered: Type.Integer({ minimum: 0 }),
  responseRate: Rate,
  averageScore: Nullable(Type.Number()),
  csat: Rate,
  distribution: Type.Array(Type.Integer({ minimum: 0 }), { minItems: 5, maxItems: 5 }),
  negative: Type.Integer({ minimum: 0 }),
  byChannel: Type.Array(
    Type.Object({
      channel: Type.String(),
      sent: Type.Integer({ minimum: 0 }),
      answered: Type.Integer({ minimum: 0 }),
      averageScore: Nullable(Type.Number()),
    }),
  ),
});
export type CsatSummaryView = Type.Static<typeof CsatSummaryView>;

/** The public survey page's view of one survey (no customer data: the link may be forwarded). */
export const PublicSurveyView = Type.Object({
  shop: Type.String(),
  locale: Type.Union([Type.Literal('zh-CN'), Type.Literal('en-US')]),
  state: Type.Union([Type.Literal('open'), Type.Literal('answered'), Type.Literal('expired')]),
  score: Nullable(Type.Integer({ minimum: 1, maximum: 5 })),
});
export type PublicSurveyView = Type.Static<typeof PublicSurveyView>;
export const SurveyTokenQuery = Type.Object(
  { t: Type.String({ pattern: '^[A-Za-z0-9_-]{22}$', description: "The survey link's token" }) },
  { additionalProperties: false },
);
export const SurveyAnswerBody = Type.Object(
  {
    score: Type.Integer({ minimum: 1, maximum: 5 }),
    comment: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  closed,
);
export type SurveyAnswerBody = Type.Static<typeof SurveyAnswerBody>;

export const ComplaintSource = Type.Union([
  Type.Literal('intent'),
  Type.Literal('survey'),
  Type.Literal('manual'),
]);
export const ComplaintView = Type.Object({
  id: Id,
  source: ComplaintSource,
  customerId: Id,
  customerName: Nullable(Type.String()),
  conversationId: Nullable(Id),
  ticketId: Nullable(Id),
  surveyId: Nullable(Id),
  score: Nullable(Type.Integer({ minimum: 1, maximum: 5 })),
  status: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
  note: Nullable(Type.String()),
  resolutionNote: Nullable(Type.String()),
  confirmation: Nullable(Type.Union([Type.Literal('customer'), Type.Literal('ticket_closed')])),
  closedBy: Nullable(Type.String()),
  createdAt: Timestamp,
  closedAt: Nullable(Timestamp),
  ageHours: Type.Number({ minimum: 0 }),
});
export type ComplaintView = Type.Static<typeof ComplaintView>;
export const ComplaintListQuery = Type.Object(
  {
    status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('closed')])),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 100 })),
  },
  closed,
);
export const ComplaintList = Type.Object({ complaints: Type.Array(ComplaintView) });
export const ComplaintFlagBody = Type.Object(
  { conversationId: Id, note: Type.Optional(Type.String({ maxLength: 2000 })) },
  closed,
);
export const ComplaintCloseBody = Type.Object(
  {
    resolutionNote: Type.String({ minLength: 1, maxLength: 2000 }),
    customerConfirmed: Type.Literal(true, { description: 'The customer confirmed the resolution' }),
  },
  closed,
);
export const ComplaintKpiView = Type.Object({
  from: Timestamp,
  to: Timestamp,
  opened: Type.Integer({ minimum: 0 }),
  closed: Type.Integer({ minimum: 0 }),
  closureRate: Rate,
  target: Type.Number(),
  medianHoursToClose: Nullable(Type.Number()),
  openByAge: Type.Object({
    under24h: Type.Integer({ minimum: 0 }),
    days1to3: Type.Integer({ minimum: 0 }),
    days3to7: Type.Integer({ minimum: 0 }),
    over7d: Type.Integer({ minimum: 0 }),
  }),
  bySource: Type.Array(
    Type.Object({
      source: ComplaintSource,
      opened: Type.Integer({ minimum: 0 }),
      closed: Type.Integer({ minimum: 0 }),
    }),
  ),
});
export type ComplaintKpiView = Type.Static<typeof ComplaintKpiView>;
