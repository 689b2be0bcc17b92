// Request budgets per key (an API key's workspace, a client address) in fixed windows. One process keeps
// its counts in memory; processes sharing Redis count in Redis, so N processes give one budget, not N.

export interface RateDecision {
  allowed: boolean;
  /** When the window that refused this hit ends (0 when allowed). */
  retryAfterMs: number;
}

export interface RateLimiter {
  /** Counts one hit on `key` and says whether it is within `limit` per `windowMs`. */
  hit(key: string, limit: number, windowMs: number): Promise<RateDecision>;
  close(): Promise<void>;
}

export function createMemoryRateLimiter(now: () => number = Date.now): RateLimiter {
  const windows = new Map<string, { count: number; endsAt: number }>();
  let sweptAt = now();
  return {
    async hit(key, limit, windowMs) {
      const t = now();
      // Old windows go once a minute, so a flood of distinct keys cannot grow the map for ever.
      if (t - sweptAt > 60_000) {
        for (const [k, w] of windows) if (w.endsAt <= t) windows.delete(k);
        sweptAt = t;
      }
      let w = windows.get(key);
      if (!w || w.endsAt <= t) {
        w = { count: 0, endsAt: t + windowMs };
        windows.set(key, w);
      }
      w.count += 1;
      return w.count <= limit
        ? { allowed: true, retryAfterMs: 0 }
        : { allowed: false, retryAfterMs: w.endsAt - t };
    },
    async close() {
      windows.clear();
    },
  };
}

// INCR and the window's expiry in one step, so a crash between them cannot leave a key without expiry.
const HIT_SCRIPT = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {n, ttl}`;

export async function createRedisRateLimiter(options: {
  url: string;
  prefix?: string;
  onError: (error: unknown) => void;
}): Promise<RateLimiter> {
  const { Redis } = await import('ioredis');
  const redis = new Redis(options.url, {
    lazyConnect: true,
    maxRetriesPerRequest: 2,
    enableOfflineQueue: true,
  });
  redis.on('error', (e) => options.onError(e));
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    throw new Error(
      `REDIS_URL: cannot reach Redis at ${new URL(options.url).host} (${(error as Error).message})`,
    );
  }
  const prefix = options.prefix ?? 'zhike:rate:';
  const fallback = createMemoryRateLimiter();
  return {
    async hit(key, limit, windowMs) {
      try {
        const [count, ttl] = (await redis.eval(HIT_SCRIPT, 1, prefix + key, String(windowMs))) as [
          number,
          number,
        ];
        return count <= limit
          ? { allowed: true, retryAfterMs: 0 }
          : { allowed: false, retryAfterMs: Math.max(ttl, 1) };
      } catch (error) {
        // Redis away: each process limits on its own rather than refusing or admitting everything.
        options.onError(error);
        return fallback.hit(key, limit, windowMs);
      }
    },
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
