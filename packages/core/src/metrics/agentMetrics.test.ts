import { describe, expect, it } from 'vitest';
import { botAnalyticsRange } from '../bot/turns.ts';
import { activityFigures, agentMetricsReport, emptyTotals } from './agentMetrics.ts';
import {
  type ConversationActivity,
  customerWaitingSince,
  firstResponseOf,
  handleTimeOf,
  onlineSeconds,
} from './conversationActivity.ts';

const row = (
  kind: ConversationActivity['kind'],
  at: string,
  userId: string | null = null,
): ConversationActivity => ({
  conversationId: 'c1',
  kind,
  userId,
  queueId: null,
  at: `2026-11-20T${at}.000Z`,
  startedAt: null,
  durationMs: null,
});
const t = (hms: string) => `2026-11-20T${hms}.000Z`;

describe('first response time', () => {
  it('runs from the hand-off to the first agent reply of the episode, and only once', () => {
    const history = [row('waiting', '10:00:00'), row('assigned', '10:01:00', 'ann')];
    expect(firstResponseOf(history, { at: t('10:02:30') }, null)).toEqual({
      startedAt: t('10:00:00'),
      durationMs: 150_000,
    });
    const replied = [...history, row('first_reply', '10:02:30', 'ann')];
    expect(firstResponseOf(replied, { at: t('10:05:00') }, null)).toBeNull();
  });

  it('starts again after a resolution, from the reopening', () => {
    const history = [
      row('waiting', '10:00:00'),
      row('first_reply', '10:01:00', 'ann'),
      row('resolved', '10:30:00', 'ann'),
      row('reopened', '11:00:00'),
    ];
    expect(firstResponseOf(history, { at: t('11:00:45') }, null)?.durationMs).toBe(45_000);
  });

  it("uses the customer's oldest unanswered message when nobody handed the conversation off", () => {
    const since = customerWaitingSince([
      { author: 'customer', createdAt: t('09:00:00') },
      { author: 'bot', createdAt: t('09:00:01') },
      { author: 'customer', createdAt: t('09:05:00') },
      { author: 'system', createdAt: t('09:05:01') },
      { author: 'customer', createdAt: t('09:06:00') },
    ]);
    expect(since).toBe(t('09:05:00'));
    expect(firstResponseOf([row('assigned', '09:07:00', 'bo')], { at: t('09:07:00') }, since)).toEqual({
      startedAt: t('09:05:00'),
      durationMs: 120_000,
    });
    // An agent writing first (nobody waiting) is not a response.
    expect(firstResponseOf([], { at: t('09:07:00') }, null)).toBeNull();
    expect(customerWaitingSince([{ author: 'agent', createdAt: t('09:00:00') }])).toBeNull();
  });
});

describe('handle time', () => {
  it('runs from the latest assignment to the resolution, for the agent assigned then', () => {
    const history = [
      row('waiting', '10:00:00'),
      row('assigned', '10:01:00', 'ann'),
      row('assigned', '10:10:00', 'bo'),
    ];
    expect(handleTimeOf(history, t('10:40:00'))).toEqual({
      userId: 'bo',
      startedAt: t('10:10:00'),
      durationMs: 30 * 60_000,
    });
  });

  it('has no handler when the conversation was given back or never assigned', () => {
    expect(handleTimeOf([row('waiting', '10:00:00')], t('10:40:00'))).toBeNull();
    expect(
      handleTimeOf([row('assigned', '10:01:00', 'ann'), row('assigned', '10:02:00', null)], t('10:40:00')),
    ).toBeNull();
  });

  it('counts a kept conversation from its reopening, not from the old assignment', () => {
    const history = [
      row('assigned', '10:00:00', 'ann'),
      row('resolved', '10:20:00', 'ann'),
      row('reopened', '12:00:00'),
    ];
    expect(handleTimeOf(history, t('12:05:00'))).toEqual({
      userId: 'ann',
      startedAt: t('12:00:00'),
      durationMs: 5 * 60_000,
    });
  });
});

describe('online time', () => {
  it('adds the online stretches inside the window, from the state it opened in, up to now', () => {
    const seconds = onlineSeconds(
      [
        { userId: 'ann', status: 'online', at: t('08:00:00') }, // before the window: opens online
        { userId: 'ann', status: 'away', at: t('10:30:00') },
        { userId: 'ann', status: 'online', at: t('11:00:00') },
        { userId: 'bo', status: 'offline', at: t('08:00:00') },
      ],
      { from: t('10:00:00'), to: t('23:00:00'), now: t('11:15:00') },
    );
    expect(seconds.get('ann')).toBe(45 * 60);
    expect(seconds.get('bo')).toBe(0);
  });
});

describe('the report', () => {
  const range = botAnalyticsRange({
    from: '2026-11-20',
    to: '2026-11-21',
    timeZone: 'Asia/Shanghai',
    now: new Date('2026-11-22T00:00:00Z'),
  });

  it('derives means and rates, lists every visible agent and leaves out the others', () => {
    const report = agentMetricsReport(
      {
        agents: [
          {
            userId: 'ann',
            ...emptyTotals(),
            firstResponses: 2,
            firstResponseMs: 90_000,
            handled: 3,
            handleMs: 1_800_000,
          },
          { userId: 'hidden', ...emptyTotals(), handled: 5, handleMs: 60_000 },
        ],
        queues: [
          { queueId: 'q1', ...emptyTotals(), handled: 3, handleMs: 1_800_000, rated: 2, ratingSum: 9 },
        ],
        daily: [{ day: '2026-11-21', ...emptyTotals(), handled: 3, handleMs: 1_800_000 }],
        suggestions: [{ userId: 'ann', shown: 8, used: 6 }],
        presence: [
          { userId: 'ann', status: 'online', at: '2026-11-20T00:00:00.000Z' },
          { userId: 'ann', status: 'offline', at: '2026-11-20T02:00:00.000Z' },
        ],
      },
      { range, agentIds: ['ann', 'cy'], now: new Date('2026-11-22T00:00:00Z') },
    );
    expect(report.agents).toEqual([
      {
        userId: 'ann',
        firstResponseSeconds: 45,
        firstResponses: 2,
        handleSeconds: 600,
        handled: 3,
        csatAverage: null,
        rated: 0,
        onlineSeconds: 7200,
        handledPerOnlineHour: 1.5,
        suggestionsShown: 8,
        suggestionAcceptance: 0.75,
      },
      expect.objectContaining({
        userId: 'cy',
        handled: 0,
        handledPerOnlineHour: null,
        suggestionAcceptance: null,
      }),
    ]);
    expect(report.queues[0]).toMatchObject({ queueId: 'q1', csatAverage: 4.5, rated: 2 });
    expect(report.daily.map((d) => [d.day, d.handled])).toEqual([
      ['2026-11-20', 0],
      ['2026-11-21', 3],
    ]);
    // The totals add only what the caller may see.
    expect(report.totals).toMatchObject({ handled: 3, onlineSeconds: 7200, suggestionAcceptance: 0.75 });
  });

  it('has no averages without samples', () => {
    expect(activityFigures(emptyTotals())).toEqual({
      firstResponseSeconds: null,
      firstResponses: 0,
      handleSeconds: null,
      handled: 0,
      csatAverage: null,
      rated: 0,
    });
  });
});
