// Dates and times in Chinese and English ("明天下午三点", "下周三", "3月5号", "今晚8点", "next Friday",
// "tomorrow 3pm", "March 5"), resolved against the shop's clock in its time zone.
import { parseChineseNumber } from '../normalise/numerals.ts';
import {
  addDays,
  type CalendarDate,
  daysBetween,
  isoDate,
  isoDateTime,
  isValidDate,
  type ZonedNow,
} from './zoned.ts';

export interface DateValue {
  /** "2025-03-05" */
  date: string;
}

export interface DateTimeValue {
  /** "2025-03-05T15:00:00+08:00" */
  datetime: string;
  date: string;
  time: string;
}

export interface DateHit {
  type: 'date' | 'datetime';
  start: number;
  end: number;
  value: DateValue | DateTimeValue;
}

type Period = 'morning' | 'noon' | 'afternoon' | 'evening' | 'night' | 'early';

interface DaySpan {
  start: number;
  end: number;
  date: CalendarDate;
  period?: Period;
}

interface TimeSpan {
  start: number;
  end: number;
  hour?: number;
  minute: number;
  period?: Period;
  /** The hour came with an explicit am/pm or 24-hour form, so no guessing is needed. */
  explicit: boolean;
}

const N = '[零〇一二两三四五六七八九十\\d]{1,3}';
const CN_WEEKDAY: Readonly<Record<string, number>> = {
  一: 1,
  二: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  日: 7,
  天: 7,
};
const EN_WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const EN_MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
const EN_MONTH_RE =
  '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';
const EN_SMALL_NUMBERS: Readonly<Record<string, number>> = {
  a: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  ten: 10,
};

const CN_RELATIVE_DAYS: Readonly<Record<string, number>> = {
  大前天: -3,
  前天: -2,
  昨天: -1,
  昨日: -1,
  今天: 0,
  今日: 0,
  今儿: 0,
  明天: 1,
  明日: 1,
  明儿: 1,
  后天: 2,
  大后天: 3,
};
const CN_DAY_WITH_PERIOD: Readonly<Record<string, [number, Period]>> = {
  今早: [0, 'morning'],
  今晚: [0, 'evening'],
  明早: [1, 'morning'],
  明晚: [1, 'evening'],
  昨晚: [-1, 'evening'],
};
const CN_PERIODS: Readonly<Record<string, Period>> = {
  凌晨: 'early',
  半夜: 'night',
  早上: 'morning',
  早晨: 'morning',
  上午: 'morning',
  中午: 'noon',
  下午: 'afternoon',
  傍晚: 'evening',
  晚上: 'evening',
  夜里: 'night',
  夜间: 'night',
};

function cnNumber(s: string | undefined): number | null {
  if (s === undefined || s === '') return null;
  return parseChineseNumber(s);
}

/** Month/day without a year: the occurrence closest to today (so "12月30号" in early January is last year). */
function closestYear(now: CalendarDate, m: number, d: number): CalendarDate | null {
  let best: CalendarDate | null = null;
  for (const y of [now.y - 1, now.y, now.y + 1]) {
    if (!isValidDate(y, m, d)) continue;
    const candidate = { y, m, d };
    if (best === null || Math.abs(daysBetween(now, candidate)) < Math.abs(daysBetween(now, best)))
      best = candidate;
  }
  return best;
}

/** Day of month alone ("5号"): this month, or the adjacent month when that is closer. */
function closestMonth(now: CalendarDate, d: number): CalendarDate | null {
  let best: CalendarDate | null = null;
  for (const shift of [-1, 0, 1]) {
    const first = new Date(Date.UTC(now.y, now.m - 1 + shift, 1));
    const y = first.getUTCFullYear();
    const m = first.getUTCMonth() + 1;
    if (!isValidDate(y, m, d)) continue;
    const candidate = { y, m, d };
    if (best === null || Math.abs(daysBetween(now, candidate)) < Math.abs(daysBetween(now, best)))
      best = candidate;
  }
  return best;
}

/** Weekday in the (Monday-based) week `weeksAhead` from this one. */
function weekdayInWeek(now: ZonedNow, weekday: number, weeksAhead: number): CalendarDate {
  return addDays(now, weeksAhead * 7 + weekday - now.weekday);
}

