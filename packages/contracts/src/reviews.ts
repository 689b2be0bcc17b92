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
