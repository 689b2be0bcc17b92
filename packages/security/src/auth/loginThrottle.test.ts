import { describe, expect, it } from 'vitest';
import { type CounterStore, createLoginThrottle, createMemoryCounterStore } from './loginThrottle.ts';

const MIN = 60_000;

function setup() {
  let t = Date.UTC(2025, 0, 1);
  const now = () => t;
  const store = createMemoryCounterStore(now);
  const throttle = createLoginThrottle({ store, now });
  return { throttle, store, advance: (ms: number) => (t += ms) };
}

const a = { email: 'Owner@Shop.cn', ip: '203.0.113.7' };

describe('login throttle', () => {
  it('locks an email after 5 failures in 15 minutes, for 15 minutes', async () => {
    const { throttle, advance } = setup();
    for (let i = 0; i < 4; i++) expect(await throttle.recordFailure(a)).toEqual({ lockedForMs: null });
    expect(await throttle.check(a)).toEqual({ allowed: true });
    expect(await throttle.recordFailure(a)).toEqual({ lockedForMs: 15 * MIN });
    // Same account, other spelling, other IP: still locked.
    expect(await throttle.check({ email: ' owner@shop.CN', ip: '198.51.100.1' })).toEqual({
      allowed: false,
      reason: 'account_locked',
      retryAfterMs: 15 * MIN,
    });
    advance(15 * MIN);
    expect(await throttle.check(a)).toEqual({ allowed: true });
  });

  it('failures spread beyond the window do not lock', async () => {
    const { throttle, advance } = setup();
    for (let i = 0; i < 10; i++) {
      expect((await throttle.recordFailure(a)).lockedForMs).toBeNull();
      if (i % 4 === 3) advance(16 * MIN);
    }
  });

  it('each further lock within a day doubles, capped at 24 h; success resets', async () => {
    const { throttle, advance } = setup();
    const lockOnce = async () => {
      let last: number | null = null;
      for (let i = 0; i < 5; i++) last = (await throttle.recordFailure(a)).lockedForMs;
      return last;
    };
    expect(await lockOnce()).toBe(15 * MIN);
    advance(15 * MIN);
    expect(await lockOnce()).toBe(30 * MIN);
    advance(30 * MIN);
    expect(await lockOnce()).toBe(60 * MIN);
    for (let i = 0; i < 8; i++) {
      advance(60 * MIN);
      await lockOnce();
    }
    expect(await lockOnce()).toBe(24 * 60 * MIN);
    advance(24 * 60 * MIN);
    await throttle.recordSuccess(a);
    expect(await lockOnce()).toBe(15 * MIN);
  });

  it('limits one IP spraying many accounts', async () => {
    const { throttle, advance } = setup();
    for (let i = 0; i < 30; i++) await throttle.recordFailure({ email: `user${i}@shop.cn`, ip: a.ip });
    expect(await throttle.check({ email: 'new@shop.cn', ip: a.ip })).toMatchObject({
      allowed: false,
      reason: 'ip_limited',
    });
    expect(await throttle.check({ email: 'new@shop.cn', ip: '198.51.100.1' })).toEqual({ allowed: true });
    advance(15 * MIN);
    expect(await throttle.check({ email: 'new@shop.cn', ip: a.ip })).toEqual({ allowed: true });
  });

  it('never stores the email address in a key', async () => {
    const keys: string[] = [];
    const inner = createMemoryCounterStore();
    const note = (k: string) => {
      keys.push(k);
      return k;
    };
    const spy: CounterStore = {
      increment: (k, t) => inner.increment(note(k), t),
      get: (k) => inner.get(note(k)),
      set: (k, v, t) => inner.set(note(k), v, t),
      delete: (k) => inner.delete(note(k)),
    };
    const throttle = createLoginThrottle({ store: spy });
    for (let i = 0; i < 6; i++) await throttle.recordFailure(a);
    await throttle.check(a);
    expect(keys.join(' ')).not.toMatch(/owner|shop|203\.0/i);
  });
});
