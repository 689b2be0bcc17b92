// Signed widget identity: the shop's server vouches for who its signed-in visitor is by signing the
// fields with the inbox's identity verification secret; the widget passes fields and signature along.
// A valid signature makes the identities verified (they merge with the customer who proved them on
// another channel); no signature leaves them unverified (suggestions only); a wrong one is refused.
import type { WidgetIdentity } from '@zhike/contracts';
import type { IdentityClaim } from '@zhike/core';
import { hmacHex, safeEqual } from '../auth/secrets.ts';
import { HttpProblem } from './problems.ts';

/** The signed fields, in the order they appear in the canonical string. */
const SIGNED_FIELDS = ['email', 'externalId', 'name', 'phone'] as const;

/**
 * What the shop signs: `key=value` pairs of the fields present, in alphabetical key order, joined by `&`,
 * each value percent-encoded as by encodeURIComponent (UTF-8). E.g. `externalId=u-42&phone=13812345678`.
 */
export function canonicalIdentityString(identity: Omit<WidgetIdentity, 'signature'>): string {
  return SIGNED_FIELDS.filter((key) => identity[key] !== undefined)
    .map((key) => `${key}=${encodeURIComponent(identity[key] ?? '')}`)
    .join('&');
}

export const signIdentity = (secret: string, identity: Omit<WidgetIdentity, 'signature'>): string =>
  hmacHex(secret, canonicalIdentityString(identity));

/**
 * The identities the widget session may attach, verified when the signature holds. Throws 401 when a
 * signature is present but wrong, or the inbox has no secret to check it with.
 */
export function identityClaims(identity: WidgetIdentity, secret: string | null): IdentityClaim[] {
  let verified = false;
  if (identity.signature !== undefined) {
    const expected = secret === null ? null : signIdentity(secret, identity);
    if (expected === null || !safeEqual(identity.signature.toLowerCase(), expected)) {
      throw new HttpProblem('unauthenticated', 'The identity signature does not match');
    }
    verified = true;
  }
  const claims: IdentityClaim[] = [];
  if (identity.externalId !== undefined)
    claims.push({ kind: 'external', value: identity.externalId, verified });
  if (identity.phone !== undefined) claims.push({ kind: 'phone', value: identity.phone, verified });
  if (identity.email !== undefined) claims.push({ kind: 'email', value: identity.email, verified });
  return claims.map((c) => ({ ...c, source: verified ? 'widget_signed' : 'widget' }));
}
