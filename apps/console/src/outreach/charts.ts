// The report chart: each group's repurchase rate (variants and the hold-out) as ECharts bars.
import type { OutreachReport } from '@zhike/contracts';
import type { ChartOption } from '../botAnalytics/charts.ts';
// For its side effect: it registers the bar chart, grid, tooltip and canvas renderer with echarts/core.
import '../botAnalytics/charts.ts';
import type { Translate } from '../i18n/catalogue.ts';

export const groupLabel = (group: string, t: Translate) =>
  group === 'holdout'
    ? t('outreach.detail.group.holdout')
    : t('outreach.detail.group.variant', { key: group });

export function repurchaseOption(report: OutreachReport, t: Translate): ChartOption {
  return {
    tooltip: { trigger: 'axis' },
    grid: { left: 48, right: 16, top: 16, bottom: 28 },
    xAxis: { type: 'category', data: report.groups.map((g) => groupLabel(g.group, t)) },
    yAxis: { type: 'value', axisLabel: { formatter: '{value}%' } },
    series: [
      {
        type: 'bar',
        name: t('outreach.detail.rate'),
        data: report.groups.map((g) => ({
          value: g.repurchaseRate === null ? 0 : Math.round(g.repurchaseRate * 1000) / 10,
          itemStyle: { color: g.group === 'holdout' ? '#bfbfbf' : '#1677ff' },
        })),
        label: { show: true, position: 'top', formatter: '{c}%' },
      },
    ],
  };
}
