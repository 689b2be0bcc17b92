import { describe, expect, it } from 'vitest';
import {
  addBusinessMinutes,
  businessClock,
  businessMinutesBetween,
  calendarDays,
  defaultWorkspaceCalendar,
  isCalendarDate,
  isTimeZone,
  roundTheClock,
  type WorkspaceCalendar,
} from './businessCalendar.ts';
import { chinaHolidayYears, chinaStatutoryDays } from './chinaHolidays.ts';

// Shanghai is UTC+8 all year: local 09:00 is 01:00Z, 18:00 is 10:00Z.
const sh = (local: string) => new Date(`${local}+08:00`);
const officeHours = defaultWorkspaceCalendar(); // Mon–Fri 09:00–18:00, statutory days on
const hours = (clock: ReturnType<typeof businessClock>, from: string, to: string) =>
  businessMinutesBetween(clock, sh(from), sh(to)) / 60;

describe('China statutory days', () => {
  it('knows 2025 and 2026 as the State Council published them, and leaves unpublished years out', () => {
    expect(chinaHolidayYears).toEqual([2025, 2026]);
    expect(chinaStatutoryDays(2027)).toEqual([]);
    const y2026 = chinaStatutoryDays(2026);
    expect(y2026.filter((d) => d.kind === 'holiday')).toHaveLength(3 + 9 + 3 + 5 + 3 + 3 + 7);
    expect(y2026.filter((d) => d.kind === 'workday').map((d) => d.date)).toEqual([
      '2026-01-04',
      '2026-02-14',
      '2026-02-28',
      '2026-05-09',
      '2026-09-20',
      '2026-10-10',
    ]);
    const y2025 = chinaStatutoryDays(2025);
    expect(y2025.filter((d) => d.kind === 'holiday')).toHaveLength(1 + 8 + 3 + 5 + 3 + 8);
    expect(y2025.filter((d) => d.kind === 'workday')).toHaveLength(5);
  });

  it('has every make-up working day on a weekend and no date twice', () => {
    for (const year of chinaHolidayYears) {
      const days = chinaStatutoryDays(year);
      for (const d of days.filter((x) => x.kind === 'workday')) {
        expect([0, 6], d.date).toContain(new Date(`${d.date}T00:00:00Z`).getUTCDay());
      }
      expect(new Set(days.map((d) => d.date)).size).toBe(days.length);
    }
  });
});

