// Quiet hours in the campaign's own time zone: no call is placed inside them, and the dialler sleeps
// until they end.
import type { QuietHours } from './campaign.ts';

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

export const isTimeOfDay = (value: string): boolean => HHMM.test(value);

const minutesOf = (hhmm: string): number => {
  const m = HHMM.exec(hhmm);
  if (!m) throw new Error(`not a time of day: ${hhmm}`);
  return Number(m[1]) * 60 + Number(m[2]);
};

/** Minutes since local midnight at `at` in `timeZone`. */
export function localMinutes(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const hour = Number(parts.find((p) => p.type === 'hour')?.value ?? 0);
  const minute = Number(parts.find((p) => p.type === 'minute')?.value ?? 0);
  return hour * 60 + minute;
}

export function isQuiet(at: Date, quiet: QuietHours | null, timeZone: string): boolean {
  if (!quiet) return false;
  const now = localMinutes(at, timeZone);
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  if (start === end) return false;
  return start < end ? now >= start && now < end : now >= start || now < end;
}

/** The first minute at or after `at` outside the quiet hours (at itself when not quiet). */
export function quietEndsAt(at: Date, quiet: QuietHours | null, timeZone: string): Date {
  if (!isQuiet(at, quiet, timeZone) || !quiet) return at;
  const now = localMinutes(at, timeZone);
  const end = minutesOf(quiet.end);
  const wait = (end - now + 24 * 60) % (24 * 60) || 24 * 60;
  const next = new Date(at.getTime() + wait * 60_000);
  next.setUTCSeconds(0, 0);
  // Daylight-saving shifts can leave us a little inside the window: step on minute by minute.
  let guard = 0;
  let probe = next;
  while (isQuiet(probe, quiet, timeZone) && guard++ < 180) probe = new Date(probe.getTime() + 60_000);
  return probe;
}
