// A workspace's business calendar: its weekly hours in its own time zone, minus statutory days off, plus
// make-up working days (调休), with the workspace's own edits on top. SLA clocks count time on it.
import type { BusinessHours } from '../model.ts';
import { dateTimeFormat, isKnownTimeZone } from '../time/dateTimeFormat.ts';
import { chinaStatutoryDays } from './chinaHolidays.ts';

export type HolidayName =
  | 'new_year'
  | 'spring_festival'
  | 'qingming'
  | 'labour_day'
  | 'dragon_boat'
  | 'mid_autumn'
  | 'national_day';

/** One dated exception to the weekly hours: a day off, or a working day on what is usually a day off. */
export interface CalendarDay {
  /** Local date, YYYY-MM-DD. */
  date: string;
  kind: 'holiday' | 'workday';
  /** A built-in holiday's key (translated by the console) or the workspace's own label. */
  name: string;
}

/**
 * A workspace's edit of one date: add a day off or a working day, or `regular` to cancel a built-in
 * statutory day (the weekly hours apply again).
 */
export interface CalendarOverride {
  date: string;
  kind: 'holiday' | 'workday' | 'regular';
  name: string;
}

export interface WorkspaceCalendar {
  /** Weekly hours; timeZone defaults to Asia/Shanghai. */
  hours: BusinessHours;
  /** Whether China's statutory holidays and 调休 days apply (built-in data, see chinaHolidays.ts). */
  chinaHolidays: boolean;
  overrides: CalendarOverride[];
}

export const defaultTimeZone = 'Asia/Shanghai';

/** Mon–Fri 09:00–18:00 in Shanghai with China's statutory days: what a workspace has until it edits it. */
export const defaultWorkspaceCalendar = (): WorkspaceCalendar => ({
  hours: { timeZone: defaultTimeZone, periods: [{ days: [1, 2, 3, 4, 5], open: '09:00', close: '18:00' }] },
  chinaHolidays: true,
  overrides: [],
});

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export const isCalendarDate = (value: string): boolean => {
  const m = DATE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
};

export function isTimeZone(value: string): boolean {
  return isKnownTimeZone(value);
}

/** The dated exceptions of `year`: the built-in statutory days (when on), then the workspace's edits. */
export function calendarDays(calendar: WorkspaceCalendar, year: number): CalendarDay[] {
  const byDate = new Map<string, CalendarDay>();
  if (calendar.chinaHolidays) for (const day of chinaStatutoryDays(year)) byDate.set(day.date, day);
  for (const o of calendar.overrides) {
    if (!o.date.startsWith(`${year}-`)) continue;
    if (o.kind === 'regular') byDate.delete(o.date);
    else byDate.set(o.date, { date: o.date, kind: o.kind, name: o.name });
  }
  return [...byDate.values()].sort((a, b) => a.date.localeCompare(b.date));
}

/** Business time on a calendar. Instants are Dates; durations are milliseconds. */
export interface BusinessClock {
  /** Business milliseconds in [from, to); 0 when to is not after from. */
  msBetween(from: Date, to: Date): number;
  /** The instant when `ms` business milliseconds have passed since `from`; null if that never happens. */
  addMs(from: Date, ms: number): Date | null;
  /** Whether `at` is inside business hours. */
  isOpen(at: Date): boolean;
}

/** Around the clock, every day (a 24×7 SLA target). */
export const roundTheClock: BusinessClock = {
  msBetween: (from, to) => Math.max(0, to.getTime() - from.getTime()),
  addMs: (from, ms) => new Date(from.getTime() + Math.max(0, ms)),
  isOpen: () => true,
};

/** The instant `minutes` business minutes after `from`. */
export const addBusinessMinutes = (clock: BusinessClock, from: Date, minutes: number): Date | null =>
  clock.addMs(from, minutes * 60_000);

/** Business minutes (fractional) between two instants. */
export const businessMinutesBetween = (clock: BusinessClock, from: Date, to: Date): number =>
  clock.msBetween(from, to) / 60_000;

const DAY_MINUTES = 24 * 60;
/** How far a search for business time goes before it gives up (a calendar with no hours at all). */
const MAX_DAYS = 3 * 366;

const minutesOf = (hhmm: string): number => {
  const [h = '0', m = '0'] = hhmm.split(':');
  return Number(h) * 60 + Number(m);
};

const addDays = (date: string, days: number): string => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

const weekdayOf = (date: string): number => new Date(`${date}T00:00:00Z`).getUTCDay();

interface Interval {
  start: number;
  end: number;
}

