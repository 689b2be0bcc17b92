// The voice usage chart: call minutes per day, inbound and outbound stacked.
import type { VoiceUsage } from '@zhike/contracts';
// Registers ECharts' bar chart and components (a type-only import would not load them).
import '../botAnalytics/charts.ts';
import type { ChartOption } from '../botAnalytics/charts.ts';
import type { Translate } from '../i18n/catalogue.ts';

export function usageOption(usage: VoiceUsage, t: Translate): ChartOption {
  const days = usage.days.map((d) => d.day.slice(5));
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 40, right: 16, top: 36, bottom: 28 },
    xAxis: { type: 'category', data: days },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      {
        name: t('speech.usage.inbound'),
        type: 'bar',
        stack: 'minutes',
        data: usage.days.map((d) => d.inboundMinutes),
      },
      {
        name: t('speech.usage.outbound'),
        type: 'bar',
        stack: 'minutes',
        data: usage.days.map((d) => d.outboundMinutes),
      },
    ],
  };
}
