import { describe, expect, it } from 'vitest';
import { reviewWeekDue } from './reviewMail.ts';

describe('which weekly review is due', () => {
  // 2026-06-08 is a Monday.
  it('is last week from Monday at the send hour in the zone', () => {
    // 07:59 and 08:00 on Monday in Shanghai (UTC+8).
    expect(reviewWeekDue(new Date('2026-06-07T23:59:00Z'), 'Asia/Shanghai', 8)).toBeNull();
    expect(reviewWeekDue(new Date('2026-06-08T00:00:00Z'), 'Asia/Shanghai', 8)).toBe('2026-06-01');
  });

  it('stays the same week until the next Monday’s hour', () => {
    expect(reviewWeekDue(new Date('2026-06-10T05:00:00Z'), 'Asia/Shanghai', 8)).toBe('2026-06-01');
    // Sunday 23:00 in Shanghai.
    expect(reviewWeekDue(new Date('2026-06-14T15:00:00Z'), 'Asia/Shanghai', 8)).toBe('2026-06-01');
    // Monday 07:00 the week after: not yet the next one.
    expect(reviewWeekDue(new Date('2026-06-14T23:00:00Z'), 'Asia/Shanghai', 8)).toBeNull();
    expect(reviewWeekDue(new Date('2026-06-15T01:00:00Z'), 'Asia/Shanghai', 8)).toBe('2026-06-08');
  });

  it('counts days and hours in the workspace’s zone, not UTC', () => {
    // Monday 00:30 UTC is still Sunday evening in New York.
    expect(reviewWeekDue(new Date('2026-06-08T00:30:00Z'), 'UTC', 0)).toBe('2026-06-01');
    expect(reviewWeekDue(new Date('2026-06-08T00:30:00Z'), 'America/New_York', 0)).toBe('2026-05-25');
    // Hour 0 is due from midnight; hour 23 only late on Monday.
    expect(reviewWeekDue(new Date('2026-06-08T22:59:00Z'), 'UTC', 23)).toBeNull();
    expect(reviewWeekDue(new Date('2026-06-08T23:00:00Z'), 'UTC', 23)).toBe('2026-06-01');
  });
});
