// Quality results read for reports: the ruleset in force (the default until first saved), rule and agent
// names, and the results summary of a workspace over a period — what the weekly review calls.
import {
  type DayOf,
  defaultQualityRuleset,
  localDay,
  type QualityRuleset,
  type QualitySummary,
  qualitySummary,
  type WorkspaceStore,
  workspaceTimeZone,
} from '@zhike/core';

export async function rulesetOf(store: WorkspaceStore): Promise<QualityRuleset> {
  return (await store.quality.rulesets.current()) ?? defaultQualityRuleset();
}

export const ruleNamesOf = (ruleset: QualityRuleset): Record<string, string> =>
  Object.fromEntries(ruleset.rules.map((r) => [r.id, r.name]));

/** Days counted in the shop's time zone (its business hours'), as the other reports count them. */
export async function dayOfWorkspace(store: WorkspaceStore): Promise<DayOf> {
  const timeZone = await workspaceTimeZone(store);
  return (iso) => localDay(new Date(iso), timeZone);
}

export async function namesOf(store: WorkspaceStore): Promise<Map<string, string>> {
  return new Map((await store.users.list()).map((u) => [u.id, u.name]));
}

export interface QualityReport extends Omit<QualitySummary, 'agents'> {
  agents: (QualitySummary['agents'][number] & { name: string | null })[];
  /** Rule ids named after the ruleset in force. */
  ruleNames: Record<string, string>;
}

/**
 * The results summary for a workspace and period, [from, to): the function the weekly review calls.
 * Rule ids are named after the ruleset in force.
 */
export async function qualitySummaryOf(
  store: WorkspaceStore,
  from: string,
  to: string,
): Promise<QualityReport> {
  const [facts, ruleset, names, dayOf] = await Promise.all([
    store.quality.results.facts(from, to),
    rulesetOf(store),
    namesOf(store),
    dayOfWorkspace(store),
  ]);
  const summary = qualitySummary(facts, ruleset.sampling.reviewBelow, dayOf);
  return {
    ...summary,
    agents: summary.agents.map((a) => ({ ...a, name: a.agentId ? (names.get(a.agentId) ?? null) : null })),
    ruleNames: ruleNamesOf(ruleset),
  };
}
