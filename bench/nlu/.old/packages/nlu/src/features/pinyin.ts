// Toneless pinyin per Han character, so homophone typos (退宽/退款 → tui kuan) share features.
import { pinyin } from 'pinyin-pro';
import { hashSeed, hashString } from './hashing.ts';

const FIRST = 0x3400;
const LAST = 0x9fff;
const SYLLABLE_SEED = hashSeed(0x7079);

/**
 * Hash of each character's pinyin, filled on first sight. pinyin-pro costs ~37 µs per call; a shared
 * read-only cache keeps classification at table-lookup cost. 0 means "not computed yet".
 */
const syllableHashes = new Uint32Array(LAST - FIRST + 1);

/** Hash of the toneless pinyin syllable of a Han code unit, or 0 for anything else. */
export function syllableHash(code: number): number {
  if (code < FIRST || code > LAST) return 0;
  const slot = code - FIRST;
  const cached = syllableHashes[slot]!;
  if (cached !== 0) return cached;
  const syllable = pinyin(String.fromCharCode(code), { toneType: 'none' });
  const h = hashString(SYLLABLE_SEED, syllable) || 1;
  syllableHashes[slot] = h;
  return h;
}
