// Simple sign-in throttling, per app instance: after 10 failures for one ip+email, 30 for one email
// from anywhere, or 50 from one ip within 15 minutes, further attempts are refused until the window passes.
import type { Clock } from '@zhike/core';

const WINDOW_MS = 15 * 60_000;
const PER_ACCOUNT = 10;
const PER_IP = 50;
const PER_EMAIL = 30;

export function createLoginThrottle(clock: Clock) {
  const failures = new Map<string, { count: number; until: number }>();
  const count = (key: string): number => {
    const entry = failures.get(key);
    if (!entry) return 0;
    if (entry.until <= clock.now().getTime()) {
      failures.delete(key);
      return 0;
    }
    return entry.count;
  };
  const bump = (key: string) => {
    const now = clock.now().getTime();
    const entry = failures.get(key);
    if (!entry || entry.until <= now) failures.set(key, { count: 1, until: now + WINDOW_MS });
    else entry.count += 1;
    if (failures.size > 10_000) {
      for (const [k, v] of failures) if (v.until <= now) failures.delete(k);
    }
  };
  return {
    blocked: (ip: string, email: string) =>
      count(`${ip}|${email}`) >= PER_ACCOUNT ||
      count(`ip:${ip}`) >= PER_IP ||
      count(`email:${email}`) >= PER_EMAIL,
    failed(ip: string, email: string) {
      bump(`${ip}|${email}`);
      bump(`ip:${ip}`);
      bump(`email:${email}`);
    },
    succeeded: (ip: string, email: string) => failures.delete(`${ip}|${email}`),
  };
}
