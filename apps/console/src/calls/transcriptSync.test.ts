import { describe, expect, it } from 'vitest';
import { activeLineIndex, clockOf } from './transcriptSync.ts';

describe('activeLineIndex', () => {
  const lines = [
    { startMs: 0, endMs: 2000 },
    { startMs: 2500, endMs: 4000 },
    { startMs: 6000, endMs: 9000 },
  ];
  it('lights the line being heard, and keeps it lit through the pause after it', () => {
    expect(activeLineIndex(lines, 0)).toBe(0);
    expect(activeLineIndex(lines, 2200)).toBe(0);
    expect(activeLineIndex(lines, 2500)).toBe(1);
    expect(activeLineIndex(lines, 5999)).toBe(1);
    expect(activeLineIndex(lines, 60_000)).toBe(2);
  });
  it('has no line before the first one starts or when there are none', () => {
    expect(activeLineIndex([{ startMs: 800, endMs: 900 }], 500)).toBe(-1);
    expect(activeLineIndex([], 500)).toBe(-1);
  });
});

describe('clockOf', () => {
  it('formats minutes and zero-padded seconds', () => {
    expect(clockOf(0)).toBe('0:00');
    expect(clockOf(61_500)).toBe('1:01');
    expect(clockOf(-5)).toBe('0:00');
  });
});
