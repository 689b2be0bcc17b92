// Business hours: whether a human is available now, in the shop's time zone.

export interface BusinessHoursPeriod {
  /** 0 = Sunday … 6 = Saturday. */
  days: number[];
  /** "HH:MM" local time; close may be "24:00". A period with close < open runs past midnight. */
  open: string;
  close: string;
}

export interface BusinessHours {
  /** IANA zone, default Asia/Shanghai. */
  timeZone?: string;
  periods: BusinessHoursPeriod[];
}

const WEEKDAYS: Readonly<Record<string, number>> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

function minutes(hhmm: string): number {
  const [h = '0', m = '0'] = hhmm.split(':');
  return Number(h) * 60 + Number(m);
}

function localClock(now: Date, timeZone: string): { day: number; minute: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(now);
  const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? '0';
  return { day: WEEKDAYS[get('weekday')] ?? 0, minute: Number(get('hour')) * 60 + Number(get('minute')) };
}

export function isWithinBusinessHours(hours: BusinessHours, now: Date): boolean {
  const { day, minute } = localClock(now, hours.timeZone ?? 'Asia/Shanghai');
  const yesterday = (day + 6) % 7;
  return hours.periods.some((p) => {
    const open = minutes(p.open);
    const close = minutes(p.close);
    if (close > open) return p.days.includes(day) && minute >= open && minute < close;
    // Overnight period: the evening part today, the early-morning part from yesterday's opening.
    return (p.days.includes(day) && minute >= open) || (p.days.includes(yesterday) && minute < close);
  });
}
