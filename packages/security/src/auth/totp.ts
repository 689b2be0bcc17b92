// TOTP (RFC 6238 over RFC 4226 HOTP): HMAC-SHA1, 6 digits, 30-second steps, ±1 step of clock drift.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { base32Encode } from './base32.ts';

export interface TotpOptions {
  digits?: number;
  period?: number;
  /** Steps accepted either side of now (default 1). */
  window?: number;
}

export const generateTotpSecret = (): Buffer => randomBytes(20);

export function hotp(secret: Buffer, counter: number, digits = 6): string {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', secret).update(msg).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const code = (mac.readUInt32BE(offset) & 0x7fffffff) % 10 ** digits;
  return code.toString().padStart(digits, '0');
}

export const totpStep = (now: Date, period = 30): number => Math.floor(now.getTime() / 1000 / period);

export const totp = (secret: Buffer, now: Date, options: TotpOptions = {}): string =>
  hotp(secret, totpStep(now, options.period), options.digits);

export type TotpVerdict = { ok: true; step: number } | { ok: false; reason: 'invalid' | 'replayed' };

/**
 * Replay protection: pass the step of the last code this user used (stored beside their secret), and
 * store the returned `step` on success. A code at or before that step is refused even if still in window.
 */
export function verifyTotp(
  secret: Buffer,
  code: string,
  now: Date,
  options: TotpOptions & { lastUsedStep?: number | null } = {},
): TotpVerdict {
  const digits = options.digits ?? 6;
  const window = options.window ?? 1;
  const given = code.replace(/\s/g, '');
  if (!new RegExp(`^\\d{${digits}}$`).test(given)) return { ok: false, reason: 'invalid' };
  const current = totpStep(now, options.period);
  let matched: number | null = null;
  // Compare every candidate (no early exit) so timing does not reveal which step matched.
  for (let step = current - window; step <= current + window; step++) {
    if (step < 0) continue;
    if (timingSafeEqual(Buffer.from(hotp(secret, step, digits)), Buffer.from(given)) && matched === null)
      matched = step;
  }
  if (matched === null) return { ok: false, reason: 'invalid' };
  if (options.lastUsedStep != null && matched <= options.lastUsedStep)
    return { ok: false, reason: 'replayed' };
  return { ok: true, step: matched };
}

/** otpauth://totp/Issuer:account?secret=…&issuer=…: what the enrolment QR code encodes. */
export function otpauthUri(
  params: { secret: Buffer; account: string; issuer: string } & TotpOptions,
): string {
  const label = `${encodeURIComponent(params.issuer)}:${encodeURIComponent(params.account)}`;
  const query = new URLSearchParams({
    secret: base32Encode(params.secret),
    issuer: params.issuer,
    algorithm: 'SHA1',
    digits: String(params.digits ?? 6),
    period: String(params.period ?? 30),
  });
  return `otpauth://totp/${label}?${query.toString().replace(/\+/g, '%20')}`;
}
