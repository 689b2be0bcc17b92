// Draws each customer of a campaign into the hold-out or one of the offer variants. The draw is a keyed
// hash of campaign and customer, uniform and independent of the segment's order, so planning twice (a
// retried job) draws everyone the same way.
import type { OfferVariant } from './outreach.ts';

/** A uniform number in [0, 1) from a string (FNV-1a then a 32-bit finaliser). */
export function uniformOf(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 0x1_0000_0000;
}

/** The variant key for the customer, or null when they fall in the hold-out. */
export function drawGroup(
  campaignId: string,
  customerId: string,
  holdoutPercent: number,
  variants: readonly Pick<OfferVariant, 'key' | 'weight'>[],
): string | null {
  if (uniformOf(`holdout:${campaignId}:${customerId}`) * 100 < holdoutPercent) return null;
  const total = variants.reduce((sum, v) => sum + Math.max(0, v.weight), 0);
  let point = uniformOf(`variant:${campaignId}:${customerId}`) * total;
  for (const v of variants) {
    point -= Math.max(0, v.weight);
    if (point < 0) return v.key;
  }
  return variants.at(-1)?.key ?? null;
}

const COUPON_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A random coupon code (no 0/O or 1/I to misread): prefix + 8 characters, about 40 bits. */
export function generateCouponCode(prefix: string): string {
  const bytes = new Uint8Array(8);
  globalThis.crypto.getRandomValues(bytes);
  return prefix + Array.from(bytes, (b) => COUPON_ALPHABET[b % COUPON_ALPHABET.length]).join('');
}
