// Agent throughput before and after assist was turned on (the brief: +50 %): conversations agents resolved
// per hour online, over equal whole-day windows either side of the day it was switched on, from the same
// agent-metrics sums the agent report reads.
import type { AssistImpact } from '@zhike/contracts';
import {
  ASSIST_THROUGHPUT_TARGET,
  agentMetricsReport,
  assistImpactWindows,
  botAnalyticsRange,
  type DayWindow,
  statusOf,
  throughputChange,
  type WorkspaceStore,
  workspaceTimeZone,
} from '@zhike/core';

const localDay = (at: Date, timeZone: string) => new Intl.DateTimeFormat('en-CA', { timeZone }).format(at);

/** Roles that serve customers (their online hours are the denominator). */
const SERVING: ReadonlySet<string> = new Set(['agent', 'supervisor']);

async function throughput(store: WorkspaceStore, window: DayWindow, timeZone: string, now: Date) {
  const range = botAnalyticsRange({ ...window, timeZone, now });
  const [sums, users] = await Promise.all([store.agentMetrics.sums(range, {}), store.users.list()]);
  const agentIds = [
    ...new Set([
      ...users.filter((u) => SERVING.has(u.role)).map((u) => u.id),
      ...sums.agents.map((a) => a.userId),
    ]),
  ];
  const { totals } = agentMetricsReport(sums, { range, agentIds, now });
  return {
    ...window,
    handled: totals.handled,
    onlineHours: Math.round((totals.onlineSeconds / 3600) * 100) / 100,
    handledPerOnlineHour: totals.handledPerOnlineHour,
    firstResponseSeconds: totals.firstResponseSeconds,
    handleSeconds: totals.handleSeconds,
    suggestionsShown: totals.suggestionsShown,
    suggestionAcceptance: totals.suggestionAcceptance,
  };
}

export async function assistImpact(store: WorkspaceStore, now: Date, days: number): Promise<AssistImpact> {
  const [settings, timeZone] = await Promise.all([store.assistSettings.get(), workspaceTimeZone(store)]);
  const windows = settings.enabledAt
    ? assistImpactWindows(localDay(new Date(settings.enabledAt), timeZone), localDay(now, timeZone), days)
    : null;
  const [before, after] = windows
    ? await Promise.all([
        throughput(store, windows.before, timeZone, now),
        throughput(store, windows.after, timeZone, now),
      ])
    : [null, null];
  const change = throughputChange(before?.handledPerOnlineHour ?? null, after?.handledPerOnlineHour ?? null);
  return {
    enabled: settings.enabled,
    enabledAt: settings.enabledAt,
    timeZone,
    before,
    after,
    change,
    target: ASSIST_THROUGHPUT_TARGET,
    status: statusOf(change, { kind: 'min', value: ASSIST_THROUGHPUT_TARGET }),
  };
}
