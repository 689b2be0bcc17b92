import { describe, expect, it } from 'vitest';
import { afterAttempt, planDialing } from './planDialing.ts';
import { isQuiet, quietEndsAt } from './quietHours.ts';
import { surveyScore } from './surveyAnswer.ts';

const at = (iso: string) => new Date(iso);
const shanghai = 'Asia/Shanghai';
const quiet = { start: '21:00', end: '09:00' };

describe('quiet hours', () => {
  it('spans midnight in the campaign time zone', () => {
    // 13:30 UTC = 21:30 in Shanghai.
    expect(isQuiet(at('2026-11-26T13:30:00Z'), quiet, shanghai)).toBe(true);
    expect(isQuiet(at('2026-11-26T00:59:00Z'), quiet, shanghai)).toBe(true);
    expect(isQuiet(at('2026-11-26T01:00:00Z'), quiet, shanghai)).toBe(false);
    expect(isQuiet(at('2026-11-26T13:30:00Z'), quiet, 'UTC')).toBe(false);
    expect(isQuiet(at('2026-11-26T13:30:00Z'), null, shanghai)).toBe(false);
  });
  it('wakes the dialler when they end', () => {
    expect(quietEndsAt(at('2026-11-26T13:30:00Z'), quiet, shanghai).toISOString()).toBe(
      '2026-11-27T01:00:00.000Z',
    );
    const open = at('2026-11-26T03:00:00Z');
    expect(quietEndsAt(open, quiet, shanghai)).toBe(open);
  });
});

describe('planDialing', () => {
  const campaign = { quietHours: quiet, timeZone: shanghai, callsPerMinute: 3, maxConcurrent: 2 };
  const due = [{ id: 'a' }, { id: 'b' }, { id: 'c' }];
  const now = at('2026-11-26T03:00:00Z');

  it('dials no more than the concurrency cap allows, and waits for a call to end', () => {
    const plan = planDialing(campaign, { now, inFlight: 0, placedLastMinute: [], due, nextDueAt: null });
    expect(plan).toEqual({ dial: ['a', 'b'], wakeAt: null, holdReason: 'concurrency' });
  });
  it('keeps the pace per minute and wakes when the oldest call of the minute ages out', () => {
    const placed = [at('2026-11-26T02:59:30Z'), at('2026-11-26T02:59:40Z')];
    const plan = planDialing(
      { ...campaign, maxConcurrent: 10 },
      { now, inFlight: 2, placedLastMinute: placed, due, nextDueAt: null },
    );
    expect(plan.dial).toEqual(['a']);
    expect(plan.holdReason).toBe('pace');
    expect(plan.wakeAt?.toISOString()).toBe('2026-11-26T03:00:30.000Z');
  });
  it('places nothing in quiet hours', () => {
    const plan = planDialing(campaign, {
      now: at('2026-11-26T14:00:00Z'),
      inFlight: 0,
      placedLastMinute: [],
      due,
      nextDueAt: null,
    });
    expect(plan).toEqual({ dial: [], wakeAt: at('2026-11-27T01:00:00Z'), holdReason: 'quiet_hours' });
  });
  it('sleeps until the next retry is due when everything due was dialled', () => {
    const next = at('2026-11-26T03:10:00Z');
    const plan = planDialing(
      { ...campaign, maxConcurrent: 10 },
      { now, inFlight: 0, placedLastMinute: [], due: [{ id: 'a' }], nextDueAt: next },
    );
    expect(plan).toEqual({ dial: ['a'], wakeAt: next, holdReason: null });
  });
});

describe('afterAttempt', () => {
  const campaign = { maxAttempts: 3, retryDelayMinutes: 30 };
  const now = at('2026-11-26T03:00:00Z');
  it('retries unanswered and busy calls later, then gives up', () => {
    expect(afterAttempt(campaign, { attempts: 1 }, 'no_answer', now)).toEqual({
      status: 'pending',
      nextAttemptAt: '2026-11-26T03:30:00.000Z',
    });
    expect(afterAttempt(campaign, { attempts: 3 }, 'busy', now)).toEqual({
      status: 'unreached',
      nextAttemptAt: null,
    });
    expect(afterAttempt(campaign, { attempts: 1 }, 'answered', now)).toEqual({
      status: 'reached',
      nextAttemptAt: null,
    });
  });
});

describe('surveyScore', () => {
  it('reads keypad digits', () => {
    expect(surveyScore({ digits: '4' })).toBe(4);
    expect(surveyScore({ digits: '5#' })).toBe(5);
    expect(surveyScore({ digits: '7' })).toBeNull();
    expect(surveyScore({ digits: '45' })).toBeNull();
  });
  it('reads spoken scores and verdicts in Chinese and English', () => {
    expect(surveyScore({ speech: '五分' })).toBe(5);
    expect(surveyScore({ speech: '打两分吧' })).toBe(2);
    expect(surveyScore({ speech: '我给 4 分' })).toBe(4);
    expect(surveyScore({ speech: '非常不满意' })).toBe(1);
    expect(surveyScore({ speech: '挺满意的' })).toBe(4);
    expect(surveyScore({ speech: '一般般' })).toBe(3);
    expect(surveyScore({ speech: 'five stars' })).toBe(5);
  });
  it('gives no score for what is not one answer', () => {
    expect(surveyScore({ speech: '三到四分' })).toBeNull();
    expect(surveyScore({ speech: '你们什么时候发货' })).toBeNull();
    expect(surveyScore({ speech: '10' })).toBeNull();
    expect(surveyScore({ speech: '' })).toBeNull();
  });
});
