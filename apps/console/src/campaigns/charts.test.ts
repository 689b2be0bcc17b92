import { describe, expect, it } from 'vitest';
import { progressOption, scoreDistribution, scoreOption } from './charts.ts';
import { donePercent, progressVars, reachedPercent } from './labels.ts';

const t = (key: string, vars?: Readonly<Record<string, string | number>>) =>
  vars ? `«${key}:${Object.values(vars).join(',')}»` : `«${key}»`;
const progress = {
  total: 10,
  pending: 3,
  dialing: 1,
  reached: 4,
  unreached: 1,
  skipped: 1,
  averageScore: 4.2,
};

describe('campaign charts', () => {
  it('draws one bar per target status with its count, scaled to the total', () => {
    const option = progressOption(progress, t);
    expect(option.yAxis).toMatchObject({
      data: [
        '«campaigns.target.pending»',
        '«campaigns.target.dialing»',
        '«campaigns.target.reached»',
        '«campaigns.target.unreached»',
        '«campaigns.target.skipped»',
      ],
    });
    expect(option.xAxis).toMatchObject({ max: 10 });
    const [series] = option.series as { data: { value: number }[] }[];
    expect(series?.data.map((d) => d.value)).toEqual([3, 1, 4, 1, 1]);
  });

  it('counts scores 1–5 and ignores targets without one', () => {
    const counts = scoreDistribution([
      { score: 5 },
      { score: 5 },
      { score: 1 },
      { score: null },
      { score: 3 },
    ]);
    expect(counts).toEqual([1, 0, 1, 0, 2]);
    const option = scoreOption(counts, t);
    expect(option.xAxis).toMatchObject({
      data: [1, 2, 3, 4, 5].map((n) => `«campaigns.detail.scoreN:${n}»`),
    });
    expect((option.series as { data: number[] }[])[0]?.data).toEqual([1, 0, 1, 0, 2]);
  });

  it('summarises progress: done and reached shares, dialing counted as pending', () => {
    expect(donePercent(progress)).toBe(60);
    expect(reachedPercent(progress)).toBe(40);
    expect(progressVars(progress)).toEqual({ total: 10, pending: 4, reached: 4, unreached: 1, skipped: 1 });
    expect(donePercent({ ...progress, total: 0 })).toBe(0);
  });
});
