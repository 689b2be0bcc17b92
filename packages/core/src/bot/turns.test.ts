import { describe, expect, it } from 'vitest';
import { botAnalyticsRange, containmentRate, fallbackRate, localDay, startOfLocalDay } from './turns.ts';

describe('analytics ranges', () => {
  it('counts days in the workspace zone, by default the last 7 ending today', () => {
    // 02:00 on 26 November in Shanghai is still 25 November in UTC.
    const now = new Date('2026-11-25T18:00:00.000Z');
    const range = botAnalyticsRange({ timeZone: 'Asia/Shanghai', now });
    expect(range.days.map((d) => d.day)).toEqual([
      '2026-11-20',
      '2026-11-21',
      '2026-11-22',
      '2026-11-23',
      '2026-11-24',
      '2026-11-25',
      '2026-11-26',
    ]);
    expect(range.days[0]).toEqual({
      day: '2026-11-20',
      start: '2026-11-19T16:00:00.000Z',
      end: '2026-11-20T16:00:00.000Z',
    });
    expect(range.idleBefore).toBe('2026-11-25T17:30:00.000Z');
  });

  it('follows daylight saving: a 23-hour and a 25-hour day in New York', () => {
    const spring = botAnalyticsRange({
      from: '2026-03-08',
      to: '2026-03-08',
      timeZone: 'America/New_York',
      now: new Date('2026-04-01T00:00:00Z'),
    }).days[0]!;
    expect(spring).toEqual({
      day: '2026-03-08',
      start: '2026-03-08T05:00:00.000Z',
      end: '2026-03-09T04:00:00.000Z',
    });
    const autumn = botAnalyticsRange({
      from: '2026-11-01',
      to: '2026-11-01',
      timeZone: 'America/New_York',
      now: new Date('2026-12-01T00:00:00Z'),
    }).days[0]!;
    expect(autumn).toEqual({
      day: '2026-11-01',
      start: '2026-11-01T04:00:00.000Z',
      end: '2026-11-02T05:00:00.000Z',
    });
    expect(startOfLocalDay('2026-07-01', 'Europe/London').toISOString()).toBe('2026-06-30T23:00:00.000Z');
    expect(localDay(new Date('2026-06-30T23:30:00Z'), 'Europe/London')).toBe('2026-07-01');
  });

  it('refuses impossible, reversed and over-long ranges', () => {
    const base = { timeZone: 'Asia/Shanghai', now: new Date('2026-11-25T00:00:00Z') };
    expect(() => botAnalyticsRange({ ...base, from: '2026-02-30', to: '2026-03-01' })).toThrow(RangeError);
    expect(() => botAnalyticsRange({ ...base, from: '2026-11-10', to: '2026-11-01' })).toThrow(RangeError);
    expect(() => botAnalyticsRange({ ...base, from: '2024-01-01', to: '2026-01-01' })).toThrow(RangeError);
    expect(botAnalyticsRange({ ...base, from: '2025-11-25', to: '2026-11-25' }).days).toHaveLength(366);
  });

  it('leaves rates undefined rather than dividing by zero', () => {
    expect(containmentRate({ contained: 0, escalated: 0 })).toBeNull();
    expect(containmentRate({ contained: 3, escalated: 1 })).toBe(0.75);
    const outcomes = { answered: 0, clarified: 0, fallback: 0, handed_off: 0, form_step: 0, action: 0 };
    expect(fallbackRate({ turns: 0, outcomes })).toBeNull();
    expect(fallbackRate({ turns: 4, outcomes: { ...outcomes, fallback: 1 } })).toBe(0.25);
  });
});
