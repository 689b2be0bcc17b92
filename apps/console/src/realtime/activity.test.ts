import { describe, expect, it } from 'vitest';
import { watchAgentActivity } from './activity.ts';

describe('agent activity reports', () => {
  it('reports use of the console at most once per interval, and stops when unwatched', () => {
    const target = new EventTarget();
    let clock = 1_000;
    let reports = 0;
    const stop = watchAgentActivity(target, () => reports++, { minIntervalMs: 60_000, now: () => clock });

    target.dispatchEvent(new Event('keydown'));
    expect(reports).toBe(0); // opening the feed already counted
    clock += 60_000;
    target.dispatchEvent(new Event('pointerdown'));
    target.dispatchEvent(new Event('keydown'));
    expect(reports).toBe(1);
    clock += 59_999;
    target.dispatchEvent(new Event('wheel'));
    expect(reports).toBe(1);
    clock += 1;
    target.dispatchEvent(new Event('focus'));
    expect(reports).toBe(2);

    stop();
    clock += 120_000;
    target.dispatchEvent(new Event('keydown'));
    expect(reports).toBe(2);
  });

  it('ignores events it does not count as use', () => {
    const target = new EventTarget();
    let clock = 0;
    let reports = 0;
    watchAgentActivity(target, () => reports++, { minIntervalMs: 10, now: () => clock });
    clock = 100;
    target.dispatchEvent(new Event('mousemove'));
    target.dispatchEvent(new Event('visibilitychange'));
    expect(reports).toBe(0);
  });
});
