// The KPI report the dashboard, exports and the API share: the range's rollups summed into each
// indicator against its target, and the same definitions applied day by day for the trend.
import {
  type BotAnalyticsRange,
  type KpiKey,
  type KpiValue,
  kpiTargets,
  kpiValues,
  type RollupFilter,
  type RollupSum,
  totalsOf,
  type WorkspaceRepositories,
} from '@zhike/core';

export interface KpiReportData {
  kpis: KpiValue[];
  daily: { day: string; values: Record<KpiKey, number | null>; conversations: number }[];
  /**
   * For a one-day range, the same by hour (local `HH:mm` the hour starts at), read from the hourly
   * rollups; null for longer ranges.
   */
  hourly: { hour: string; values: Record<KpiKey, number | null>; conversations: number }[] | null;
  conversations: number;
}

/** `YYYY-MM-DDTHH` (UTC) of each hour from the one holding `from` to the one before `to`. */
function utcHours(from: string, to: string): string[] {
  const hours: string[] = [];
  for (let at = Date.parse(from.slice(0, 13) + ':00:00.000Z'); at < Date.parse(to); at += 3_600_000)
    hours.push(new Date(at).toISOString().slice(0, 13));
  return hours;
}

export async function kpiReport(
  store: Pick<WorkspaceRepositories, 'metricRollups' | 'kpiTargets'>,
  range: BotAnalyticsRange,
  filter: RollupFilter,
  timeZone: string,
): Promise<KpiReportData> {
  const targets = kpiTargets((await store.kpiTargets.get()).overrides);
  const first = range.days[0];
  const last = range.days.at(-1);
  if (!first || !last)
    return { kpis: kpiValues(totalsOf([]), targets), daily: [], hourly: null, conversations: 0 };
  // Days are counted in the workspace's zone when the facts are recorded.
  const rows = await store.metricRollups.daily(first.day, last.day, filter);
  const byDay = new Map<string, RollupSum[]>();
  for (const r of rows) {
    const list = byDay.get(r.day);
    if (list) list.push(r);
    else byDay.set(r.day, [r]);
  }
  const perDay = range.days.map((d) => {
    const totals = totalsOf(byDay.get(d.day) ?? []);
    const values = Object.fromEntries(kpiValues(totals, targets).map((k) => [k.key, k.value])) as Record<
      KpiKey,
      number | null
    >;
    return { day: d.day, values, conversations: totals.conversations.count };
  });
  const totals = totalsOf(rows);
  let hourly: KpiReportData['hourly'] = null;
  if (first === last) {
    const hours = utcHours(first.start, first.end);
    const hourRows = await store.metricRollups.hourly(hours[0] ?? '', hours.at(-1) ?? '', filter);
    const local = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    hourly = hours.map((hour) => {
      const sums = totalsOf(hourRows.filter((r) => r.hour === hour));
      const values = Object.fromEntries(kpiValues(sums, targets).map((k) => [k.key, k.value])) as Record<
        KpiKey,
        number | null
      >;
      return {
        hour: local.format(new Date(`${hour}:00:00.000Z`)),
        values,
        conversations: sums.conversations.count,
      };
    });
  }
  return {
    kpis: kpiValues(totals, targets),
    daily: perDay,
    hourly,
    conversations: totals.conversations.count,
  };
}

/** The report as a table: a header, one row per day, then the period's total — what CSV and XLSX export. */
export function kpiRows(report: KpiReportData): (string | number | null)[][] {
  const keys = report.kpis.map((k) => k.key);
  return [
    ['day', 'conversations', ...keys],
    ...report.daily.map((d) => [d.day, d.conversations, ...keys.map((k) => d.values[k])]),
    ['total', report.conversations, ...report.kpis.map((k) => k.value)],
  ];
}

const csvCell = (value: string | number | null) => {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/** The report as CSV, the same numbers as the API. */
export function kpiCsv(report: KpiReportData): string {
  return `${kpiRows(report)
    .map((row) => row.map(csvCell).join(','))
    .join('\r\n')}\r\n`;
}
