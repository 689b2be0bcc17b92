import type { ScorecardView } from '@zhike/contracts';
import { describe, expect, it } from 'vitest';
import type { Translate } from '../i18n/catalogue.ts';
import { averageOption, trendRows } from './charts.ts';

const t = ((key: string) => key) as Translate;
const card = (agentId: string, average: number | null, trend: [string, number][]): ScorecardView => ({
  agentId,
  name: agentId.toUpperCase(),
  count: trend.length,
  average,
  below: 0,
  worstRules: [],
  trend: trend.map(([day, avg]) => ({ day, average: avg, count: 1 })),
});

describe('the scorecard charts', () => {
  it('lines every agent up on the days anyone has a result, with gaps where they have none', () => {
    const rows = trendRows([
      card('a', 80, [
        ['2026-11-21', 80],
        ['2026-11-23', 90],
      ]),
      card('b', 60, [['2026-11-22', 60]]),
    ]);
    expect(rows.days).toEqual(['2026-11-21', '2026-11-22', '2026-11-23']);
    expect(rows.byAgent).toEqual([
      [80, null, 90],
      [null, 60, null],
    ]);
  });
  it('bars each scored agent, red under the review threshold, and leaves out agents without results', () => {
    const option = averageOption([card('a', 55, []), card('b', 90, []), card('c', null, [])], 60, t);
    expect(option.xAxis).toMatchObject({ data: ['A', 'B'] });
    const [series] = option.series as { data: { value: number; itemStyle: { color: string } }[] }[];
    expect(series?.data.map((d) => [d.value, d.itemStyle.color])).toEqual([
      [55, '#cf1322'],
      [90, '#1677ff'],
    ]);
  });
});
