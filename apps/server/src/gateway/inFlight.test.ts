import { describe, expect, it } from 'vitest';
import { createInFlight } from './inFlight.ts';

const later = <T>(ms: number, value: T) => new Promise<T>((r) => setTimeout(() => r(value), ms));

describe('in-flight socket work', () => {
  it('waits for tracked work, including work started while waiting', async () => {
    const inFlight = createInFlight();
    const done: string[] = [];
    void inFlight.track(later(30, 'a')).then((v) => {
      done.push(v);
      // A frame queued behind the first starts only when it finishes.
      void inFlight.track(later(30, 'b')).then((w) => done.push(w));
    });
    expect(inFlight.size).toBe(1);
    expect(await inFlight.settled(2_000)).toBe(true);
    expect(done).toEqual(['a', 'b']);
    expect(inFlight.size).toBe(0);
  });

  it('gives up after the timeout and says so; failures count as settled', async () => {
    const inFlight = createInFlight();
    const failing = inFlight.track(Promise.reject(new Error('boom')));
    await expect(failing).rejects.toThrow('boom');
    void inFlight.track(later(500, 'slow'));
    const started = Date.now();
    expect(await inFlight.settled(50)).toBe(false);
    expect(Date.now() - started).toBeLessThan(400);
    expect(await inFlight.settled(2_000)).toBe(true);
  });
});
