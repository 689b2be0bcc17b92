// The KPI definitions (issue 12), one place for each: what is counted into the hourly rollups as the
// domain events happen, and how the dashboard turns the rollups' sums into the brief's indicators, with
// the targets the shop reviews every week. Pure: the same numbers for the UI, exports and the API.
import { dateTimeFormat } from '../time/dateTimeFormat.ts';

/** What the rollups hold, each a count and a total per hour and dimension. */
export const ROLLUP_METRICS = [
  /** A conversation started. */
  'conversations',
  /** The bot's first answer in a conversation; total: ms since the conversation started. */
  'ai_first_response',
  /** An agent's first reply in a human episode; total: ms since the customer started waiting. */
  'human_first_response',
  /** A waiting conversation was given to an agent; total: ms it waited. */
  'pickup_wait',
  /** A conversation was resolved. */
  'resolved',
  /** Of those, resolved with no person involved (no hand-off, no agent in it). */
  'contained',
  /** Of those, ones a person handled; total: handle time in ms (from the agent taking it). */
  'handle_time',
  /**
   * A resolved conversation whose customer came back on the same intent within 7 days: counted at the
   * earlier conversation's resolution hour, against its first-contact resolution.
   */
  'repeat_contact',
  /** A satisfaction rating; total: the score (1–5). */
  'csat',
  /** Of those, 4 or 5. */
  'csat_satisfied',
  'complaint_opened',
  'complaint_closed',
  /** A ticket reached solved or closed. */
  'tickets_solved',
  /** A ticket's SLA target was missed. */
  'sla_breached',
  /** A turn the bot worked on. */
  'bot_turns',
  /** Of those, ones it had no answer for. */
  'bot_fallbacks',
] as const;
export type RollupMetric = (typeof ROLLUP_METRICS)[number];

/** The dimensions every rollup row carries; '' (none) where the fact has no such dimension. */
export interface RollupDims {
  channel: string;
  queueId: string;
  agentId: string;
  intent: string;
}

/** What a fact is about, kept beside the sums so a number drills down to the things behind it. */
export interface FactSubject {
  kind: 'conversation' | 'ticket' | 'complaint';
  id: string;
  /** The conversation it came from, when there is one (a ticket or complaint may have none). */
  conversationId: string | null;
}

export interface RollupIncrement extends RollupDims {
  metric: RollupMetric;
  /** The hour the fact belongs to, UTC: `YYYY-MM-DDTHH`. */
  hour: string;
  count: number;
  total: number;
  /** Kept as one fact row (the metric's drill-down), beside the sums. */
  subject?: FactSubject;
}

/** One fact as kept for drill-down: what it is about, when, its dimensions and what it added. */
export interface MetricFact extends RollupDims {
  metric: RollupMetric;
  subject: FactSubject;
  at: string;
  total: number;
}

export interface RollupSum {
  metric: RollupMetric;
  count: number;
  total: number;
}

/** The dimensions a dashboard filters by, one at a time. */
export const ROLLUP_DIMS = ['channel', 'queue', 'agent', 'intent'] as const;
export type RollupDim = (typeof ROLLUP_DIMS)[number];

/** One dimension and its value; null: the whole workspace. */
export type RollupFilter = { dim: RollupDim; value: string } | null;

export interface MetricRollupsRepository {
  /**
   * Adds the increments once per `key`, to their hours and to their days in `timeZone`, for the whole
   * workspace and under each dimension they have: an event counted before (by this or another process)
   * adds nothing. False when the key was counted already.
   */
  apply(key: string, increments: readonly RollupIncrement[], at: string, timeZone: string): Promise<boolean>;
  /** Sums per metric and local day from `fromDay` to `toDay` inclusive (YYYY-MM-DD). */
  daily(fromDay: string, toDay: string, filter: RollupFilter): Promise<(RollupSum & { day: string })[]>;
  /** Sums per metric and UTC hour from `fromHour` to `toHour` inclusive (YYYY-MM-DDTHH). */
  hourly(fromHour: string, toHour: string, filter: RollupFilter): Promise<(RollupSum & { hour: string })[]>;
  /** Forgets claims older than `before` (events are not redelivered that late). */
  pruneClaims(before: string): Promise<number>;
  /**
   * The facts of `metrics` kept with a subject, from `from` to `to` (ISO, end exclusive), matching the
   * filter; newest first, at most `limit`.
   */
  facts(
    metrics: readonly RollupMetric[],
    from: string,
    to: string,
    filter: RollupFilter,
    limit: number,
  ): Promise<MetricFact[]>;
}

