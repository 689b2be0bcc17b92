import type { CostSummary } from '@zhike/contracts';
import { describe, expect, it } from 'vitest';
import { dailySeries } from './charts.ts';

const summary = {
  month: '2026-02',
  days: [
    { day: '2026-02-02', costYuan: 1.25 },
    { day: '2026-02-05', costYuan: 0.5 },
  ],
} as CostSummary;

describe('the daily cost series', () => {
  it('covers every day of the month and adds up the month to date until today', () => {
    const rows = dailySeries(summary, '2026-02-06');
    expect(rows).toHaveLength(28);
    expect(rows.slice(0, 6).map((r) => r.cost)).toEqual([0, 1.25, 0, 0, 0.5, 0]);
    expect(rows.slice(0, 7).map((r) => r.total)).toEqual([0, 1.25, 1.25, 1.25, 1.75, 1.75, null]);
  });
});
