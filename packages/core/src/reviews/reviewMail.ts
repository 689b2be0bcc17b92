// The weekly review mailed to the shop's owners: the settings (on by default, Monday 08:00 in the
// workspace's zone), which week is due at a moment, and the record of each week's mailing.

export interface ReviewMailSettings {
  /** Mail the review at all. */
  enabled: boolean;
  /** Local hour (0–23, the workspace's zone) from which Monday's mailing of the week before is due. */
  sendHour: number;
  /** Admins receive it too (owners always do). */
  includeAdmins: boolean;
}

export const DEFAULT_REVIEW_MAIL: ReviewMailSettings = { enabled: true, sendHour: 8, includeAdmins: false };

/**
 * What came of one week's mailing: sent to `recipients` people; skipped (nothing happened that week, or
 * nobody to send to); failed for a reason retrying cannot fix (no e-mail inbox to send from, the relay
 * refused). `detail` is a reason code: `no_conversations`, `no_recipients`, `no_email_inbox`, or the
 * relay's words.
 */
export type ReviewMailStatus = 'sent' | 'skipped' | 'failed';

export interface ReviewMailing {
  /** The week's Monday (YYYY-MM-DD). */
  week: string;
  status: ReviewMailStatus;
  recipients: number;
  detail: string | null;
  at: string;
}

export interface ReviewMailRepository {
  settings(): Promise<{ settings: ReviewMailSettings; updatedAt: string | null }>;
  saveSettings(settings: ReviewMailSettings, at: string): Promise<void>;
  /** Stores the week's outcome (a later one replaces it: a failed week sent by hand). */
  record(mailing: ReviewMailing): Promise<void>;
  get(week: string): Promise<ReviewMailing | null>;
  /** Newest week first. */
  list(limit: number): Promise<ReviewMailing[]>;
}

const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T12:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/**
 * The Monday of the week whose review is due at `now`: the last full week, from Monday `sendHour`
 * o'clock in the zone until the next Monday at that hour; null on a Monday before the hour (that week's
 * review is not due yet, the one before was due last Monday).
 */
export function reviewWeekDue(now: Date, timeZone: string, sendHour: number): string | null {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(now);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const today = `${part('year')}-${part('month')}-${part('day')}`;
  const hour = Number(part('hour'));
  const weekday = (new Date(`${today}T12:00:00Z`).getUTCDay() + 6) % 7; // Monday 0
  if (weekday === 0 && hour < sendHour) return null;
  return addDays(today, -weekday - 7);
}