/** The local day (YYYY-MM-DD) of a UTC hour's start in a time zone. */
export const localDayOfHour = (hour: string, timeZone: string): string =>
  dateTimeFormat('en-CA', { timeZone }).format(new Date(`${hour}:00:00.000Z`));

export const hourOf = (iso: string): string => new Date(iso).toISOString().slice(0, 13);

export const NO_DIMS: RollupDims = { channel: '', queueId: '', agentId: '', intent: '' };

/** The brief's weekly indicators. */
export const KPI_KEYS = [
  'aiResponseSeconds',
  'humanResponseSeconds',
  'pickupWaitSeconds',
  'handleMinutes',
  'fcr',
  'csat',
  'containment',
  'complaintClosure',
  'slaAttainment',
  'botFallbackRate',
] as const;
export type KpiKey = (typeof KPI_KEYS)[number];

export interface KpiTarget {
  /** 'max': the value must stay at or under the target; 'min': at or over it. */
  kind: 'max' | 'min';
  value: number;
}

/**
 * The brief's targets: AI response ≤ 10 s, human response ≤ 30 s, FCR ≥ 85 %, CSAT ≥ 4.2 of 5,
 * containment ≥ 70 %; and the ones a shop reviews beside them.
 */
export const DEFAULT_KPI_TARGETS: Readonly<Record<KpiKey, KpiTarget>> = {
  aiResponseSeconds: { kind: 'max', value: 10 },
  humanResponseSeconds: { kind: 'max', value: 30 },
  pickupWaitSeconds: { kind: 'max', value: 30 },
  handleMinutes: { kind: 'max', value: 15 },
  fcr: { kind: 'min', value: 0.85 },
  csat: { kind: 'min', value: 4.2 },
  containment: { kind: 'min', value: 0.7 },
  complaintClosure: { kind: 'min', value: 0.9 },
  slaAttainment: { kind: 'min', value: 0.95 },
  botFallbackRate: { kind: 'max', value: 0.15 },
};

/** A workspace's own targets: a value per KPI it changed (the direction stays the KPI's). */
export type KpiTargetOverrides = Partial<Record<KpiKey, number>>;

export interface KpiTargetsRepository {
  get(): Promise<{ overrides: KpiTargetOverrides; updatedAt: string | null }>;
  save(overrides: KpiTargetOverrides, at: string): Promise<void>;
}

/** What a target may be: rates 0–1, a rating 1–5, times above zero (at most a day). */
export const KPI_TARGET_BOUNDS: Readonly<Record<KpiKey, { min: number; max: number }>> = {
  aiResponseSeconds: { min: 0.1, max: 86_400 },
  humanResponseSeconds: { min: 0.1, max: 86_400 },
  pickupWaitSeconds: { min: 0.1, max: 86_400 },
  handleMinutes: { min: 0.1, max: 1_440 },
  fcr: { min: 0, max: 1 },
  csat: { min: 1, max: 5 },
  containment: { min: 0, max: 1 },
  complaintClosure: { min: 0, max: 1 },
  slaAttainment: { min: 0, max: 1 },
  botFallbackRate: { min: 0, max: 1 },
};

