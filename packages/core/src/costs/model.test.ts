import { describe, expect, it } from 'vitest';
import { capReached, costMicro, DEFAULT_BUDGET, monthRange, priceOf, thresholdsReached } from './model.ts';

describe('cost arithmetic', () => {
  it('prices units at the defaults unless the workspace overrides them', () => {
    expect(costMicro('bot_interaction', 3, DEFAULT_BUDGET)).toBe(150_000); // 3 × 0.05 元
    expect(costMicro('llm_token', 2500, DEFAULT_BUDGET)).toBe(10_000); // 2,500 × 0.000004 元 = 0.01 元
    const own = { ...DEFAULT_BUDGET, prices: { bot_interaction: 0.03, llm_token: -1 } };
    expect(priceOf('bot_interaction', own)).toBe(0.03);
    expect(priceOf('llm_token', own)).toBe(0.000004); // a negative price is ignored
  });

  it('announces 50/80/100 % and caps only with a budget and the cap on', () => {
    const budget = { monthlyYuan: 10, hardCap: true, prices: {} };
    expect(thresholdsReached(4_999_999, budget)).toEqual([]);
    expect(thresholdsReached(5_000_000, budget)).toEqual([50]);
    expect(thresholdsReached(8_100_000, budget)).toEqual([50, 80]);
    expect(thresholdsReached(10_000_000, budget)).toEqual([50, 80, 100]);
    expect(capReached(10_000_000, budget)).toBe(true);
    expect(capReached(9_999_999, budget)).toBe(false);
    expect(capReached(20_000_000, { ...budget, hardCap: false })).toBe(false);
    expect(thresholdsReached(20_000_000, { ...budget, monthlyYuan: null })).toEqual([]);
  });

  it('knows the days of a month, leap years included', () => {
    expect(monthRange('2028-02-14')).toEqual({ month: '2028-02', from: '2028-02-01', to: '2028-02-29' });
    expect(monthRange('2026-11-26')).toEqual({ month: '2026-11', from: '2026-11-01', to: '2026-11-30' });
  });
});
