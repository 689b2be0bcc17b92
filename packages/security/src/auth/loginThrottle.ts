// Sign-in throttling as a policy over a counter store: memory for one process, Redis (INCR + PEXPIRE)
// when several share state. Keys are hashed so the store never holds an email address.
import { createHash } from 'node:crypto';

export interface CounterStore {
  /** Adds one; the window starts at the first increment and the key expires `ttlMs` after it. */
  increment(key: string, ttlMs: number): Promise<{ count: number; expiresAt: number }>;
  get(key: string): Promise<{ value: number; expiresAt: number } | null>;
  set(key: string, value: number, ttlMs: number): Promise<void>;
  delete(key: string): Promise<void>;
}

export function createMemoryCounterStore(now: () => number = Date.now): CounterStore {
  const entries = new Map<string, { value: number; expiresAt: number }>();
  const live = (key: string) => {
    const e = entries.get(key);
    if (e && e.expiresAt <= now()) {
      entries.delete(key);
      return undefined;
    }
    return e;
  };
  return {
    async increment(key, ttlMs) {
      const e = live(key) ?? { value: 0, expiresAt: now() + ttlMs };
      e.value++;
      entries.set(key, e);
      return { count: e.value, expiresAt: e.expiresAt };
    },
    async get(key) {
      const e = live(key);
      return e ? { ...e } : null;
    },
    async set(key, value, ttlMs) {
      entries.set(key, { value, expiresAt: now() + ttlMs });
    },
    async delete(key) {
      entries.delete(key);
    },
  };
}

export interface LoginThrottlePolicy {
  /** Failures per email inside `windowMs` before the account locks (default 5 in 15 min). */
  maxFailuresPerEmail: number;
  /** Failures from one IP inside `windowMs` (across all emails) before the IP is refused (default 30). */
  maxFailuresPerIp: number;
  windowMs: number;
  /** First lock lasts this long; each further lock within `lockMemoryMs` doubles it, up to `maxLockMs`. */
  lockMs: number;
  maxLockMs: number;
  lockMemoryMs: number;
}

export const defaultLoginThrottlePolicy: LoginThrottlePolicy = {
  maxFailuresPerEmail: 5,
  maxFailuresPerIp: 30,
  windowMs: 15 * 60_000,
  lockMs: 15 * 60_000,
  maxLockMs: 24 * 60 * 60_000,
  lockMemoryMs: 24 * 60 * 60_000,
};

export type ThrottleDecision =
  | { allowed: true }
  | { allowed: false; reason: 'account_locked' | 'ip_limited'; retryAfterMs: number };

export interface SignInAttempt {
  email: string;
  ip: string;
}

export interface LoginThrottle {
  /** Ask before checking the password; a refused attempt does not count as another failure. */
  check(attempt: SignInAttempt): Promise<ThrottleDecision>;
  /** Returns the lock it caused, if any (audit `auth.locked_out`). */
  recordFailure(attempt: SignInAttempt): Promise<{ lockedForMs: number | null }>;
  recordSuccess(attempt: SignInAttempt): Promise<void>;
}

const digest = (kind: string, value: string) =>
  `signin:${kind}:${createHash('sha256').update(`${kind}\n${value}`).digest('base64url').slice(0, 22)}`;

export function createLoginThrottle(options: {
  store: CounterStore;
  policy?: Partial<LoginThrottlePolicy>;
  now?: () => number;
}): LoginThrottle {
  const { store } = options;
  const p = { ...defaultLoginThrottlePolicy, ...options.policy };
  const now = options.now ?? Date.now;
  const keys = (a: SignInAttempt) => {
    const email = a.email.normalize('NFKC').trim().toLowerCase();
    return {
      failures: digest('email-failures', email),
      lock: digest('email-lock', email),
      level: digest('email-level', email),
      ip: digest('ip-failures', a.ip),
    };
  };

  return {
    async check(attempt) {
      const k = keys(attempt);
      const lock = await store.get(k.lock);
      if (lock && lock.value > now())
        return { allowed: false, reason: 'account_locked', retryAfterMs: lock.value - now() };
      const ip = await store.get(k.ip);
      if (ip && ip.value >= p.maxFailuresPerIp)
        return { allowed: false, reason: 'ip_limited', retryAfterMs: Math.max(0, ip.expiresAt - now()) };
      return { allowed: true };
    },

    async recordFailure(attempt) {
      const k = keys(attempt);
      await store.increment(k.ip, p.windowMs);
      const { count } = await store.increment(k.failures, p.windowMs);
      if (count < p.maxFailuresPerEmail) return { lockedForMs: null };
      const level = ((await store.get(k.level))?.value ?? 0) + 1;
      const lockedForMs = Math.min(p.maxLockMs, p.lockMs * 2 ** (level - 1));
      await store.set(k.level, level, p.lockMemoryMs);
      await store.set(k.lock, now() + lockedForMs, lockedForMs);
      await store.delete(k.failures);
      return { lockedForMs };
    },

    async recordSuccess(attempt) {
      const k = keys(attempt);
      await store.delete(k.failures);
      await store.delete(k.level);
    },
  };
}
