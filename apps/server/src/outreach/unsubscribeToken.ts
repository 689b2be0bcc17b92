// The signed token in a marketing email's unsubscribe link: which workspace, customer and consent it
// withdraws, with an HMAC under a key derived from the server secret, so a link cannot be forged or
// pointed at another customer. It does not expire: an unsubscribe link must keep working.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { type ConsentPurpose, consentPurposes } from '@zhike/core';

export interface UnsubscribeClaim {
  workspaceId: string;
  customerId: string;
  purpose: ConsentPurpose;
}

const keyOf = (secret: string) =>
  createHmac('sha256', secret).update('zhike:outreach-unsubscribe:v1').digest();

const mac = (secret: string, body: string) => createHmac('sha256', keyOf(secret)).update(body).digest();

export function signUnsubscribe(secret: string, claim: UnsubscribeClaim): string {
  const body = Buffer.from(JSON.stringify([claim.workspaceId, claim.customerId, claim.purpose])).toString(
    'base64url',
  );
  return `${body}.${mac(secret, body).toString('base64url')}`;
}

/** The claim of a well-signed token; null for anything else (never throws). */
export function verifyUnsubscribe(secret: string, token: string): UnsubscribeClaim | null {
  const [body, signature, extra] = token.split('.');
  if (!body || !signature || extra !== undefined) return null;
  const expected = mac(secret, body);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 3 || !value.every((v) => typeof v === 'string'))
      return null;
    const [workspaceId, customerId, purpose] = value as [string, string, string];
    if (!(consentPurposes as readonly string[]).includes(purpose)) return null;
    return { workspaceId, customerId, purpose: purpose as ConsentPurpose };
  } catch {
    return null;
  }
}