function chineseDays(text: string, now: ZonedNow): DaySpan[] {
  const spans: DaySpan[] = [];
  const push = (m: RegExpExecArray, date: CalendarDate | null, period?: Period): void => {
    if (date) spans.push({ start: m.index, end: m.index + m[0].length, date, ...(period ? { period } : {}) });
  };
  for (const m of text.matchAll(
    /大前天|前天|昨天|昨日|今天|今日|今儿|明天|明日|明儿|大后天|后天|今早|今晚|明早|明晚|昨晚/g,
  )) {
    const word = m[0];
    const withPeriod = CN_DAY_WITH_PERIOD[word];
    if (withPeriod) push(m, addDays(now, withPeriod[0]), withPeriod[1]);
    else push(m, addDays(now, CN_RELATIVE_DAYS[word] ?? 0));
  }
  for (const m of text.matchAll(/(?:(这|本|下下|下|上)个?)?(?:周|星期|礼拜)([一二三四五六日天1-7])/g)) {
    const weekday = CN_WEEKDAY[m[2]!] ?? Number(m[2]);
    const weeks = m[1] === '下下' ? 2 : m[1] === '下' ? 1 : m[1] === '上' ? -1 : 0;
    push(m, weekdayInWeek(now, weekday, weeks));
  }
  for (const m of text.matchAll(
    new RegExp(`(?:(\\d{4}|[零〇一二三四五六七八九]{4})年)?(${N})月(${N})(?:号|日)?`, 'g'),
  )) {
    const month = cnNumber(m[2]);
    const day = cnNumber(m[3]);
    if (month === null || day === null) continue;
    if (m[1]) {
      const y = cnNumber(m[1]);
      if (y !== null && isValidDate(y, month, day)) push(m, { y, m: month, d: day });
    } else push(m, closestYear(now, month, day));
  }
  for (const m of text.matchAll(/(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)/g)) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (isValidDate(y, mo, d)) push(m, { y, m: mo, d });
  }
  // A day of month alone; not a shoe or battery size ("37号鞋", "5号电池") nor a house number.
  for (const m of text.matchAll(
    new RegExp(
      `(?<![月第穿码\\d零〇一二两三四五六七八九十])(?:(下个?月|这个?月|本月)?)(${N})(?:号|日)(?![电鞋楼线码栋门房床位球])`,
      'g',
    ),
  )) {
    const day = cnNumber(m[2]);
    if (day === null || day < 1 || day > 31) continue;
    if (m[1]?.startsWith('下')) {
      const first = new Date(Date.UTC(now.y, now.m, 1));
      const y = first.getUTCFullYear();
      const mo = first.getUTCMonth() + 1;
      if (isValidDate(y, mo, day)) push(m, { y, m: mo, d: day });
    } else if (m[1]) {
      if (isValidDate(now.y, now.m, day)) push(m, { y: now.y, m: now.m, d: day });
    } else push(m, closestMonth(now, day));
  }
  for (const m of text.matchAll(new RegExp(`(${N})天(?:以后|之后|后)|过(${N})天`, 'g'))) {
    const n = cnNumber(m[1] ?? m[2]);
    if (n !== null && n <= 366) push(m, addDays(now, n));
  }
  return spans;
}

function chineseTimes(text: string): TimeSpan[] {
  const spans: TimeSpan[] = [];
  const periodRe = Object.keys(CN_PERIODS).join('|');
  const re = new RegExp(
    `(${periodRe})?(?:(${N})(?:点|时)(?:(半)|(一刻)|(三刻)|(${N})分?)?|(\\d{1,2})[:：](\\d{2}))?`,
    'g',
  );
  for (const m of text.matchAll(re)) {
    if (m[0] === '') continue;
    const period = m[1] ? CN_PERIODS[m[1]] : undefined;
    const rawHour = m[2] ?? m[7];
    if (rawHour === undefined) {
      if (period)
        spans.push({ start: m.index, end: m.index + m[0].length, minute: 0, period, explicit: false });
      continue;
    }
    // "便宜一点" / "快一点" is "a little", not one o'clock.
    if (
      m[2] === '一' &&
      !period &&
      !m[3] &&
      !m[4] &&
      !m[5] &&
      !m[6] &&
      !/^[钟前后左到]/.test(text.slice(m.index + m[0].length))
    )
      continue;
    const hour = m[7] ? Number(m[7]) : cnNumber(m[2]);
    let minute = 0;
    if (m[3]) minute = 30;
    else if (m[4]) minute = 15;
    else if (m[5]) minute = 45;
    else if (m[6]) minute = cnNumber(m[6]) ?? -1;
    else if (m[8]) minute = Number(m[8]);
    if (hour === null || hour > 24 || minute < 0 || minute > 59) continue;
    spans.push({
      start: m.index,
      end: m.index + m[0].length,
      hour,
      minute,
      ...(period ? { period } : {}),
      explicit: m[7] !== undefined && hour >= 13,
    });
  }
  return spans;
}

