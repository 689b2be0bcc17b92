// 32-bit FNV-1a hashing over UTF-16 code units, so features are hashed without building strings.
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

export function hashSeed(family: number): number {
  return Math.imul(FNV_OFFSET ^ family, FNV_PRIME) >>> 0;
}

export function hashStep(h: number, code: number): number {
  return Math.imul(h ^ code, FNV_PRIME) >>> 0;
}

export function hashString(seed: number, s: string): number {
  let h = seed;
  for (let i = 0; i < s.length; i++) h = hashStep(h, s.charCodeAt(i));
  return h;
}

/** Order-sensitive combination of two hashes (word bigrams, pinyin bigrams). */
export function hashPair(seed: number, a: number, b: number): number {
  let h = hashStep(seed, a & 0xffff);
  h = hashStep(h, a >>> 16);
  h = hashStep(h, b & 0xffff);
  return hashStep(h, b >>> 16);
}
