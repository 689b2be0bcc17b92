// Keyed blind index: a deterministic HMAC of a normalised value, so equality lookups ("find customer by
// phone") work on encrypted columns without the database ever seeing the value.
import { createHmac, hkdfSync } from 'node:crypto';

export type LookupKind = 'phone' | 'email' | 'text';

const PHONE_SHAPE = /^[+\d\s().-]*$/;
const looksLikePhone = (v: string) => PHONE_SHAPE.test(v) && (v.match(/\d/g)?.length ?? 0) >= 5;

export function normalisePhone(value: string): string {
  const text = value.normalize('NFKC');
  let digits = text.replace(/\D/g, '');
  const international = /^\s*\(?\+/.test(text);
  if (digits.startsWith('0086')) digits = digits.slice(4);
  else if (digits.startsWith('86') && (international || digits.length === 13)) digits = digits.slice(2);
  return digits;
}

export const normaliseEmail = (value: string): string => value.normalize('NFKC').trim().toLowerCase();

/**
 * The kind decides the normalisation; when the caller does not know it, the value's shape does. The
 * choice depends only on the value, so a write and a later lookup of the same input always agree.
 */
export function normaliseForLookup(value: string, kind?: LookupKind): string {
  const text = value.normalize('NFKC').trim();
  const k = kind ?? (text.includes('@') ? 'email' : looksLikePhone(text) ? 'phone' : 'text');
  if (k === 'phone') return `p:${normalisePhone(value)}`;
  if (k === 'email') return `e:${normaliseEmail(value)}`;
  return `t:${text}`;
}

export const BLIND_INDEX_PREFIX = 'zb1:';
const INDEX_BYTES = 16;

/** Per-field subkey from the workspace's index key, so the same phone under two fields gives two tags. */
export function deriveIndexKey(indexKey: Buffer, workspaceId: string, field = ''): Buffer {
  return Buffer.from(hkdfSync('sha256', indexKey, workspaceId, `zhike/blind-index/v1/${field}`, 32));
}

export function blindIndex(derivedKey: Buffer, value: string, kind?: LookupKind): string {
  const mac = createHmac('sha256', derivedKey).update(normaliseForLookup(value, kind), 'utf8').digest();
  return BLIND_INDEX_PREFIX + mac.subarray(0, INDEX_BYTES).toString('base64url');
}
