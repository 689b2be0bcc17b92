// The agent metrics charts as ECharts options: first response and handle time per agent (bars), and
// the daily trend of both with the conversations handled. Durations are shown in minutes.
import type { AgentMetrics } from '@zhike/contracts';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { use } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import type { ChartOption } from '../botAnalytics/charts.ts';
import type { Translate } from '../i18n/catalogue.ts';

// This page may load before (or without) the bot analytics page: it registers what its charts use.
use([LineChart, BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

/** Seconds as minutes with one decimal; null stays a gap in the chart. */
export const minutes = (seconds: number | null): number | null =>
  seconds === null ? null : Math.round(seconds / 6) / 10;

/** A duration in the reader's words: 45 秒 / 3 分 20 秒 / 1 小时 5 分. */
export function formatDuration(seconds: number | null, t: Translate): string {
  if (seconds === null) return t('agentMetrics.none');
  const s = Math.round(seconds);
  if (s < 60) return t('agentMetrics.duration.seconds', { s });
  if (s < 3600) return t('agentMetrics.duration.minutes', { m: Math.floor(s / 60), s: s % 60 });
  return t('agentMetrics.duration.hours', { h: Math.floor(s / 3600), m: Math.floor((s % 3600) / 60) });
}

/** Mean first response and handle time per agent, side by side, the busiest agent first. */
export function perAgentOption(agents: AgentMetrics['agents'], t: Translate): ChartOption {
  const shown = [...agents].sort((a, b) => b.handled - a.handled || a.name.localeCompare(b.name));
  return {
    tooltip: { trigger: 'axis' },
    legend: { bottom: 0 },
    grid: { left: 8, right: 16, top: 16, bottom: 40, containLabel: true },
    xAxis: { type: 'category', data: shown.map((a) => a.name) },
    yAxis: { type: 'value', name: t('agentMetrics.chart.minutes') },
    series: [
      {
        type: 'bar',
        name: t('agentMetrics.col.frt'),
        data: shown.map((a) => minutes(a.firstResponseSeconds)),
        itemStyle: { color: '#1677ff' },
        barMaxWidth: 28,
      },
      {
        type: 'bar',
        name: t('agentMetrics.col.handle'),
        data: shown.map((a) => minutes(a.handleSeconds)),
        itemStyle: { color: '#13c2c2' },
        barMaxWidth: 28,
      },
    ],
  };
}

/** Per day: mean first response and handle time (minutes, left axis) and conversations handled (right). */
export function trendOption(daily: AgentMetrics['daily'], t: Translate): ChartOption {
  return {
    tooltip: { trigger: 'axis' },
    legend: { bottom: 0 },
    grid: { left: 8, right: 8, top: 24, bottom: 40, containLabel: true },
    xAxis: { type: 'category', data: daily.map((d) => d.day.slice(5)), boundaryGap: false },
    yAxis: [
      { type: 'value', name: t('agentMetrics.chart.minutes') },
      { type: 'value', name: t('agentMetrics.col.handled'), minInterval: 1 },
    ],
    series: [
      {
        type: 'line',
        name: t('agentMetrics.col.frt'),
        data: daily.map((d) => minutes(d.firstResponseSeconds)),
        connectNulls: true,
        itemStyle: { color: '#1677ff' },
      },
      {
        type: 'line',
        name: t('agentMetrics.col.handle'),
        data: daily.map((d) => minutes(d.handleSeconds)),
        connectNulls: true,
        itemStyle: { color: '#13c2c2' },
      },
      {
        type: 'bar',
        name: t('agentMetrics.col.handled'),
        yAxisIndex: 1,
        data: daily.map((d) => d.handled),
        itemStyle: { color: '#d9d9d9' },
        barMaxWidth: 20,
      },
    ],
  };
}
