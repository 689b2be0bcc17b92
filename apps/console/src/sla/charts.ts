// The SLA report's chart as an ECharts option: met, breached and running targets per metric, stacked.
import type { SlaReport } from '@zhike/contracts';
import type { ChartOption } from '../botAnalytics/charts.ts';
// For its side effect: it registers the bar chart, grid, legend, tooltip and canvas renderer.
import '../botAnalytics/charts.ts';
import type { Translate } from '../i18n/catalogue.ts';

const COLORS = { met: '#52c41a', breached: '#ff4d4f', open: '#bfbfbf' } as const;

export function slaReportOption(byMetric: SlaReport['byMetric'], t: Translate): ChartOption {
  const keys = ['met', 'breached', 'open'] as const;
  return {
    tooltip: { trigger: 'axis' },
    legend: { bottom: 0 },
    grid: { left: 48, right: 16, top: 16, bottom: 48 },
    xAxis: { type: 'category', data: byMetric.map((m) => t(`sla.metric.${m.metric}`)) },
    yAxis: { type: 'value', minInterval: 1 },
    series: keys.map((key) => ({
      type: 'bar',
      stack: 'targets',
      name: t(`sla.report.${key}`),
      data: byMetric.map((m) => m[key]),
      itemStyle: { color: COLORS[key] },
    })),
  };
}

/** "93.5 %", or "—" when nothing finished. */
export const formatRate = (rate: number | null): string =>
  rate === null ? '—' : `${Math.round(rate * 1000) / 10} %`;
