// The topics page's charts as ECharts options: the largest topics as bars (rising ones in red), and the
// emotion trend (mean sentiment as a line on its own -1…1 axis, negative and angry messages as bars).
import type { EmotionTrend, TopicReport } from '@zhike/contracts';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { use } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import type { ChartOption } from '../botAnalytics/charts.ts';
import type { Translate } from '../i18n/catalogue.ts';

// This page may load before (or without) the bot analytics page: it registers what its charts use.
use([LineChart, BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

const BARS = 10;
const LABEL_LENGTH = 18;

const short = (label: string) =>
  label.length > LABEL_LENGTH ? `${label.slice(0, LABEL_LENGTH - 1)}…` : label;

/** The largest topics, largest on top; `estimated` messages when the period was sampled. */
export function topicSizesOption(topics: TopicReport['topics']): ChartOption {
  const top = [...topics]
    .sort((a, b) => b.size - a.size)
    .slice(0, BARS)
    .reverse();
  return {
    tooltip: { trigger: 'item' },
    grid: { left: 16, right: 40, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: top.map((t) => short(t.label)) },
    series: [
      {
        type: 'bar',
        data: top.map((t) => ({
          value: t.estimated,
          itemStyle: { color: t.rising ? '#ff4d4f' : '#1677ff' },
        })),
        itemStyle: { borderRadius: [0, 4, 4, 0] },
        label: { show: true, position: 'right' },
        barMaxWidth: 22,
      },
    ],
  };
}

/** Mean sentiment per bucket (line, right axis -1…1) over negative and angry messages (bars). */
export function emotionOption(buckets: EmotionTrend['buckets'], t: Translate): ChartOption {
  return {
    tooltip: { trigger: 'axis' },
    legend: { bottom: 0 },
    grid: { left: 40, right: 48, top: 16, bottom: 48 },
    xAxis: { type: 'category', data: buckets.map((b) => b.bucket.slice(5)) },
    yAxis: [
      { type: 'value', minInterval: 1 },
      { type: 'value', min: -1, max: 1, splitLine: { show: false } },
    ],
    series: [
      {
        type: 'bar',
        name: t('topics.emotion.negative'),
        data: buckets.map((b) => b.negative),
        itemStyle: { color: '#faad14' },
        barMaxWidth: 18,
      },
      {
        type: 'bar',
        name: t('topics.emotion.angry'),
        data: buckets.map((b) => b.angry),
        itemStyle: { color: '#ff4d4f' },
        barMaxWidth: 18,
      },
      {
        type: 'line',
        name: t('topics.emotion.average'),
        yAxisIndex: 1,
        // A bucket without messages has no mood: a gap, not a neutral 0.
        data: buckets.map((b) => (b.messages === 0 ? null : Math.round(b.average * 100) / 100)),
        connectNulls: false,
        symbolSize: 6,
        itemStyle: { color: '#52c41a' },
      },
    ],
  };
}
