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
  type RollupSum,
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
  const fromHour = hourOf(first.start);
  const toHour = hourOf(new Date(Date.parse(last.end) - 1).toISOString());
  // The zone's offset on each day; constant (no daylight saving in the range, as in China) lets the
  // database sum whole local days, else hours are summed and assigned to days here.
  const offsets = new Set(
    range.days.map((d) => (Date.parse(`${d.day}T00:00:00.000Z`) - Date.parse(d.start)) / 60_000),
  );
  const byDay = new Map<string, RollupSum[]>();
  const rows: RollupSum[] = [];
  const [offset] = offsets;
  if (offsets.size === 1 && offset !== undefined && Number.isInteger(offset)) {
    for (const r of await store.metricRollups.daily(fromHour, toHour, offset, filter)) {
      rows.push(r);
      byDay.set(r.day, [...(byDay.get(r.day) ?? []), r]);
    }
  } else {
    const hours = await store.metricRollups.hourly(fromHour, toHour, filter);
    // Both sorted: one pass assigns each hour to its local day.
    let i = 0;
    for (const d of range.days) {
      const to = hourOf(new Date(Date.parse(d.end) - 1).toISOString());
      const mine: RollupSum[] = [];
      while (i < hours.length && (hours[i]?.hour ?? '') <= to) {
        const h = hours[i++];
        if (h && h.hour >= hourOf(d.start)) mine.push(h);
      }
      byDay.set(d.day, mine);
      rows.push(...mine);
    }
  }
  const perDay = range.days.map((d) => {
    const totals = totalsOf(byDay.get(d.day) ?? []);
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
