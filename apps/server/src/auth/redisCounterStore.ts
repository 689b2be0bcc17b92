// The lockout policy's counters in Redis, so every server process sharing REDIS_URL sees the same
// failures: an attacker cannot spread guesses over processes. Keys are already hashed by the policy.
import type { CounterStore } from '@zhike/security';
import type { Redis } from 'ioredis';

// INCR and start the window on the first failure only, atomically: two processes counting at once
// neither lose a failure nor extend the window.
const INCREMENT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {count, redis.call('PTTL', KEYS[1])}`;

export function createRedisCounterStore(redis: Redis, prefix = 'zhike:'): CounterStore {
  const k = (key: string) => `${prefix}${key}`;
  return {
    async increment(key, ttlMs) {
      const [count, ttl] = (await redis.eval(INCREMENT, 1, k(key), String(ttlMs))) as [number, number];
      return { count, expiresAt: Date.now() + Math.max(0, ttl) };
    },
    async get(key) {
      const [[, value], [, ttl]] = (await redis.multi().get(k(key)).pttl(k(key)).exec()) as [
        [Error | null, string | null],
        [Error | null, number],
      ];
      if (value === null || ttl === -2) return null;
      return { value: Number(value), expiresAt: ttl < 0 ? Number.POSITIVE_INFINITY : Date.now() + ttl };
    },
    async set(key, value, ttlMs) {
      await redis.set(k(key), String(value), 'PX', Math.max(1, Math.ceil(ttlMs)));
    },
    async delete(key) {
      await redis.del(k(key));
    },
  };
}
