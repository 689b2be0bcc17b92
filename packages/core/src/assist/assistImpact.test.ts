import { describe, expect, it } from 'vitest';
import { assistImpactWindows, throughputChange } from './assistImpact.ts';

describe('assist before and after', () => {
  it('compares equal whole-day windows either side of the day it was turned on', () => {
    expect(assistImpactWindows('2026-11-10', '2026-11-10', 28)).toBeNull();
    expect(assistImpactWindows('2026-11-10', '2026-11-11', 28)).toEqual({
      before: { from: '2026-11-09', to: '2026-11-09' },
      after: { from: '2026-11-11', to: '2026-11-11' },
    });
    expect(assistImpactWindows('2026-11-10', '2026-11-17', 28)).toEqual({
      before: { from: '2026-11-03', to: '2026-11-09' },
      after: { from: '2026-11-11', to: '2026-11-17' },
    });
    // At most `days` each side, across a month end.
    expect(assistImpactWindows('2026-10-30', '2026-12-31', 14)).toEqual({
      before: { from: '2026-10-16', to: '2026-10-29' },
      after: { from: '2026-10-31', to: '2026-11-13' },
    });
  });

  it('reports the change in throughput, none without a base', () => {
    expect(throughputChange(2, 3)).toBe(0.5);
    expect(throughputChange(3, 2.5)).toBe(-0.167);
    expect(throughputChange(null, 3)).toBeNull();
    expect(throughputChange(0, 3)).toBeNull();
    expect(throughputChange(2, null)).toBeNull();
  });
});
