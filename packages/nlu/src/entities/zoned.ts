// Calendar arithmetic in a named time zone without a date library: wall-clock dates are plain
// {y, m, d} values, and only the final ISO string needs the zone's UTC offset at that moment.

export interface CalendarDate {
  y: number;
  m: number;
  d: number;
}

export interface ZonedNow extends CalendarDate {
  /** ISO weekday, 1 = Monday … 7 = Sunday. */
  weekday: number;
  hour: number;
  minute: number;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

// Building a formatter loads the zone's rules and costs far more than using it; every message's dates
// are read in the same few zones, so each zone's two formatters are built once per process (they are
// immutable, so sharing them is safe).
const wallClocks = new Map<string, Intl.DateTimeFormat>();
const offsetNames = new Map<string, Intl.DateTimeFormat>();

function wallClock(timeZone: string): Intl.DateTimeFormat {
  let format = wallClocks.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      hourCycle: 'h23',
    });
    wallClocks.set(timeZone, format);
  }
  return format;
}

export function zonedNow(now: Date, timeZone: string): ZonedNow {
  const parts = wallClock(timeZone).formatToParts(now);
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const date = { y: get('year'), m: get('month'), d: get('day') };
  return { ...date, weekday: weekdayOf(date), hour: get('hour'), minute: get('minute') };
}

export function addDays(date: CalendarDate, days: number): CalendarDate {
  const t = new Date(Date.UTC(date.y, date.m - 1, date.d + days));
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

export function weekdayOf(date: CalendarDate): number {
  const day = new Date(Date.UTC(date.y, date.m - 1, date.d)).getUTCDay();
  return day === 0 ? 7 : day;
}

export function isValidDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** Days from a to b (b − a). */
export function daysBetween(a: CalendarDate, b: CalendarDate): number {
  return Math.round((Date.UTC(b.y, b.m - 1, b.d) - Date.UTC(a.y, a.m - 1, a.d)) / 86_400_000);
}

export function isoDate(date: CalendarDate): string {
  return `${pad(date.y, 4)}-${pad(date.m)}-${pad(date.d)}`;
}

function offsetName(timeZone: string): Intl.DateTimeFormat {
  let format = offsetNames.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
    offsetNames.set(timeZone, format);
  }
  return format;
}

function offsetMinutes(instant: number, timeZone: string): number {
  const name =
    offsetName(timeZone)
      .formatToParts(new Date(instant))
      .find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name);
  if (!m) return 0;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  return m[1] === '-' ? -minutes : minutes;
}

/** Wall-clock time in the zone → ISO 8601 with the zone's offset ("2025-03-05T15:00:00+08:00"). */
export function isoDateTime(date: CalendarDate, hour: number, minute: number, timeZone: string): string {
  const wall = Date.UTC(date.y, date.m - 1, date.d, hour, minute);
  let offset = offsetMinutes(wall, timeZone);
  // Re-read the offset at the real instant: differs only around a DST change.
  offset = offsetMinutes(wall - offset * 60_000, timeZone);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${isoDate(date)}T${pad(hour)}:${pad(minute)}:00${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}
