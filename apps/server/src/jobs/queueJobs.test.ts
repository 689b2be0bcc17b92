import { describe, expect, it } from 'vitest';
import { coalesced } from './queueJobs.ts';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('coalesced dispatch', () => {
  it('runs once for everyone who asks while a run is under way, after it, and per key', async () => {
    const runs: string[] = [];
    const gates: (() => void)[] = [];
    const dispatch = coalesced(async (key) => {
      runs.push(key);
      await new Promise<void>((resolve) => gates.push(resolve));
    });
    const first = dispatch('a');
    const waiting = [dispatch('a'), dispatch('a'), dispatch('a')];
    const other = dispatch('b');
    expect(runs).toEqual(['a', 'b']);
    let served = 0;
    for (const w of waiting) void w.then(() => served++);
    gates.shift()!(); // a's first run ends
    await first;
    await tick();
    // One more run of a, started after the first ended, serves all three.
    expect(runs).toEqual(['a', 'b', 'a']);
    expect(served).toBe(0);
    gates.shift()!(); // b
    gates.shift()!(); // a's second run
    await Promise.all([...waiting, other]);
    expect(served).toBe(3);
    // Idle again: the next ask runs at once.
    void dispatch('a');
    expect(runs).toEqual(['a', 'b', 'a', 'a']);
    gates.shift()!();
  });

  it('fails everyone a failed run served, and recovers for the next ask', async () => {
    let fail = true;
    const dispatch = coalesced(async () => {
      await tick();
      if (fail) throw new Error('database away');
    });
    const first = dispatch('a');
    const second = dispatch('a');
    await expect(first).rejects.toThrow('database away');
    await expect(second).rejects.toThrow('database away');
    fail = false;
    await expect(dispatch('a')).resolves.toBeUndefined();
  });
});
