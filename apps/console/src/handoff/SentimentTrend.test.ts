import { describe, expect, it } from 'vitest';
import { sparklinePoints } from './SentimentTrend.tsx';

describe('sentiment sparkline', () => {
  it('maps -1…1 to the bottom…top and spreads points across the width', () => {
    expect(sparklinePoints([1, 0, -1], 10, 20)).toBe('0,0 5,10 10,20');
  });
  it('clamps out-of-range scores and centres a single point', () => {
    expect(sparklinePoints([3], 10, 20)).toBe('5,0');
    expect(sparklinePoints([], 10, 20)).toBe('');
  });
});