describe('business time on office hours in Shanghai', () => {
  const clock = businessClock(officeHours);

  it('skips nights', () => {
    expect(hours(clock, '2026-11-24T17:00', '2026-11-25T10:00')).toBe(2);
    expect(hours(clock, '2026-11-24T19:00', '2026-11-25T08:00')).toBe(0);
    expect(hours(clock, '2026-11-24T10:15', '2026-11-24T11:00')).toBe(0.75);
  });

  it('skips weekends', () => {
    expect(hours(clock, '2026-11-27T17:00', '2026-11-30T10:00')).toBe(2);
  });

  it('skips a statutory holiday (Qingming Monday 2026-04-06)', () => {
    expect(hours(clock, '2026-04-03T17:00', '2026-04-07T10:00')).toBe(2);
    const noHolidays = businessClock({ ...officeHours, chinaHolidays: false });
    expect(hours(noHolidays, '2026-04-03T17:00', '2026-04-07T10:00')).toBe(11);
  });

  it('counts a 调休 Saturday as a working day (2026-02-28)', () => {
    expect(hours(clock, '2026-02-27T17:00', '2026-03-02T10:00')).toBe(1 + 9 + 1);
    // Saturday 14 February works, then the nine days of Spring Festival are off.
    expect(hours(clock, '2026-02-13T17:00', '2026-02-24T10:00')).toBe(1 + 9 + 1);
  });

  it('spans years: 2025-12-31, New Year off, Sunday 2026-01-04 worked', () => {
    expect(hours(clock, '2025-12-31T17:00', '2026-01-05T10:00')).toBe(1 + 9 + 1);
  });

  it('finds the instant N business minutes on', () => {
    expect(addBusinessMinutes(clock, sh('2026-11-24T10:00'), 30)).toEqual(sh('2026-11-24T10:30'));
    expect(addBusinessMinutes(clock, sh('2026-11-24T17:30'), 60)).toEqual(sh('2026-11-25T09:30'));
    expect(addBusinessMinutes(clock, sh('2026-04-03T17:00'), 120)).toEqual(sh('2026-04-07T10:00'));
    expect(addBusinessMinutes(clock, sh('2026-02-13T17:00'), 8 * 60)).toEqual(sh('2026-02-14T16:00'));
    expect(addBusinessMinutes(clock, sh('2026-02-14T17:30'), 60)).toEqual(sh('2026-02-24T09:30'));
    // Started on a holiday: the clock starts with the next working morning.
    expect(addBusinessMinutes(clock, sh('2026-10-03T12:00'), 60)).toEqual(sh('2026-10-08T10:00'));
    // A whole working day ends at its close, not the next morning.
    expect(addBusinessMinutes(clock, sh('2026-11-24T09:00'), 9 * 60)).toEqual(sh('2026-11-24T18:00'));
  });

  it('agrees with itself: adding what lies between two instants reaches the later one', () => {
    const from = sh('2026-09-18T15:20');
    for (const minutes of [1, 59, 600, 2000, 5000]) {
      const due = addBusinessMinutes(clock, from, minutes);
      expect(due).not.toBeNull();
      expect(businessMinutesBetween(clock, from, due as Date)).toBeCloseTo(minutes, 6);
    }
  });

  it('knows whether it is open', () => {
    expect(clock.isOpen(sh('2026-11-24T09:00'))).toBe(true);
    expect(clock.isOpen(sh('2026-11-24T18:00'))).toBe(false);
    expect(clock.isOpen(sh('2026-10-08T12:00'))).toBe(true);
    expect(clock.isOpen(sh('2026-10-07T12:00'))).toBe(false);
    expect(clock.isOpen(sh('2026-10-10T12:00'))).toBe(true);
  });

  it('is zero for an empty or reversed span', () => {
    expect(clock.msBetween(sh('2026-11-24T12:00'), sh('2026-11-24T12:00'))).toBe(0);
    expect(clock.msBetween(sh('2026-11-24T12:00'), sh('2026-11-24T10:00'))).toBe(0);
    expect(addBusinessMinutes(clock, sh('2026-11-28T12:00'), 0)).toEqual(sh('2026-11-28T12:00'));
  });
});

describe('workspace edits', () => {
  const edited: WorkspaceCalendar = {
    ...officeHours,
    overrides: [
      { date: '2026-04-06', kind: 'regular', name: '' },
      { date: '2026-11-30', kind: 'holiday', name: '店庆' },
      { date: '2026-11-28', kind: 'workday', name: 'Stocktake' },
    ],
  };
  const clock = businessClock(edited);

  it('removes a built-in day off, adds a day off and a working day', () => {
    expect(hours(clock, '2026-04-03T17:00', '2026-04-07T10:00')).toBe(1 + 9 + 1);
    expect(hours(clock, '2026-11-27T17:00', '2026-12-01T10:00')).toBe(1 + 9 + 1);
  });

  it('lists the year with built-in and own days merged', () => {
    const days = calendarDays(edited, 2026);
    expect(days.find((d) => d.date === '2026-04-06')).toBeUndefined();
    expect(days.find((d) => d.date === '2026-04-05')).toMatchObject({ kind: 'holiday', name: 'qingming' });
    expect(days.find((d) => d.date === '2026-11-30')).toEqual({
      date: '2026-11-30',
      kind: 'holiday',
      name: '店庆',
    });
    expect(calendarDays({ ...edited, chinaHolidays: false }, 2026).map((d) => d.date)).toEqual([
      '2026-11-28',
      '2026-11-30',
    ]);
  });
});