function englishDays(text: string, now: ZonedNow): DaySpan[] {
  const spans: DaySpan[] = [];
  const push = (m: RegExpExecArray, date: CalendarDate | null, period?: Period): void => {
    if (date) spans.push({ start: m.index, end: m.index + m[0].length, date, ...(period ? { period } : {}) });
  };
  for (const m of text.matchAll(
    /\b(?:(the )?day after tomorrow|today|tonight|tomorrow|tmrw|tmr|yesterday)\b/g,
  )) {
    const w = m[0];
    if (w.endsWith('after tomorrow')) push(m, addDays(now, 2));
    else if (w === 'today') push(m, now);
    else if (w === 'tonight') push(m, now, 'evening');
    else if (w === 'yesterday') push(m, addDays(now, -1));
    else push(m, addDays(now, 1));
  }
  const weekdayRe = new RegExp(`\\b(?:(next|this|last|coming)\\s+)?(${EN_WEEKDAYS.join('|')})\\b`, 'g');
  for (const m of text.matchAll(weekdayRe)) {
    const weekday = EN_WEEKDAYS.indexOf(m[2]!) + 1;
    if (m[1] === 'next') push(m, weekdayInWeek(now, weekday, 1));
    else if (m[1] === 'last') push(m, weekdayInWeek(now, weekday, -1));
    else {
      // "Friday", "this Friday": the coming one, today included.
      const ahead = (weekday - now.weekday + 7) % 7;
      push(m, addDays(now, ahead));
    }
  }
  const monthIndex = (name: string): number =>
    EN_MONTHS.findIndex((full) => full.startsWith(name.slice(0, 3))) + 1;
  const monthFirst = new RegExp(
    `\\b${EN_MONTH_RE}\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?\\b(?:,?\\s+(\\d{4})\\b)?`,
    'g',
  );
  const dayFirst = new RegExp(
    `\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?${EN_MONTH_RE}\\b(?:,?\\s+(\\d{4})\\b)?`,
    'g',
  );
  for (const m of text.matchAll(monthFirst)) {
    const mo = monthIndex(m[1]!);
    const d = Number(m[2]);
    if (m[3]) push(m, isValidDate(Number(m[3]), mo, d) ? { y: Number(m[3]), m: mo, d } : null);
    else push(m, closestYear(now, mo, d));
  }
  for (const m of text.matchAll(dayFirst)) {
    const mo = monthIndex(m[2]!);
    const d = Number(m[1]);
    if (m[3]) push(m, isValidDate(Number(m[3]), mo, d) ? { y: Number(m[3]), m: mo, d } : null);
    else push(m, closestYear(now, mo, d));
  }
  for (const m of text.matchAll(
    /\bin\s+(\d{1,3}|a|one|two|three|four|five|six|seven|ten)\s+(days?|weeks?)\b/g,
  )) {
    const n = EN_SMALL_NUMBERS[m[1]!] ?? Number(m[1]);
    push(m, addDays(now, m[2]!.startsWith('week') ? n * 7 : n));
  }
  return spans;
}

function englishTimes(text: string): TimeSpan[] {
  const spans: TimeSpan[] = [];
  for (const m of text.matchAll(/\b(?:at\s+)?(\d{1,2})(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)(?![a-z])/g)) {
    let hour = Number(m[1]);
    const minute = Number(m[2] ?? 0);
    if (hour < 1 || hour > 12 || minute > 59) continue;
    const pm = m[3]!.startsWith('p');
    if (pm && hour < 12) hour += 12;
    if (!pm && hour === 12) hour = 0;
    spans.push({ start: m.index, end: m.index + m[0].length, hour, minute, explicit: true });
  }
  for (const m of text.matchAll(/\b(?:at\s+)?([01]?\d|2[0-3]):([0-5]\d)\b(?!\s*(?:am|pm|a\.m|p\.m))/g)) {
    spans.push({
      start: m.index,
      end: m.index + m[0].length,
      hour: Number(m[1]),
      minute: Number(m[2]),
      explicit: Number(m[1]) >= 13,
    });
  }
  for (const m of text.matchAll(/\b(?:at\s+)?(noon|midday|midnight)\b/g)) {
    spans.push({
      start: m.index,
      end: m.index + m[0].length,
      hour: m[1] === 'midnight' ? 0 : 12,
      minute: 0,
      explicit: true,
    });
  }
  for (const m of text.matchAll(/\b(?:in the\s+)?(morning|afternoon|evening)\b/g)) {
    const period: Period = m[1] === 'morning' ? 'morning' : m[1] === 'afternoon' ? 'afternoon' : 'evening';
    spans.push({ start: m.index, end: m.index + m[0].length, minute: 0, period, explicit: false });
  }
  return spans;
}

