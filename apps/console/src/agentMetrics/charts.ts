// The agent metrics charts as ECharts options: first response and handle time per agent (bars), and
// the daily trend of both with the conversations handled. Durations are drawn in minutes, or in seconds
// when every one of them is under two minutes (a fast team's bars would otherwise all read 0).
import type { AgentMetrics } from '@zhike/contracts';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { use } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import type { ChartOption } from '../botAnalytics/charts.ts';
import type { Translate } from '../i18n/catalogue.ts';

// This page may load before (or without) the bot analytics page: it registers what its charts use.
use([LineChart, BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export interface DurationUnit {
  /** Seconds per unit. */
  size: 1 | 60;
  label: string;
}

/** Minutes, unless every duration shown is under two minutes. */
export function durationUnit(seconds: readonly (number | null)[], t: Translate): DurationUnit {
  const longest = Math.max(0, ...seconds.map((s) => s ?? 0));
  return longest < 120
    ? { size: 1, label: t('agentMetrics.chart.seconds') }
    : { size: 60, label: t('agentMetrics.chart.minutes') };
}

/** Seconds in the unit with one decimal; null stays a gap in the chart. */
export const inUnit = (seconds: number | null, unit: DurationUnit): number | null =>
  seconds === null ? null : Math.round((seconds / unit.size) * 10) / 10;

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
  const unit = durationUnit(
    shown.flatMap((a) => [a.firstResponseSeconds, a.handleSeconds]),
    t,
  );
  return {
    tooltip: { trigger: 'axis' },
    legend: { bottom: 0 },
    grid: { left: 8, right: 16, top: 36, bottom: 40, containLabel: true },
    xAxis: { type: 'category', data: shown.map((a) => a.name) },
    yAxis: { type: 'value', name: unit.label },
    series: [
      {
        type: 'bar',
        name: t('agentMetrics.col.frt'),
        data: shown.map((a) => inUnit(a.firstResponseSeconds, unit)),
        itemStyle: { color: '#1677ff' },
        barMaxWidth: 28,
      },
      {
        type: 'bar',
        name: t('agentMetrics.col.handle'),
        data: shown.map((a) => inUnit(a.handleSeconds, unit)),
        itemStyle: { color: '#13c2c2' },
        barMaxWidth: 28,
      },
    ],
  };
}

/** Per day: mean first response and handle time (left axis) and conversations handled (right, behind). */
export function trendOption(daily: AgentMetrics['daily'], t: Translate): ChartOption {
  const unit = durationUnit(
    daily.flatMap((d) => [d.firstResponseSeconds, d.handleSeconds]),
    t,
  );
  const line = (name: string, values: (number | null)[], color: string) => ({
    type: 'line' as const,
    name,
    data: values.map((v) => inUnit(v, unit)),
    connectNulls: true,
    showSymbol: true,
    symbolSize: 7,
    z: 3,
    itemStyle: { color },
  });
  return {
    tooltip: { trigger: 'axis' },
    legend: { bottom: 0 },
    grid: { left: 8, right: 8, top: 36, bottom: 40, containLabel: true },
    xAxis: { type: 'category', data: daily.map((d) => d.day.slice(5)) },
    yAxis: [
      { type: 'value', name: unit.label },
      { type: 'value', name: t('agentMetrics.col.handled'), minInterval: 1, splitLine: { show: false } },
    ],
    series: [
      {
        type: 'bar',
        name: t('agentMetrics.col.handled'),
        yAxisIndex: 1,
        data: daily.map((d) => d.handled),
        itemStyle: { color: '#e6e6e6' },
        barMaxWidth: 20,
        z: 1,
      },
      line(
        t('agentMetrics.col.frt'),
        daily.map((d) => d.firstResponseSeconds),
        '#1677ff',
      ),
      line(
        t('agentMetrics.col.handle'),
        daily.map((d) => d.handleSeconds),
        '#13c2c2',
      ),
    ],
  };
}