describe('other hours and zones', () => {
  it('counts an overnight shift once, on the day it starts', () => {
    const nights = businessClock({
      hours: {
        timeZone: 'Asia/Shanghai',
        periods: [{ days: [1, 2, 3, 4, 5], open: '22:00', close: '06:00' }],
      },
      chinaHolidays: true,
      overrides: [],
    });
    expect(hours(nights, '2026-11-24T00:00', '2026-11-25T00:00')).toBe(6 + 2);
    // Friday night runs into Saturday morning; Saturday night does not start.
    expect(hours(nights, '2026-11-27T12:00', '2026-11-29T12:00')).toBe(8);
    expect(addBusinessMinutes(nights, sh('2026-11-27T12:00'), 8 * 60 + 1)).toEqual(sh('2026-11-30T22:01'));
  });

  it('merges overlapping periods and understands 24:00', () => {
    const allDay = businessClock({
      hours: {
        timeZone: 'Asia/Shanghai',
        periods: [
          { days: [0, 1, 2, 3, 4, 5, 6], open: '00:00', close: '24:00' },
          { days: [2], open: '10:00', close: '12:00' },
        ],
      },
      chinaHolidays: true,
      overrides: [],
    });
    expect(hours(allDay, '2026-11-24T00:00', '2026-11-26T00:00')).toBe(48);
    expect(hours(allDay, '2026-09-30T00:00', '2026-10-09T00:00')).toBe(48); // 30 Sep, 8 Oct
  });

  it('works in other zones without daylight saving', () => {
    const tokyo = businessClock({ ...officeHours, hours: { ...officeHours.hours, timeZone: 'Asia/Tokyo' } });
    // Tokyo 09:00 is Shanghai 08:00.
    expect(hours(tokyo, '2026-11-24T08:00', '2026-11-24T17:00')).toBe(9);
    expect(tokyo.isOpen(sh('2026-11-24T17:30'))).toBe(false);
    const utc = businessClock({
      ...officeHours,
      chinaHolidays: false,
      hours: { ...officeHours.hours, timeZone: 'UTC' },
    });
    expect(utc.msBetween(new Date('2026-11-24T00:00:00Z'), new Date('2026-11-25T00:00:00Z'))).toBe(
      9 * 3_600_000,
    );
  });

  it('keeps a short day short when daylight saving starts (New York, 2026-03-08)', () => {
    const ny = businessClock({
      hours: {
        timeZone: 'America/New_York',
        periods: [{ days: [0, 1, 2, 3, 4, 5, 6], open: '00:00', close: '24:00' }],
      },
      chinaHolidays: false,
      overrides: [],
    });
    const from = new Date('2026-03-07T05:00:00Z'); // Saturday 00:00 EST
    const to = new Date('2026-03-09T04:00:00Z'); // Monday 00:00 EDT
    expect(ny.msBetween(from, to)).toBe(47 * 3_600_000);
  });

  it('never reaches a target on a calendar without hours', () => {
    const closed = businessClock({ hours: { periods: [] }, chinaHolidays: true, overrides: [] });
    expect(addBusinessMinutes(closed, sh('2026-11-24T10:00'), 1)).toBeNull();
    expect(closed.msBetween(sh('2026-11-24T10:00'), sh('2027-11-24T10:00'))).toBe(0);
  });

  it('runs around the clock for 24×7 targets', () => {
    expect(addBusinessMinutes(roundTheClock, sh('2026-10-01T12:00'), 90)).toEqual(sh('2026-10-01T13:30'));
    expect(roundTheClock.isOpen(sh('2026-10-01T03:00'))).toBe(true);
  });

  it('validates dates and zones', () => {
    expect(isCalendarDate('2026-02-28')).toBe(true);
    expect(isCalendarDate('2026-02-29')).toBe(false);
    expect(isCalendarDate('2026-2-1')).toBe(false);
    expect(isTimeZone('Asia/Shanghai')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });
});
