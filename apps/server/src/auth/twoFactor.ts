// TOTP two-factor: the short-lived token between the password and the code, recovery codes (hashed,
// single use), and checking a second factor with replay protection that holds across processes.
import { createHmac, randomBytes } from 'node:crypto';
import type { Role } from '@zhike/core';
import { base32Decode, base32Encode, verifyTotp } from '@zhike/security';
import type { AppContext } from '../context.ts';
import { safeEqual, sha256 } from './secrets.ts';

/** Roles that may turn two-factor on (issue 5: owners and admins). */
export const twoFactorRoles: ReadonlySet<Role> = new Set<Role>(['owner', 'admin']);

export const PENDING_SIGN_IN_MS = 5 * 60_000;
export const RECOVERY_CODE_COUNT = 8;

const pendingMac = (secret: string, userId: string, expires: number) =>
  createHmac('sha256', secret).update(`signin-2fa:${userId}:${expires}`).digest('base64url');

/** `<userId>.<expiresMs>.<mac>`: proves the password step passed, for this user, until it expires. */
export function signPendingSignIn(
  secret: string,
  userId: string,
  now: Date,
): { token: string; expiresAt: Date } {
  const expires = now.getTime() + PENDING_SIGN_IN_MS;
  return {
    token: `${userId}.${expires}.${pendingMac(secret, userId, expires)}`,
    expiresAt: new Date(expires),
  };
}

export function verifyPendingSignIn(secret: string, token: string, now: Date): string | null {
  const [userId, expiresRaw, mac, extra] = token.split('.');
  if (!userId || !expiresRaw || !mac || extra !== undefined || !/^\d{1,15}$/.test(expiresRaw)) return null;
  const expires = Number(expiresRaw);
  if (expires <= now.getTime()) return null;
  return safeEqual(mac, pendingMac(secret, userId, expires)) ? userId : null;
}

const normaliseRecoveryCode = (code: string) => code.toLowerCase().replace(/[\s-]/g, '');
export const hashRecoveryCode = (code: string): string => sha256(`recovery:${normaliseRecoveryCode(code)}`);

/** Eight codes like `k7q2m-x9p4d` (50 bits each); shown once, stored only as hashes. */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const text = base32Encode(randomBytes(7)).toLowerCase().slice(0, 10);
    return `${text.slice(0, 5)}-${text.slice(5)}`;
  });
}

export const newTotpSecret = (): string => base32Encode(randomBytes(20));

export type SecondFactorResult =
  | { ok: true; method: 'totp' | 'recovery_code' }
  | { ok: false; reason: 'invalid' | 'replayed' | 'not_enabled' };

/**
 * A 6-digit code is checked as TOTP (and its step claimed atomically, so the same code cannot be used
 * twice, even by two processes at once); anything else as a recovery code, which is then used up.
 */
export async function checkSecondFactor(
  ctx: Pick<AppContext, 'db' | 'clock'>,
  user: { id: string; workspaceId: string },
  code: string,
): Promise<SecondFactorResult> {
  const state = await ctx.db.directory.twoFactor(user.workspaceId, user.id);
  if (!state?.secret) return { ok: false, reason: 'not_enabled' };
  const compact = code.replace(/\s/g, '');
  if (/^\d{6}$/.test(compact)) {
    const verdict = verifyTotp(base32Decode(state.secret), compact, ctx.clock.now(), {
      lastUsedStep: state.lastStep,
    });
    if (!verdict.ok) return verdict;
    const claimed = await ctx.db.directory.claimTotpStep(user.workspaceId, user.id, verdict.step);
    return claimed ? { ok: true, method: 'totp' } : { ok: false, reason: 'replayed' };
  }
  if (normaliseRecoveryCode(compact).length !== 10) return { ok: false, reason: 'invalid' };
  const used = await ctx.db.directory.consumeRecoveryCode(
    user.workspaceId,
    user.id,
    hashRecoveryCode(compact),
  );
  return used ? { ok: true, method: 'recovery_code' } : { ok: false, reason: 'invalid' };
}