/** The brief's targets with the workspace's values in place of those it changed (out-of-range ones ignored). */
export function kpiTargets(overrides: KpiTargetOverrides): Record<KpiKey, KpiTarget> {
  const out = { ...DEFAULT_KPI_TARGETS } as Record<KpiKey, KpiTarget>;
  for (const key of KPI_KEYS) {
    const value = overrides[key];
    const bounds = KPI_TARGET_BOUNDS[key];
    if (typeof value === 'number' && Number.isFinite(value) && value >= bounds.min && value <= bounds.max)
      out[key] = { kind: DEFAULT_KPI_TARGETS[key].kind, value };
  }
  return out;
}

export type KpiStatus = 'met' | 'near' | 'missed' | 'no_data';

export interface KpiValue {
  key: KpiKey;
  /** null: nothing to compute it from in the period. */
  value: number | null;
  /** How many facts it stands on (conversations, ratings, replies…). */
  basis: number;
  target: KpiTarget;
  status: KpiStatus;
}

export type MetricTotals = Readonly<Record<RollupMetric, { count: number; total: number }>>;

export function totalsOf(sums: readonly RollupSum[]): MetricTotals {
  const out = Object.fromEntries(ROLLUP_METRICS.map((m) => [m, { count: 0, total: 0 }])) as Record<
    RollupMetric,
    { count: number; total: number }
  >;
  for (const s of sums) {
    out[s.metric].count += s.count;
    out[s.metric].total += s.total;
  }
  return out;
}

const ratio = (part: number, whole: number) => (whole > 0 ? part / whole : null);
const mean = (t: { count: number; total: number }, scale = 1) =>
  t.count > 0 ? t.total / t.count / scale : null;

/** Each KPI from the period's totals, the definitions in one place. */
export function kpiValues(totals: MetricTotals, targets: Readonly<Record<KpiKey, KpiTarget>>): KpiValue[] {
  const resolved = totals.resolved.count;
  const values: Record<KpiKey, { value: number | null; basis: number }> = {
    aiResponseSeconds: { value: mean(totals.ai_first_response, 1000), basis: totals.ai_first_response.count },
    humanResponseSeconds: {
      value: mean(totals.human_first_response, 1000),
      basis: totals.human_first_response.count,
    },
    pickupWaitSeconds: { value: mean(totals.pickup_wait, 1000), basis: totals.pickup_wait.count },
    handleMinutes: { value: mean(totals.handle_time, 60_000), basis: totals.handle_time.count },
    // First-contact resolution: resolved conversations whose customer did not come back on the same
    // intent within 7 days, over all resolved.
    fcr: {
      value: ratio(Math.max(0, resolved - totals.repeat_contact.count), resolved),
      basis: resolved,
    },
    csat: { value: mean(totals.csat), basis: totals.csat.count },
    containment: { value: ratio(totals.contained.count, resolved), basis: resolved },
    complaintClosure: {
      value: ratio(totals.complaint_closed.count, totals.complaint_opened.count),
      basis: totals.complaint_opened.count,
    },
    slaAttainment: {
      value: ratio(
        Math.max(0, totals.tickets_solved.count - totals.sla_breached.count),
        totals.tickets_solved.count,
      ),
      basis: totals.tickets_solved.count,
    },
    botFallbackRate: {
      value: ratio(totals.bot_fallbacks.count, totals.bot_turns.count),
      basis: totals.bot_turns.count,
    },
  };
  return KPI_KEYS.map((key) => {
    const { value, basis } = values[key];
    const target = targets[key];
    return {
      key,
      value: value === null ? null : round(value),
      basis,
      target,
      status: statusOf(value, target),
    };
  });
}

/** Met the target; near: within 10 % of it on the wrong side; missed beyond that. */
export function statusOf(value: number | null, target: KpiTarget): KpiStatus {
  if (value === null) return 'no_data';
  if (target.kind === 'max') {
    if (value <= target.value) return 'met';
    return value <= target.value * 1.1 ? 'near' : 'missed';
  }
  if (value >= target.value) return 'met';
  return value >= target.value * 0.9 ? 'near' : 'missed';
}

const round = (n: number) => Math.round(n * 10_000) / 10_000;
