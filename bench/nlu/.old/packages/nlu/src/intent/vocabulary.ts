// Open-addressing map from hashed feature key (uint32) to a dense row, with no per-lookup allocation.

export interface Vocabulary {
  readonly size: number;
  /** Row of `key`, or -1 when the model has never seen it. */
  lookup(key: number): number;
  /** Keys in row order. */
  readonly keys: Uint32Array;
}

function mix(key: number): number {
  let h = Math.imul(key ^ (key >>> 16), 0x45d9f3b);
  h = Math.imul(h ^ (h >>> 16), 0x45d9f3b);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Build from keys in row order (keys[i] gets row i). Keys must be unique. Each slot holds the key and
 * its row + 1 side by side (0 = empty), so a lookup touches one cache line instead of two arrays.
 */
export function createVocabulary(keys: Uint32Array): Vocabulary {
  let capacity = 16;
  while (capacity < keys.length * 2) capacity <<= 1;
  const mask = capacity - 1;
  const slots = new Uint32Array(capacity * 2);
  for (let row = 0; row < keys.length; row++) {
    const key = keys[row]!;
    let slot = mix(key) & mask;
    while (slots[slot * 2 + 1] !== 0) slot = (slot + 1) & mask;
    slots[slot * 2] = key;
    slots[slot * 2 + 1] = row + 1;
  }
  return {
    size: keys.length,
    keys,
    lookup(key) {
      let slot = mix(key) & mask;
      for (;;) {
        const row = slots[slot * 2 + 1]!;
        if (row === 0) return -1;
        if (slots[slot * 2] === key) return row - 1;
        slot = (slot + 1) & mask;
      }
    },
  };
}
