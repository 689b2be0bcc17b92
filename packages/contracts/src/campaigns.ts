// Outbound call campaigns (follow-up surveys and batch notifications) and the do-not-call list, as the
// console and the API see them.
import Type from 'typebox';
import { Id, Timestamp } from './common.ts';

const closed = { additionalProperties: false } as const;
const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const TimeOfDay = Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$', description: 'HH:MM' });

export const CampaignKind = Type.Union([Type.Literal('survey'), Type.Literal('notification')]);
export const CampaignPurpose = Type.Union([Type.Literal('service'), Type.Literal('marketing')], {
  description: 'marketing calls reach only customers with a granted marketing_call consent',
});
export const CampaignStatus = Type.Union([
  Type.Literal('draft'),
  Type.Literal('running'),
  Type.Literal('paused'),
  Type.Literal('completed'),
  Type.Literal('cancelled'),
]);
export const QuietHours = Type.Object({ start: TimeOfDay, end: TimeOfDay }, closed);

export const CampaignBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 80 }),
    kind: CampaignKind,
    purpose: CampaignPurpose,
    inboxId: Id,
    script: Type.String({
      minLength: 1,
      maxLength: 500,
      description:
        'What the call says (the survey question or the notification); {{customer.name}} is filled',
    }),
    language: Type.Union([Type.Literal('zh-CN'), Type.Literal('en-US')]),
    timeZone: Type.String({ minLength: 1, maxLength: 64, description: 'IANA zone of the quiet hours' }),
    quietHours: Nullable(QuietHours),
    callsPerMinute: Type.Integer({ minimum: 1, maximum: 60 }),
    maxConcurrent: Type.Integer({ minimum: 1, maximum: 20 }),
    maxAttempts: Type.Integer({ minimum: 1, maximum: 5 }),
    retryDelayMinutes: Type.Integer({ minimum: 1, maximum: 1440 }),
    customers: Type.Array(
      Type.Object({ customerId: Id, conversationId: Type.Optional(Nullable(Id)) }, closed),
      { maxItems: 5000 },
    ),
    phones: Type.Array(Type.String({ minLength: 3, maxLength: 32 }), { maxItems: 5000 }),
  },
  closed,
);
export type CampaignBody = Type.Static<typeof CampaignBody>;

export const CampaignProgress = Type.Object({
  total: Type.Integer({ minimum: 0 }),
  pending: Type.Integer({ minimum: 0 }),
  dialing: Type.Integer({ minimum: 0 }),
  reached: Type.Integer({ minimum: 0 }),
  unreached: Type.Integer({ minimum: 0 }),
  skipped: Type.Integer({ minimum: 0 }),
  averageScore: Nullable(Type.Number()),
});

export const CampaignView = Type.Object({
  id: Id,
  name: Type.String(),
  kind: CampaignKind,
  purpose: CampaignPurpose,
  inboxId: Id,
  script: Type.String(),
  language: Type.String(),
  timeZone: Type.String(),
  quietHours: Nullable(QuietHours),
  callsPerMinute: Type.Integer(),
  maxConcurrent: Type.Integer(),
  maxAttempts: Type.Integer(),
  retryDelayMinutes: Type.Integer(),
  status: CampaignStatus,
  createdBy: Type.String(),
  createdAt: Timestamp,
  startedAt: Nullable(Timestamp),
  finishedAt: Nullable(Timestamp),
  progress: CampaignProgress,
});
export type CampaignView = Type.Static<typeof CampaignView>;

export const CampaignCreated = Type.Object({
  campaign: CampaignView,
  /** Customers without a usable phone (`customer:<id>`) and typed numbers that are not phone numbers. */
  invalidPhones: Type.Array(Type.String()),
});
export type CampaignCreated = Type.Static<typeof CampaignCreated>;

export const CampaignList = Type.Object({ campaigns: Type.Array(CampaignView) });
export type CampaignList = Type.Static<typeof CampaignList>;

export const TargetStatus = Type.Union([
  Type.Literal('pending'),
  Type.Literal('dialing'),
  Type.Literal('reached'),
  Type.Literal('unreached'),
  Type.Literal('skipped'),
]);

export const CampaignTargetView = Type.Object({
  id: Id,
  customerId: Nullable(Id),
  conversationId: Nullable(Id),
  /** Masked unless the reader may reveal personal data. */
  phone: Type.String(),
  status: TargetStatus,
  skipReason: Nullable(Type.String()),
  attempts: Type.Integer({ minimum: 0 }),
  nextAttemptAt: Nullable(Timestamp),
  lastOutcome: Nullable(Type.String()),
  score: Nullable(Type.Integer({ minimum: 1, maximum: 5 })),
  heard: Nullable(Type.Boolean()),
  /** What the customer keyed or said in answer, as recognised. */
  answer: Nullable(Type.String()),
  callId: Nullable(Id),
  updatedAt: Timestamp,
});
export type CampaignTargetView = Type.Static<typeof CampaignTargetView>;

export const CampaignTargetQuery = Type.Object({
  status: Type.Optional(TargetStatus),
  after: Type.Optional(Id),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
});

export const CampaignTargetList = Type.Object({
  targets: Type.Array(CampaignTargetView),
  nextAfter: Nullable(Id),
});
export type CampaignTargetList = Type.Static<typeof CampaignTargetList>;

export const DoNotCallBody = Type.Object(
  { phone: Type.String({ minLength: 3, maxLength: 32 }), reason: Type.String({ maxLength: 200 }) },
  closed,
);
export type DoNotCallBody = Type.Static<typeof DoNotCallBody>;

export const DoNotCallEntry = Type.Object({
  id: Id,
  phone: Type.String(),
  reason: Type.String(),
  addedBy: Type.String(),
  createdAt: Timestamp,
});
export type DoNotCallEntry = Type.Static<typeof DoNotCallEntry>;

export const DoNotCallList = Type.Object({ entries: Type.Array(DoNotCallEntry) });
export type DoNotCallList = Type.Static<typeof DoNotCallList>;
