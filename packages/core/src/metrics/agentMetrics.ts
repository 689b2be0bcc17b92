// Agent metrics as the floor reads them: from the repository's sums (durations, counts, ratings) to
// averages and rates per agent, per queue and per day. Pure arithmetic, so every rule is unit-tested here.
import type { BotAnalyticsRange } from '../bot/turns.ts';
import type { PresenceChange } from './conversationActivity.ts';
import { onlineSeconds } from './conversationActivity.ts';

/** Sums over a range; averages are derived from them, never stored. */
export interface ActivityTotals {
  firstResponses: number;
  firstResponseMs: number;
  handled: number;
  handleMs: number;
  /** Resolved conversations that have a customer rating, and the ratings' sum (1..5 each). */
  rated: number;
  ratingSum: number;
}

export interface SuggestionTotals {
  /** Customer messages the agent was shown suggestions for (one verdict each). */
  shown: number;
  /** Of those, where the agent sent a suggestion as it was or edited. */
  used: number;
}

/** What the repository reads for a range, optionally for one agent only. */
export interface AgentMetricSums {
  agents: (ActivityTotals & { userId: string })[];
  queues: (ActivityTotals & { queueId: string | null })[];
  daily: (ActivityTotals & { day: string })[];
  suggestions: (SuggestionTotals & { userId: string })[];
  /** Per agent, the last change before the range and every change inside it. */
  presence: PresenceChange[];
}

export interface ActivityFigures {
  /** Mean first response time, seconds; null when there was no first response. */
  firstResponseSeconds: number | null;
  firstResponses: number;
  /** Mean handle time (assignment to resolution), seconds. */
  handleSeconds: number | null;
  handled: number;
  /** Mean customer rating (1..5) of the conversations resolved, null without ratings. */
  csatAverage: number | null;
  rated: number;
}

export interface AgentFigures extends ActivityFigures {
  userId: string;
  onlineSeconds: number;
  /** Conversations resolved per hour online; null when the agent was not online. */
  handledPerOnlineHour: number | null;
  suggestionsShown: number;
  /** (accepted + edited) / shown; null when nothing was shown. */
  suggestionAcceptance: number | null;
}

export interface AgentMetricsReport {
  agents: AgentFigures[];
  queues: (ActivityFigures & { queueId: string | null })[];
  daily: (ActivityFigures & { day: string })[];
  totals: ActivityFigures & {
    onlineSeconds: number;
    handledPerOnlineHour: number | null;
    suggestionsShown: number;
    suggestionAcceptance: number | null;
  };
}

export const emptyTotals = (): ActivityTotals => ({
  firstResponses: 0,
  firstResponseMs: 0,
  handled: 0,
  handleMs: 0,
  rated: 0,
  ratingSum: 0,
});

const round = (value: number, digits: number) => {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};
const mean = (sum: number, n: number, digits: number): number | null =>
  n === 0 ? null : round(sum / n, digits);

export function activityFigures(t: ActivityTotals): ActivityFigures {
  return {
    firstResponseSeconds: mean(t.firstResponseMs / 1000, t.firstResponses, 1),
    firstResponses: t.firstResponses,
    handleSeconds: mean(t.handleMs / 1000, t.handled, 1),
    handled: t.handled,
    csatAverage: mean(t.ratingSum, t.rated, 2),
    rated: t.rated,
  };
}

const perHour = (handled: number, seconds: number): number | null =>
  seconds <= 0 ? null : round(handled / (seconds / 3600), 2);
const acceptance = (s: SuggestionTotals): number | null =>
  s.shown === 0 ? null : round(Math.min(1, s.used / s.shown), 3);

const add = (a: ActivityTotals, b: ActivityTotals): ActivityTotals => ({
  firstResponses: a.firstResponses + b.firstResponses,
  firstResponseMs: a.firstResponseMs + b.firstResponseMs,
  handled: a.handled + b.handled,
  handleMs: a.handleMs + b.handleMs,
  rated: a.rated + b.rated,
  ratingSum: a.ratingSum + b.ratingSum,
});

/**
 * The report for a range: one row per agent in `agentIds` (the people the caller may see, in that order,
 * with zeros when they did nothing), one per queue that had activity, one per day of the range.
 */
export function agentMetricsReport(
  sums: AgentMetricSums,
  options: { range: BotAnalyticsRange; agentIds: readonly string[]; now: Date },
): AgentMetricsReport {
  const { days } = options.range;
  const from = days[0]?.start;
  const to = days[days.length - 1]?.end;
  if (!from || !to) throw new RangeError('a metrics range has at least one day');
  const online = onlineSeconds(sums.presence, { from, to, now: options.now.toISOString() });
  const activity = new Map(sums.agents.map((a) => [a.userId, a]));
  const suggestions = new Map(sums.suggestions.map((s) => [s.userId, s]));

  const agents = options.agentIds.map((userId): AgentFigures => {
    const t = activity.get(userId) ?? emptyTotals();
    const s = suggestions.get(userId) ?? { shown: 0, used: 0 };
    const seconds = online.get(userId) ?? 0;
    return {
      userId,
      ...activityFigures(t),
      onlineSeconds: seconds,
      handledPerOnlineHour: perHour(t.handled, seconds),
      suggestionsShown: s.shown,
      suggestionAcceptance: acceptance(s),
    };
  });

  const byDay = new Map(sums.daily.map((d) => [d.day, d]));
  const visible = new Set(options.agentIds);
  const total = sums.agents.filter((a) => visible.has(a.userId)).reduce(add, emptyTotals());
  const totalOnline = options.agentIds.reduce((n, id) => n + (online.get(id) ?? 0), 0);
  const totalSuggestions = sums.suggestions
    .filter((s) => visible.has(s.userId))
    .reduce((a, s) => ({ shown: a.shown + s.shown, used: a.used + s.used }), { shown: 0, used: 0 });

  return {
    agents,
    queues: [...sums.queues]
      .sort((a, b) => b.handled + b.firstResponses - (a.handled + a.firstResponses))
      .map((q) => ({ queueId: q.queueId, ...activityFigures(q) })),
    daily: days.map(({ day }) => ({ day, ...activityFigures(byDay.get(day) ?? emptyTotals()) })),
    totals: {
      ...activityFigures(total),
      onlineSeconds: totalOnline,
      handledPerOnlineHour: perHour(total.handled, totalOnline),
      suggestionsShown: totalSuggestions.shown,
      suggestionAcceptance: acceptance(totalSuggestions),
    },
  };
}
