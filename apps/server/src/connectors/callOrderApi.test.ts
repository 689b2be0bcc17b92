import { describe, expect, it } from 'vitest';
import { retryAfterMs } from './callOrderApi.ts';

describe('Retry-After', () => {
  const now = Date.parse('2026-11-25T12:00:00Z');
  it.each([
    ['120', 120_000],
    [' 3 ', 3_000],
    ['0', 0],
    ['Wed, 25 Nov 2026 12:00:05 GMT', 5_000],
    ['Wed, 25 Nov 2026 11:00:00 GMT', 0],
  ])('%j waits %i ms', (header, ms) => {
    expect(retryAfterMs(header, now)).toBe(ms);
  });
  it.each([null, '', 'soon', '-5'])('%j is no instruction', (header) => {
    expect(retryAfterMs(header, now)).toBeNull();
  });
});
