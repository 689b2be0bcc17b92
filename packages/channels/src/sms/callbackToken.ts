// Alibaba Cloud and Tencent Cloud sign nothing they push to us (SmsUp, SmsReport, replies, status
// reports): the only proof a callback is theirs is a secret we put in the callback URL we gave them. The
// per-inbox token travels as `?token=` (what their consoles let you configure) or, behind a proxy that
// can add headers, as `X-Zhike-Callback-Token`.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { InboundHttpRequest } from '../adapter.ts';

/** Compares in time independent of where the strings differ (digests make the lengths equal). */
export function constantTimeEqual(actual: string, expected: string): boolean {
  const a = createHash('sha256').update(actual, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b) && actual.length === expected.length;
}

export const CALLBACK_TOKEN_HEADER = 'x-zhike-callback-token';

export function hasCallbackToken(request: InboundHttpRequest, expected: string): boolean {
  if (!expected) return false;
  const given = request.query.token ?? request.headers[CALLBACK_TOKEN_HEADER];
  return typeof given === 'string' && given.length > 0 && constantTimeEqual(given, expected);
}
