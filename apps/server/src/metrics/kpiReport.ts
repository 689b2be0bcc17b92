// The KPI report the dashboard, exports and the API share: the range's rollups summed into each
// indicator against its target, and the same definitions applied day by day for the trend.
import {
  type BotAnalyticsRange,
  DEFAULT_KPI_TARGETS,
  hourOf,
  type KpiKey,
  type KpiValue,
  kpiValues,
  type RollupFilter,
  totalsOf,
  type WorkspaceRepositories,
} from '@zhike/core';

export interface KpiReportData {
  kpis: KpiValue[];
  daily: { day: string; values: Record<KpiKey, number | null>; conversations: number }[];
  conversations: number;
}

export async function kpiReport(
  store: Pick<WorkspaceRepositories, 'metricRollups'>,
  range: BotAnalyticsRange,
  filter: RollupFilter,
): Promise<KpiReportData> {
  const first = range.days[0];
  const last = range.days.at(-1);
  if (!first || !last)
    return { kpis: kpiValues(totalsOf([]), DEFAULT_KPI_TARGETS), daily: [], conversations: 0 };
  const rows = await store.metricRollups.hourly(
    hourOf(first.start),
    hourOf(new Date(Date.parse(last.end) - 1).toISOString()),
    filter,
  );
  // Each hour to its local day: a day is [start, end) in UTC, whole hours in every zone on the hour.
  const daily = range.days.map((d) => ({
    day: d.day,
    from: hourOf(d.start),
    to: hourOf(new Date(Date.parse(d.end) - 1).toISOString()),
  }));
  const perDay = daily.map((d) => {
    const mine = rows.filter((r) => r.hour >= d.from && r.hour <= d.to);
    const totals = totalsOf(mine);
    const values = Object.fromEntries(
      kpiValues(totals, DEFAULT_KPI_TARGETS).map((k) => [k.key, k.value]),
    ) as Record<KpiKey, number | null>;
    return { day: d.day, values, conversations: totals.conversations.count };
  });
  const totals = totalsOf(rows);
  return {
    kpis: kpiValues(totals, DEFAULT_KPI_TARGETS),
    daily: perDay,
    conversations: totals.conversations.count,
  };
}
