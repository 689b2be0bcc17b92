// Per-agent scorecards over a period and the workspace summary the weekly review reads: averages of the
// scores that count (after appeals), how many, the rules broken most, and the trend day by day.
import { effectiveScore, type ResultFact } from './results.ts';

export interface RuleCount {
  ruleId: string;
  /** Results that broke it. */
  count: number;
  /** Share of the results, 0–1. */
  rate: number;
}

/** The calendar day (YYYY-MM-DD) an instant falls on; the workspace's time zone in the server. */
export type DayOf = (iso: string) => string;
const utcDay: DayOf = (iso) => iso.slice(0, 10);

export interface TrendPoint {
  /** YYYY-MM-DD: the day the subject ended (see DayOf). */
  day: string;
  average: number;
  count: number;
}

export interface Scorecard {
  agentId: string | null;
  count: number;
  /** null with no results. */
  average: number | null;
  /** Results under the review threshold. */
  below: number;
  worstRules: RuleCount[];
  trend: TrendPoint[];
}

export interface QualitySummary {
  count: number;
  average: number | null;
  below: number;
  /** The period's rules broken most, for the whole workspace. */
  topRules: RuleCount[];
  /** Per agent (the bot's results under agentId null), worst average first. */
  agents: Scorecard[];
  trend: TrendPoint[];
  conversations: number;
  calls: number;
}

const round1 = (n: number) => Math.round(n * 10) / 10;
const averageOf = (facts: readonly ResultFact[]): number | null =>
  facts.length === 0 ? null : round1(facts.reduce((s, f) => s + effectiveScore(f), 0) / facts.length);

function ruleCounts(facts: readonly ResultFact[], top: number): RuleCount[] {
  const counts = new Map<string, number>();
  for (const f of facts) for (const v of f.violations) counts.set(v.ruleId, (counts.get(v.ruleId) ?? 0) + 1);
  return [...counts]
    .map(([ruleId, count]) => ({ ruleId, count, rate: Math.round((count / facts.length) * 1000) / 1000 }))
    .sort((a, b) => b.count - a.count || a.ruleId.localeCompare(b.ruleId))
    .slice(0, top);
}

function trendOf(facts: readonly ResultFact[], dayOf: DayOf): TrendPoint[] {
  const days = new Map<string, ResultFact[]>();
  for (const f of facts) {
    const day = dayOf(f.endedAt);
    const list = days.get(day);
    if (list) list.push(f);
    else days.set(day, [f]);
  }
  return [...days]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([day, list]) => ({ day, average: averageOf(list) as number, count: list.length }));
}

export function scorecardOf(
  agentId: string | null,
  facts: readonly ResultFact[],
  reviewBelow: number,
  dayOf: DayOf = utcDay,
): Scorecard {
  return {
    agentId,
    count: facts.length,
    average: averageOf(facts),
    below: facts.filter((f) => effectiveScore(f) < reviewBelow).length,
    worstRules: ruleCounts(facts, 3),
    trend: trendOf(facts, dayOf),
  };
}

/** One scorecard per agent with results (and `agentIds` without, so a zero shows), worst first. */
export function scorecards(
  facts: readonly ResultFact[],
  options: { reviewBelow: number; agentIds?: readonly string[]; includeBot?: boolean; dayOf?: DayOf },
): Scorecard[] {
  const byAgent = new Map<string | null, ResultFact[]>();
  for (const id of options.agentIds ?? []) byAgent.set(id, []);
  for (const f of facts) {
    if (f.agentId === null && !options.includeBot) continue;
    const list = byAgent.get(f.agentId);
    if (list) list.push(f);
    else byAgent.set(f.agentId, [f]);
  }
  return [...byAgent]
    .map(([agentId, list]) => scorecardOf(agentId, list, options.reviewBelow, options.dayOf))
    .sort((a, b) => (a.average ?? 101) - (b.average ?? 101) || b.count - a.count);
}

/** The workspace's quality over a period: what the weekly review shows. */
export function qualitySummary(
  facts: readonly ResultFact[],
  reviewBelow: number,
  dayOf: DayOf = utcDay,
): QualitySummary {
  return {
    count: facts.length,
    average: averageOf(facts),
    below: facts.filter((f) => effectiveScore(f) < reviewBelow).length,
    topRules: ruleCounts(facts, 5),
    agents: scorecards(facts, { reviewBelow, includeBot: true, dayOf }),
    trend: trendOf(facts, dayOf),
    conversations: facts.filter((f) => f.subject === 'conversation').length,
    calls: facts.filter((f) => f.subject === 'call').length,
  };
}
