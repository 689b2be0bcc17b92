// The feature hash table both scorers probe: 16 bytes per slot (key, weight start, weight end or
// `DENSE`, idf as float bits), linear probing from `slotOf`, load factor at most 3/4 (a lookup usually
// ends in its first slot). `scorer.wat` probes the same layout.
import type { SparseWeights } from './weights.ts';

/** Table marker of a feature row holding a weight for every class. */
export const DENSE = -2;

export function slotOf(key: number, shift: number): number {
  return Math.imul(key, 0x9e3779b1) >>> shift;
}

/** log2 of the slot count for `rows` features. */
export function tableBits(rows: number): number {
  let bits = 4;
  while (1 << bits < (rows * 4) / 3) bits++;
  return bits;
}

/**
 * Fills `slots` (4 Int32 per slot, `1 << bits` slots, viewed as floats by `slotsF`) with every feature
 * row; a row of every class gets `DENSE` and the start `denseStart(row)` returns, others their bounds.
 */
export function fillTable(
  slots: Int32Array,
  slotsF: Float32Array,
  bits: number,
  keys: Uint32Array,
  idf: Float32Array,
  weights: SparseWeights,
  classes: number,
  denseStart: (row: number, start: number) => number,
): void {
  const shift = 32 - bits;
  const mask = (1 << bits) - 1;
  const { rowStart } = weights;
  for (let slot = 0; slot <= mask; slot++) slots[slot * 4 + 2] = -1;
  for (let row = 0; row < keys.length; row++) {
    const key = keys[row]!;
    let slot = slotOf(key, shift);
    while (slots[slot * 4 + 2] !== -1) slot = (slot + 1) & mask;
    const start = rowStart[row]!;
    const end = rowStart[row + 1]!;
    slots[slot * 4] = key | 0;
    if (end - start === classes) {
      slots[slot * 4 + 1] = denseStart(row, start);
      slots[slot * 4 + 2] = DENSE;
    } else {
      slots[slot * 4 + 1] = start;
      slots[slot * 4 + 2] = end;
    }
    slotsF[slot * 4 + 3] = idf[row]!;
  }
}
