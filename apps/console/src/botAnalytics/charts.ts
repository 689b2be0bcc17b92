// The two charts of the analytics page as ECharts options, built from the API's numbers. Only the chart
// types and components used here are registered (echarts/core), which keeps the bundle small.
import type { BotAnalytics } from '@zhike/contracts';
import { BarChart, type BarSeriesOption, LineChart, type LineSeriesOption } from 'echarts/charts';
import {
  GridComponent,
  type GridComponentOption,
  LegendComponent,
  type LegendComponentOption,
  TooltipComponent,
  type TooltipComponentOption,
} from 'echarts/components';
import { type ComposeOption, use } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import type { Translate } from '../i18n/catalogue.ts';

use([LineChart, BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export type ChartOption = ComposeOption<
  LineSeriesOption | BarSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption
>;

const REASON_KEYS = [
  'customer_request',
  'fallback',
  'no_answer',
  'negative_sentiment',
  'order_number_missing',
  'complaint',
] as const;

/** A hand-off reason in the reader's words; `urgency:<signals>` reasons read as one kind. */
export function reasonLabel(reason: string, t: Translate): string {
  if (reason.startsWith('urgency')) return t('botAnalytics.reason.urgency');
  if (reason === 'complaint:grave') return t('botAnalytics.reason.grave_complaint');
  const known = REASON_KEYS.find((k) => k === reason);
  return known ? t(`botAnalytics.reason.${known}`) : reason;
}

/** Turns, answers, fallbacks and hand-offs per day; the x axis shows M-D. */
export function dailyOption(daily: BotAnalytics['daily'], t: Translate): ChartOption {
  const series = (key: 'turns' | 'answered' | 'fallbacks' | 'handoffs', color: string): LineSeriesOption => ({
    type: 'line',
    name: t(`botAnalytics.daily.${key}`),
    data: daily.map((d) => d[key]),
    symbolSize: 6,
    itemStyle: { color },
  });
  return {
    tooltip: { trigger: 'axis' },
    legend: { bottom: 0 },
    grid: { left: 40, right: 16, top: 16, bottom: 48 },
    xAxis: { type: 'category', data: daily.map((d) => d.day.slice(5)), boundaryGap: false },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      series('turns', '#1677ff'),
      series('answered', '#52c41a'),
      series('fallbacks', '#faad14'),
      series('handoffs', '#ff4d4f'),
    ],
  };
}

/** Hand-off reasons as horizontal bars, the most frequent on top. */
export function reasonsOption(reasons: BotAnalytics['handoffReasons'], t: Translate): ChartOption {
  const ordered = [...reasons].reverse();
  return {
    tooltip: { trigger: 'item' },
    grid: { left: 8, right: 32, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: ordered.map((r) => reasonLabel(r.reason, t)) },
    series: [
      {
        type: 'bar',
        data: ordered.map((r) => r.count),
        itemStyle: { color: '#ff7a45', borderRadius: [0, 4, 4, 0] },
        label: { show: true, position: 'right' },
        barMaxWidth: 24,
      },
    ],
  };
}
