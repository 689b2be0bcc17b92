// The costs page's chart as an ECharts option: each day's spend as bars, the month to date as a line,
// and the budget as a dashed line when there is one.
import type { CostSummary } from '@zhike/contracts';
import type { ChartOption } from '../botAnalytics/charts.ts';
import type { Translate } from '../i18n/catalogue.ts';

/**
 * Every day of the month, zero where nothing was spent, so the axis reads as a calendar; the month to date
 * stops at `today` (YYYY-MM-DD).
 */
export function dailySeries(
  summary: CostSummary,
  today: string,
): { day: string; cost: number; total: number | null }[] {
  const [year, month] = summary.month.split('-').map(Number) as [number, number];
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const spent = new Map(summary.days.map((d) => [d.day, d.costYuan]));
  let total = 0;
  return Array.from({ length: days }, (_, i) => {
    const day = `${summary.month}-${String(i + 1).padStart(2, '0')}`;
    const cost = spent.get(day) ?? 0;
    total += cost;
    return { day, cost, total: day <= today ? Math.round(total * 100) / 100 : null };
  });
}

export function dailyCostOption(summary: CostSummary, today: string, t: Translate): ChartOption {
  const rows = dailySeries(summary, today);
  const budget = summary.budget.monthlyYuan;
  return {
    // A report, not a show: no animation (a redrawn chart never shows a bar halfway between two scales).
    animation: false,
    tooltip: { trigger: 'axis' },
    legend: { bottom: 0 },
    grid: { left: 48, right: 16, top: 16, bottom: 56 },
    xAxis: { type: 'category', data: rows.map((r) => r.day.slice(8)) },
    yAxis: { type: 'value' },
    series: [
      { name: t('costs.daily.cost'), type: 'bar', data: rows.map((r) => r.cost) },
      { name: t('costs.daily.total'), type: 'line', data: rows.map((r) => r.total), showSymbol: false },
      ...(budget !== null
        ? [
            {
              name: t('costs.daily.budget'),
              type: 'line' as const,
              data: rows.map(() => budget),
              showSymbol: false,
              lineStyle: { type: 'dashed' as const },
            },
          ]
        : []),
    ],
  };
}