/** Builds the clock of a workspace calendar. The clock caches each day it has worked out. */
export function businessClock(calendar: WorkspaceCalendar): BusinessClock {
  const timeZone = calendar.hours.timeZone ?? defaultTimeZone;
  const parts = dateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  });
  const periods = calendar.hours.periods.map((p) => ({
    days: new Set(p.days),
    open: minutesOf(p.open),
    close: minutesOf(p.close),
  }));
  // A make-up working day keeps the hours of a usual working day: Monday's, or the first weekday with any.
  const makeUpWeekday = [1, 2, 3, 4, 5].find((d) => periods.some((p) => p.days.has(d)));

  const exceptions = new Map<string, CalendarDay['kind']>();
  const yearsLoaded = new Set<number>();
  const exceptionOf = (date: string): CalendarDay['kind'] | undefined => {
    const year = Number(date.slice(0, 4));
    if (!yearsLoaded.has(year)) {
      yearsLoaded.add(year);
      for (const day of calendarDays(calendar, year)) exceptions.set(day.date, day.kind);
    }
    return exceptions.get(date);
  };

  /** Local wall-clock fields of an instant, read back as if they were UTC: the zone's offset. */
  const offsetAt = (ms: number): number => {
    const f: Record<string, number> = {};
    for (const p of parts.formatToParts(new Date(ms))) if (p.type !== 'literal') f[p.type] = Number(p.value);
    const local = Date.UTC(
      f.year ?? 0,
      (f.month ?? 1) - 1,
      f.day ?? 1,
      f.hour ?? 0,
      f.minute ?? 0,
      f.second ?? 0,
    );
    return local - Math.floor(ms / 1000) * 1000;
  };

  const localDate = (ms: number): string => new Date(ms + offsetAt(ms)).toISOString().slice(0, 10);

  /** The instant of local `date` + `minute` (minute may pass 1440: the following day). */
  const instantOf = (date: string, minute: number): number => {
    const wall = new Date(`${date}T00:00:00Z`).getTime() + minute * 60_000;
    const first = wall - offsetAt(wall);
    const second = wall - offsetAt(first);
    return second;
  };

  const days = new Map<string, Interval[]>();
  /** Business intervals of the shifts that start on local `date`, sorted and merged. */
  const shiftsOn = (date: string): Interval[] => {
    const cached = days.get(date);
    if (cached) return cached;
    const exception = exceptionOf(date);
    const weekday =
      exception === 'holiday' ? null : exception === 'workday' ? makeUpWeekday : weekdayOf(date);
    const raw: Interval[] = [];
    if (weekday !== undefined && weekday !== null) {
      for (const p of periods) {
        if (!p.days.has(weekday)) continue;
        // close at or before open: the shift runs past midnight (it belongs to the day it starts on).
        const close = p.close > p.open ? p.close : p.close + DAY_MINUTES;
        raw.push({ start: instantOf(date, p.open), end: instantOf(date, close) });
      }
    }
    raw.sort((a, b) => a.start - b.start);
    const merged: Interval[] = [];
    for (const i of raw) {
      const last = merged.at(-1);
      if (last && i.start <= last.end) last.end = Math.max(last.end, i.end);
      else merged.push({ ...i });
    }
    days.set(date, merged);
    return merged;
  };

  /**
   * Walks business intervals from `from` onward in time order (yesterday's overnight shift first), each
   * clipped so no stretch of time is counted twice, until `visit` returns true or past `until`.
   */
  const walk = (from: number, until: number, visit: (start: number, end: number) => boolean): void => {
    let cursor = from;
    let date = addDays(localDate(from), -1);
    const last = localDate(until);
    for (let n = 0; n < MAX_DAYS && date <= last; n++, date = addDays(date, 1)) {
      for (const i of shiftsOn(date)) {
        const start = Math.max(i.start, cursor);
        if (i.end <= start) continue;
        if (visit(start, i.end)) return;
        cursor = i.end;
      }
    }
  };

  return {
    msBetween(from, to) {
      const end = to.getTime();
      let total = 0;
      if (end <= from.getTime()) return 0;
      walk(from.getTime(), end, (start, stop) => {
        if (start >= end) return true;
        total += Math.min(stop, end) - start;
        return stop >= end;
      });
      return total;
    },
    addMs(from, ms) {
      if (ms <= 0) return new Date(from.getTime());
      let remaining = ms;
      let result: number | null = null;
      walk(from.getTime(), from.getTime() + MAX_DAYS * 86_400_000, (start, stop) => {
        if (remaining <= stop - start) {
          result = start + remaining;
          return true;
        }
        remaining -= stop - start;
        return false;
      });
      return result === null ? null : new Date(result);
    },
    isOpen(at) {
      const t = at.getTime();
      const today = localDate(t);
      return [addDays(today, -1), today].some((d) => shiftsOn(d).some((i) => i.start <= t && t < i.end));
    },
  };
}
