// What the bot did with each customer message (one durable row per turn) and the read models built on
// those rows: containment, fallback rate, hand-off reasons and the questions the bot could not answer.
import { dateTimeFormat } from '../time/dateTimeFormat.ts';

export const botTurnOutcomes = [
  'answered',
  'clarified',
  'fallback',
  'handed_off',
  'form_step',
  'action',
] as const;
/**
 * answered: a knowledge or intent answer; clarified: asked which of the top candidates was meant;
 * fallback: understood nothing and asked to rephrase; handed_off: passed to humans; form_step: waiting
 * on a slot, order number, verification or call-back detail; action: did something (ticket, call-back).
 */
export type BotTurnOutcome = (typeof botTurnOutcomes)[number];

/** The dialogue engine's own account of one turn, returned with its decision. */
export interface BotTurnSummary {
  outcome: BotTurnOutcome;
  /** What the message was understood as (`faq:<id>` or an intent name), null when nothing confident. */
  target: string | null;
  /** The target's human name when the bot knows it (the FAQ question, the intent's label), as recorded. */
  targetLabel: string | null;
  /** The best candidate's score, 0..1. */
  confidence: number;
}

export interface NewBotTurn extends BotTurnSummary {
  conversationId: string;
  customerId: string;
  /** The customer message the turn answered; one turn per message. */
  messageId: string;
  channel: string;
  /** The customer's words (personal data: stored sealed). */
  question: string;
  handoffReason: string | null;
  handoffPriority: 'normal' | 'high' | 'urgent' | null;
  at: string;
}

export interface BotTurn extends NewBotTurn {
  id: string;
  dismissedAt: string | null;
}

/** A local calendar day of the workspace as the half-open UTC interval [start, end). */
export interface AnalyticsDay {
  day: string;
  start: string;
  end: string;
}

export interface BotAnalyticsRange {
  /** Consecutive days, oldest first; the range is [days[0].start, days[last].end). */
  days: AnalyticsDay[];
  /** A conversation whose last activity is before this instant counts as ended (idle). */
  idleBefore: string;
}

export interface BotDayMetrics {
  day: string;
  turns: number;
  conversations: number;
  answered: number;
  fallbacks: number;
  handoffs: number;
}

export interface BotTurnMetrics {
  turns: number;
  outcomes: Record<BotTurnOutcome, number>;
  /** Conversations with at least one bot turn in the range. */
  conversations: number;
  /** Of those: ended (resolved or idle) with no hand-off and no agent message. */
  contained: number;
  /** Of those: handed off, or an agent wrote in them. */
  escalated: number;
  handoffReasons: { reason: string; count: number }[];
  topAnswers: { target: string; label: string | null; count: number }[];
  daily: BotDayMetrics[];
}

export interface UnansweredTurn {
  id: string;
  conversationId: string;
  question: string;
  at: string;
}

/** The share of decided conversations the bot closed alone; null when none has ended either way yet. */
export const containmentRate = (m: Pick<BotTurnMetrics, 'contained' | 'escalated'>): number | null =>
  m.contained + m.escalated === 0 ? null : m.contained / (m.contained + m.escalated);

export const fallbackRate = (m: Pick<BotTurnMetrics, 'turns' | 'outcomes'>): number | null =>
  m.turns === 0 ? null : m.outcomes.fallback / m.turns;

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A formatter of the zone's wall clock; building one is the slow part, so callers reuse it. */
const wallClock = (timeZone: string) =>
  dateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });

/** Milliseconds the zone is ahead of UTC at `instant`. */
function zoneOffset(instant: number, clock: Intl.DateTimeFormat): number {
  const parts = clock.formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const local = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return local - Math.floor(instant / 1000) * 1000;
}

function localMidnight(day: string, clock: Intl.DateTimeFormat): Date {
  const m = DAY.exec(day);
  if (!m) throw new RangeError(`not a day: ${day}`);
  const midnightUtc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  // Twice: the offset at the guessed instant may differ from the one at UTC midnight (DST changes).
  let guess = midnightUtc - zoneOffset(midnightUtc, clock);
  guess = midnightUtc - zoneOffset(guess, clock);
  return new Date(guess);
}

/** The UTC instant of local midnight starting `day` in `timeZone` (DST-safe). */
export function startOfLocalDay(day: string, timeZone: string): Date {
  return localMidnight(day, wallClock(timeZone));
}

/** The local calendar day (YYYY-MM-DD) of an instant in `timeZone`. */
export function localDay(instant: Date, timeZone: string): string {
  return dateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(instant);
}

const addDays = (day: string, n: number): string => {
  const [y, mo, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, mo - 1, d + n)).toISOString().slice(0, 10);
};

export const MAX_ANALYTICS_DAYS = 366;
/** Minutes without a message after which a conversation the bot was handling counts as ended. */
export const BOT_IDLE_MINUTES = 30;

/**
 * The days from `from` to `to` (both inclusive, local to `timeZone`); by default the last 7 days
 * ending today. Throws RangeError on a reversed or over-long range.
 */
export function botAnalyticsRange(input: {
  from?: string | undefined;
  to?: string | undefined;
  timeZone: string;
  now: Date;
}): BotAnalyticsRange {
  const to = input.to ?? localDay(input.now, input.timeZone);
  const from = input.from ?? addDays(to, -6);
  if (!DAY.test(from) || !DAY.test(to) || addDays(from, 0) !== from || addDays(to, 0) !== to)
    throw new RangeError('dates must be real days, YYYY-MM-DD');
  if (from > to) throw new RangeError('from must not be after to');
  const clock = wallClock(input.timeZone);
  const days: AnalyticsDay[] = [];
  let start = localMidnight(from, clock).toISOString();
  for (let day = from; day <= to; day = addDays(day, 1)) {
    if (days.length === MAX_ANALYTICS_DAYS) throw new RangeError(`at most ${MAX_ANALYTICS_DAYS} days`);
    const end = localMidnight(addDays(day, 1), clock).toISOString();
    days.push({ day, start, end });
    start = end;
  }
  return { days, idleBefore: new Date(input.now.getTime() - BOT_IDLE_MINUTES * 60_000).toISOString() };
}