/** Hour on a 24-hour clock from a spoken hour and its period; a bare 1–6 o'clock is read as afternoon (shop hours). */
function resolveHour(hour: number, period: Period | undefined, explicit: boolean): number {
  if (explicit) return hour;
  switch (period) {
    case 'afternoon':
      return hour < 12 ? hour + 12 : hour;
    case 'evening':
      // 晚上十二点 is midnight at the end of that day.
      return hour <= 12 ? hour + 12 : hour;
    case 'noon':
      return hour <= 3 ? hour + 12 : hour;
    case 'night':
      return hour >= 6 && hour < 12 ? hour + 12 : hour === 12 ? 0 : hour;
    case 'morning':
    case 'early':
      return hour === 12 ? 0 : hour;
    default:
      return hour >= 1 && hour <= 6 ? hour + 12 : hour;
  }
}

/** Only spaces, "at", "的" or a comma may stand between a day and its time. */
function adjacent(text: string, from: number, to: number): boolean {
  return from <= to && /^(?:\s*(?:at|on)?\s*|[\s,的]*)$/.test(text.slice(from, to));
}

function overlaps(a: { start: number; end: number }, b: { start: number; end: number }): boolean {
  return a.start < b.end && b.start < a.end;
}

/** Drops spans contained in a longer span of the same list. */
function longest<T extends { start: number; end: number }>(spans: T[]): T[] {
  const sorted = [...spans].sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start);
  const kept: T[] = [];
  for (const s of sorted) if (!kept.some((k) => overlaps(k, s))) kept.push(s);
  return kept.sort((a, b) => a.start - b.start);
}

function toHit(now: ZonedNow, timeZone: string, day: DaySpan | null, time: TimeSpan | null): DateHit | null {
  const start = Math.min(day?.start ?? Number.POSITIVE_INFINITY, time?.start ?? Number.POSITIVE_INFINITY);
  const end = Math.max(day?.end ?? 0, time?.end ?? 0);
  const date = day?.date ?? now;
  if (time?.hour === undefined) {
    if (!day) return null;
    return { type: 'date', start, end, value: { date: isoDate(date) } };
  }
  let hour = resolveHour(time.hour, time.period ?? day?.period, time.explicit);
  let calendar = date;
  if (hour === 24) {
    hour = 0;
    calendar = addDays(date, 1);
  }
  const datetime = isoDateTime(calendar, hour, time.minute, timeZone);
  return {
    type: 'datetime',
    start,
    end,
    value: { datetime, date: isoDate(calendar), time: datetime.slice(11, 16) },
  };
}

/**
 * Finds dates and times in text. `text` must keep the original's indices (callers pass a lower-cased,
 * half-width copy), so `start`/`end` point into the customer's own message.
 */
export function extractDateTimes(text: string, now: ZonedNow, timeZone: string): DateHit[] {
  const days = longest([...chineseDays(text, now), ...englishDays(text, now)]);
  const times = longest([...chineseTimes(text), ...englishTimes(text)]).filter(
    (t) => !days.some((d) => overlaps(d, t)),
  );
  const hits: DateHit[] = [];
  const usedTimes = new Set<TimeSpan>();
  for (const day of days) {
    const after = times.find((t) => !usedTimes.has(t) && adjacent(text, day.end, t.start));
    const before = after
      ? undefined
      : times.find((t) => !usedTimes.has(t) && t.hour !== undefined && adjacent(text, t.end, day.start));
    const time = after ?? before ?? null;
    if (time) usedTimes.add(time);
    const hit = toHit(now, timeZone, day, time);
    if (hit) hits.push(hit);
  }
  for (const time of times) {
    if (usedTimes.has(time)) continue;
    const hit = toHit(now, timeZone, null, time);
    if (hit) hits.push(hit);
  }
  return hits.sort((a, b) => a.start - b.start);
}
