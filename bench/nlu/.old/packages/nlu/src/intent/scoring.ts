// Classification hot path: text → hashed features → TF-IDF values → class scores, in one pass over
// per-model typed arrays. A feature's hash-table slot holds everything it needs (key, weight row
// bounds, idf) in 16 bytes, so a feature costs one cache miss before its weights.
import { FAMILY_COUNT } from '../features/index.ts';
import { normalise } from '../normalise/index.ts';
import type { Encoder } from './encoding.ts';
import type { SparseWeights } from './weights.ts';

export type ScoreInto = (text: string, out: Float32Array) => void;

function slotOf(key: number, shift: number): number {
  return Math.imul(key, 0x9e3779b1) >>> shift;
}

export function createScorer(
  encoder: Encoder,
  weights: SparseWeights,
  bias: Float32Array,
  classes: number,
): ScoreInto {
  const { keys } = encoder.vocabulary;
  const rows = keys.length;
  // Load factor at most 3/4: a lookup usually ends in its first slot.
  let bits = 4;
  while (1 << bits < (rows * 4) / 3) bits++;
  const shift = 32 - bits;
  const mask = (1 << bits) - 1;
  // Per slot: key, weight start, weight end (−1 = empty slot), idf (float bits).
  const table = new Int32Array(4 << bits);
  const tableF = new Float32Array(table.buffer);
  for (let slot = 0; slot <= mask; slot++) table[slot * 4 + 2] = -1;
  const { rowStart, classIndex, values: w } = weights;
  for (let row = 0; row < rows; row++) {
    const key = keys[row]!;
    let slot = slotOf(key, shift);
    while (table[slot * 4 + 2] !== -1) slot = (slot + 1) & mask;
    table[slot * 4] = key | 0;
    table[slot * 4 + 1] = rowStart[row]!;
    table[slot * 4 + 2] = rowStart[row + 1]!;
    tableF[slot * 4 + 3] = encoder.idf[row]!;
  }
  const { featuriser, tokeniser, familyWeights } = encoder;
  const tagged = featuriser.options.tags;
  const norms = new Float64Array(FAMILY_COUNT);
  const acc = new Float64Array(classes);
  let slots = new Int32Array(256);
  let touched = new Int32Array(256);
  let family = new Uint8Array(256);
  let value = new Float64Array(256);
  let denseStarts = new Int32Array(256);
  let denseValues = new Float64Array(256);

  return (text, out) => {
    const normalised = normalise(text);
    let hashes: Uint32Array;
    if (tagged) {
      const t = tokeniser.tagged(normalised);
      hashes = featuriser.hashes(normalised, t.words, t.tags);
    } else hashes = featuriser.hashes(normalised, tokeniser.words(normalised));
    if (touched.length < hashes.length) {
      slots = new Int32Array(hashes.length * 2);
      touched = new Int32Array(hashes.length * 2);
      family = new Uint8Array(hashes.length * 2);
      value = new Float64Array(hashes.length * 2);
      denseStarts = new Int32Array(hashes.length * 2);
      denseValues = new Float64Array(hashes.length * 2);
    }
    // Slots of the features the model knows, sorted so repeats sit side by side (and weight rows
    // are visited in memory order); a repeat becomes a count.
    let found = 0;
    for (let i = 0; i < hashes.length; i++) {
      const key = hashes[i]! | 0;
      let slot = slotOf(key, shift);
      let end = table[slot * 4 + 2]!;
      while (end !== -1 && table[slot * 4] !== key) {
        slot = (slot + 1) & mask;
        end = table[slot * 4 + 2]!;
      }
      if (end !== -1) slots[found++] = slot * 4;
    }
    if (found > 1) slots.subarray(0, found).sort();
    let n = 0;
    for (let i = 0; i < found; ) {
      const t = slots[i]!;
      let count = 1;
      while (++i < found && slots[i] === t) count++;
      touched[n] = t;
      family[n] = table[t]! >>> 30;
      value[n++] = (count === 1 ? 1 : 1 + Math.log(count)) * tableF[t + 3]!;
    }
    // TF-IDF with sublinear tf, L2-normalised per family and scaled by the family weight.
    norms.fill(0);
    for (let i = 0; i < n; i++) norms[family[i]!]! += value[i]! * value[i]!;
    for (let f = 0; f < FAMILY_COUNT; f++) {
      const norm = norms[f]!;
      norms[f] = norm > 0 ? familyWeights[f]! / Math.sqrt(norm) : 0;
    }
    acc.set(bias);
    let dense = 0;
    for (let i = 0; i < n; i++) {
      const r = touched[i]!;
      const v = value[i]! * norms[family[i]!]!;
      const start = table[r + 1]!;
      const end = table[r + 2]!;
      if (end - start === classes) {
        denseStarts[dense] = start;
        denseValues[dense++] = v;
      } else {
        for (let p = start; p < end; p++) acc[classIndex[p]!]! += v * w[p]!;
      }
    }
    // Eight (then four) whole rows per pass over the classes: one load and store of each accumulator
    // instead of one per row, which is what bounds this loop in V8 (8 measured ~5 % faster than 4).
    let d = 0;
    for (; d + 7 < dense; d += 8) {
      const s0 = denseStarts[d]!;
      const s1 = denseStarts[d + 1]!;
      const s2 = denseStarts[d + 2]!;
      const s3 = denseStarts[d + 3]!;
      const s4 = denseStarts[d + 4]!;
      const s5 = denseStarts[d + 5]!;
      const s6 = denseStarts[d + 6]!;
      const s7 = denseStarts[d + 7]!;
      const v0 = denseValues[d]!;
      const v1 = denseValues[d + 1]!;
      const v2 = denseValues[d + 2]!;
      const v3 = denseValues[d + 3]!;
      const v4 = denseValues[d + 4]!;
      const v5 = denseValues[d + 5]!;
      const v6 = denseValues[d + 6]!;
      const v7 = denseValues[d + 7]!;
      for (let k = 0; k < classes; k++) {
        acc[k]! +=
          v0 * w[s0 + k]! +
          v1 * w[s1 + k]! +
          v2 * w[s2 + k]! +
          v3 * w[s3 + k]! +
          v4 * w[s4 + k]! +
          v5 * w[s5 + k]! +
          v6 * w[s6 + k]! +
          v7 * w[s7 + k]!;
      }
    }
    for (; d + 3 < dense; d += 4) {
      const s0 = denseStarts[d]!;
      const s1 = denseStarts[d + 1]!;
      const s2 = denseStarts[d + 2]!;
      const s3 = denseStarts[d + 3]!;
      const v0 = denseValues[d]!;
      const v1 = denseValues[d + 1]!;
      const v2 = denseValues[d + 2]!;
      const v3 = denseValues[d + 3]!;
      for (let k = 0; k < classes; k++) {
        acc[k]! += v0 * w[s0 + k]! + v1 * w[s1 + k]! + v2 * w[s2 + k]! + v3 * w[s3 + k]!;
      }
    }
    for (; d < dense; d++) {
      const s0 = denseStarts[d]!;
      const v0 = denseValues[d]!;
      for (let k = 0; k < classes; k++) acc[k]! += v0 * w[s0 + k]!;
    }
    for (let k = 0; k < classes; k++) out[k] = acc[k]!;
  };
}
