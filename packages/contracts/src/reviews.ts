// The weekly review (每周复盘, issue 12): one week, Monday to Sunday in the workspace's time zone, as an
// HTML page with its charts inline, or printed to PDF.
import Type from 'typebox';
import { AnalyticsDay } from './botAnalytics.ts';

export const WeeklyReviewQuery = Type.Object(
  {
    from: Type.Optional(
      Type.String({
        ...AnalyticsDay,
        description: 'The Monday the week starts on; default: the last full week',
      }),
    ),
    locale: Type.Optional(Type.Union([Type.Literal('zh-CN'), Type.Literal('en-US')])),
  },
  { additionalProperties: false },
);
export type WeeklyReviewQuery = Type.Static<typeof WeeklyReviewQuery>;

export const ReviewMailSettings = Type.Object(
  {
    enabled: Type.Boolean({ description: "Mail each week's review to the owners on Monday" }),
    sendHour: Type.Integer({
      minimum: 0,
      maximum: 23,
      description: "Hour on Monday (the workspace's zone) from which it is sent; default 8",
    }),
    includeAdmins: Type.Boolean({ description: 'Admins receive it too (owners always do)' }),
  },
  { additionalProperties: false },
);
export type ReviewMailSettings = Type.Static<typeof ReviewMailSettings>;

export const ReviewMailing = Type.Object({
  week: Type.String({ description: 'The Monday of the week' }),
  status: Type.Union([Type.Literal('sent'), Type.Literal('skipped'), Type.Literal('failed')]),
  recipients: Type.Integer({ minimum: 0 }),
  detail: Type.Union([
    Type.String({
      description:
        'no_conversations, no_recipients, no_email_inbox, or what the relay answered; null when sent',
    }),
    Type.Null(),
  ]),
  at: Type.String({ format: 'date-time' }),
});
export type ReviewMailing = Type.Static<typeof ReviewMailing>;

export const ReviewMailState = Type.Object({
  settings: ReviewMailSettings,
  updatedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  /** The e-mail inbox the review goes out from, or null: then nothing can be sent. */
  sender: Type.Union([
    Type.Object({ inboxId: Type.String(), name: Type.String(), address: Type.String() }),
    Type.Null(),
  ]),
  /** Who receives it now (owners, and admins when included). */
  recipients: Type.Array(Type.Object({ name: Type.String(), email: Type.String() })),
  /** The week the next scheduled mailing covers, and whether it is already done. */
  dueWeek: Type.Union([Type.String(), Type.Null()]),
  mailings: Type.Array(ReviewMailing),
});
export type ReviewMailState = Type.Static<typeof ReviewMailState>;

export const SendReviewBody = Type.Object(
  {
    from: Type.Optional(
      Type.String({ ...AnalyticsDay, description: 'The Monday of the week; default: the last full week' }),
    ),
  },
  { additionalProperties: false },
);
export type SendReviewBody = Type.Static<typeof SendReviewBody>;
