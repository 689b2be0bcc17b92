// The scorecards' charts as ECharts options: each agent's average (a bar, red under the review
// threshold) and the daily average of each agent over the period (a line per agent).
import type { ScorecardView } from '@zhike/contracts';
import type { ChartOption } from '../botAnalytics/charts.ts';
import type { Translate } from '../i18n/catalogue.ts';

const nameOf = (c: ScorecardView, t: Translate) =>
  c.name ?? (c.agentId ? c.agentId.slice(0, 8) : t('quality.bot'));

export function averageOption(
  cards: readonly ScorecardView[],
  reviewBelow: number,
  t: Translate,
): ChartOption {
  const scored = cards.filter((c) => c.average !== null);
  return {
    animation: false,
    tooltip: { trigger: 'axis' },
    grid: { left: 40, right: 16, top: 16, bottom: 40 },
    xAxis: { type: 'category', data: scored.map((c) => nameOf(c, t)) },
    yAxis: { type: 'value', min: 0, max: 100 },
    series: [
      {
        name: t('quality.scorecards.average'),
        type: 'bar',
        barMaxWidth: 48,
        data: scored.map((c) => ({
          value: c.average as number,
          itemStyle: { color: (c.average as number) < reviewBelow ? '#cf1322' : '#1677ff' },
        })),
      },
    ],
  };
}

/** Every day that has a result for anyone, in order; an agent without results that day has a gap. */
export function trendRows(cards: readonly ScorecardView[]): { days: string[]; byAgent: (number | null)[][] } {
  const days = [...new Set(cards.flatMap((c) => c.trend.map((p) => p.day)))].sort();
  const byAgent = cards.map((c) => {
    const averages = new Map(c.trend.map((p) => [p.day, p.average]));
    return days.map((d) => averages.get(d) ?? null);
  });
  return { days, byAgent };
}

export function trendOption(cards: readonly ScorecardView[], t: Translate): ChartOption {
  const shown = cards.filter((c) => c.trend.length > 0);
  const { days, byAgent } = trendRows(shown);
  return {
    animation: false,
    tooltip: { trigger: 'axis' },
    legend: { bottom: 0 },
    grid: { left: 40, right: 16, top: 16, bottom: 56 },
    xAxis: { type: 'category', data: days.map((d) => d.slice(5)) },
    yAxis: { type: 'value', min: 0, max: 100 },
    series: shown.map((c, i) => ({
      name: nameOf(c, t),
      type: 'line' as const,
      data: byAgent[i] ?? [],
      connectNulls: true,
    })),
  };
}
