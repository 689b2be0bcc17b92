// The campaign page's two charts as ECharts options: targets per status, and the survey scores 1–5.
import type { CampaignTargetView, CampaignView } from '@zhike/contracts';
import type { ChartOption } from '../botAnalytics/charts.ts';
// For its side effect: it registers the bar chart, grid, tooltip and canvas renderer with echarts/core.
import '../botAnalytics/charts.ts';
import type { Translate } from '../i18n/catalogue.ts';

export const TARGET_STATUSES = ['pending', 'dialing', 'reached', 'unreached', 'skipped'] as const;
const STATUS_COLORS: Record<(typeof TARGET_STATUSES)[number], string> = {
  pending: '#bfbfbf',
  dialing: '#1677ff',
  reached: '#52c41a',
  unreached: '#faad14',
  skipped: '#8c8c8c',
};

export function progressOption(progress: CampaignView['progress'], t: Translate): ChartOption {
  return {
    tooltip: { trigger: 'axis' },
    grid: { left: 72, right: 24, top: 12, bottom: 24 },
    xAxis: { type: 'value', minInterval: 1, max: Math.max(progress.total, 1) },
    yAxis: { type: 'category', inverse: true, data: TARGET_STATUSES.map((s) => t(`campaigns.target.${s}`)) },
    series: [
      {
        type: 'bar',
        name: t('campaigns.detail.targets'),
        data: TARGET_STATUSES.map((s) => ({ value: progress[s], itemStyle: { color: STATUS_COLORS[s] } })),
        label: { show: true, position: 'right' },
      },
    ],
  };
}

/** How many reached targets gave each score, 1 to 5 (targets without a score are left out). */
export function scoreDistribution(targets: readonly Pick<CampaignTargetView, 'score'>[]): number[] {
  const counts = [0, 0, 0, 0, 0];
  for (const target of targets) {
    if (target.score === null || target.score < 1 || target.score > 5) continue;
    counts[target.score - 1] = (counts[target.score - 1] ?? 0) + 1;
  }
  return counts;
}

export function scoreOption(counts: readonly number[], t: Translate): ChartOption {
  return {
    tooltip: { trigger: 'axis' },
    grid: { left: 40, right: 16, top: 16, bottom: 28 },
    xAxis: { type: 'category', data: [1, 2, 3, 4, 5].map((n) => t('campaigns.detail.scoreN', { n })) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      {
        type: 'bar',
        name: t('campaigns.detail.scoreCount'),
        data: [...counts],
        itemStyle: { color: '#1677ff' },
      },
    ],
  };
}
