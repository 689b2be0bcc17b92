// Classification hot path: text → hashed features → TF-IDF values → class scores, in one pass over
// per-model typed arrays. A feature's hash-table slot holds everything it needs (key, weight row
// bounds, idf) in 16 bytes, so a feature costs one cache miss before its weights. Where WebAssembly
// SIMD is available (Node ≥ 16) the arithmetic runs in `scorer.wat` (see `wasmScorer.ts`), with the
// same results; the JS loop here is the fallback.
import { FAMILY_COUNT } from '../features/index.ts';
import { normalise } from '../normalise/index.ts';
import { createWordSpans } from '../tokenise/index.ts';
import type { Encoder } from './encoding.ts';
import { DENSE, fillTable, slotOf, tableBits } from './table.ts';
import { WasmScorer } from './wasmScorer.ts';
import type { SparseWeights } from './weights.ts';

/** Scores one message into `out` (one linear score per class). */
export interface Scorer {
  score(text: string, out: Float32Array): void;
}

/**
 * A class, not a closure per model: with many models in one process (every shop's bot, the hand-off
 * and sentiment models) the hot path is one function to V8 with one set of type feedback, instead
 * of one closure per model that made its call sites polymorphic (measured: a second model in the
 * process cut the first one's classifications/s by ~30 %, a Chinese one by ~40 %).
 */
class LinearScorer implements Scorer {
  private readonly table: Int32Array;
  private readonly tableF: Float32Array;
  private readonly shift: number;
  private readonly mask: number;
  private readonly w: Float32Array;
  private readonly classIndex: Uint16Array;
  private readonly bias: Float32Array;
  private readonly classes: number;
  /** The arithmetic in WebAssembly where SIMD is available; else the JS loop below. */
  private readonly wasm: WasmScorer | null;
  private readonly encoder: Encoder;
  private readonly tagged: boolean;
  private readonly plainAscii: boolean;
  private readonly norms = new Float64Array(FAMILY_COUNT);
  private readonly scale = new Float64Array(FAMILY_COUNT);
  // Sparse rows add into one accumulator per family, scaled once the family's norm is known, so each
  // feature is looked up and applied in a single pass over the message's hashes.
  private readonly familyAcc: Float64Array;
  private readonly acc: Float64Array;
  private readonly spans = createWordSpans();
  private featureCount = new Int32Array(256);
  private featureDense = new Int32Array(256);
  private denseStarts = new Int32Array(256);
  private denseFamily = new Uint8Array(256);
  private denseValues = new Float64Array(256);
  // Repeats of a feature are found through a small per-call set of table slots (reset by bumping
  // `stamp`): no sort and no typed-array view per message.
  private seenBits = 9;
  private seenSlot = new Int32Array(1 << 9);
  private seenStamp = new Int32Array(1 << 9);
  private seenFeature = new Int32Array(1 << 9);
  private stamp = 0;

  constructor(encoder: Encoder, weights: SparseWeights, bias: Float32Array, classes: number, simd: boolean) {
    this.bias = bias;
    this.classes = classes;
    this.encoder = encoder;
    this.tagged = encoder.featuriser.options.tags;
    this.plainAscii = encoder.tokeniser.plainAscii;
    this.familyAcc = new Float64Array(FAMILY_COUNT * classes);
    this.acc = new Float64Array(classes);
    this.w = weights.values;
    this.classIndex = weights.classIndex;
    this.wasm = simd ? WasmScorer.create(encoder, weights, bias, classes) : null;
    if (this.wasm !== null) {
      // The model lives in WebAssembly memory: no JS table.
      this.table = new Int32Array(0);
      this.tableF = new Float32Array(0);
      this.shift = 32;
      this.mask = 0;
      return;
    }
    const bits = tableBits(encoder.vocabulary.size);
    const table = new Int32Array(4 << bits);
    const tableF = new Float32Array(table.buffer);
    // A row of every class starts at its first weight.
    fillTable(
      table,
      tableF,
      bits,
      encoder.vocabulary.keys,
      encoder.idf,
      weights,
      classes,
      (_, start) => start,
    );
    const shift = 32 - bits;
    const mask = (1 << bits) - 1;
    this.table = table;
    this.tableF = tableF;
    this.shift = shift;
    this.mask = mask;
  }

  score(text: string, out: Float32Array): void {
    const normalised = normalise(text);
    const { featuriser, tokeniser } = this.encoder;
    if (this.tagged) {
      const t = tokeniser.tagged(normalised);
      const hashes = featuriser.hashes(normalised, t.words, t.tags);
      this.scoreHashes(hashes, hashes.length, out);
      return;
    }
    // English messages hash in one pass; anything else is segmented into spans first.
    let count = this.plainAscii ? featuriser.hashAscii(normalised) : -1;
    if (count < 0) count = featuriser.hashSpans(normalised, tokeniser.spans(normalised, this.spans));
    this.scoreHashes(featuriser.hashBuffer(), count, out);
  }

  /** The arithmetic on a message's hashed features (`count` of them in `hashes`) into `out`. */
  private scoreHashes(hashes: Uint32Array, count: number, out: Float32Array): void {
    if (this.wasm !== null) {
      this.wasm.scoreHashes(hashes, count, out);
      return;
    }
    const { table, tableF, shift, mask, w, classIndex, bias, classes, norms, scale, familyAcc, acc } = this;
    const { familyWeights } = this.encoder;
    let {
      featureCount,
      featureDense,
      denseStarts,
      denseFamily,
      denseValues,
      seenBits,
      seenSlot,
      seenStamp,
      seenFeature,
    } = this;
    if (featureCount.length < count) {
      this.featureCount = featureCount = new Int32Array(count * 2);
      this.featureDense = featureDense = new Int32Array(count * 2);
      this.denseStarts = denseStarts = new Int32Array(count * 2);
      this.denseFamily = denseFamily = new Uint8Array(count * 2);
      this.denseValues = denseValues = new Float64Array(count * 2);
    }
    if (1 << seenBits < count * 2) {
      while (1 << seenBits < count * 2) seenBits++;
      this.seenBits = seenBits;
      this.seenSlot = seenSlot = new Int32Array(1 << seenBits);
      this.seenStamp = seenStamp = new Int32Array(1 << seenBits);
      this.seenFeature = seenFeature = new Int32Array(1 << seenBits);
      this.stamp = 0;
    }
    let stamp = this.stamp + 1;
    if (stamp === 0x7fffffff) {
      seenStamp.fill(0);
      stamp = 1;
    }
    this.stamp = stamp;
    const seenMask = (1 << seenBits) - 1;
    norms.fill(0);
    let usedFamilies = 0;
    let features = 0;
    let dense = 0;
    for (let i = 0; i < count; i++) {
      const key = hashes[i]! | 0;
      let slot = slotOf(key, shift);
      let end = table[slot * 4 + 2]!;
      while (end !== -1 && table[slot * 4] !== key) {
        slot = (slot + 1) & mask;
        end = table[slot * 4 + 2]!;
      }
      if (end === -1) continue;
      let s = slot & seenMask;
      while (seenStamp[s] === stamp && seenSlot[s] !== slot) s = (s + 1) & seenMask;
      // TF-IDF with sublinear tf: a repeat adds the step from tf(c − 1) to tf(c).
      let feature: number;
      let tfBefore = 0;
      let tf = 1;
      if (seenStamp[s] === stamp) {
        feature = seenFeature[s]!;
        const c = ++featureCount[feature]!;
        tfBefore = c === 2 ? 1 : 1 + Math.log(c - 1);
        tf = 1 + Math.log(c);
      } else {
        feature = features++;
        seenStamp[s] = stamp;
        seenSlot[s] = slot;
        seenFeature[s] = feature;
        featureCount[feature] = 1;
        featureDense[feature] = -1;
      }
      const idf = tableF[slot * 4 + 3]!;
      const f = (key >>> 30) & 3;
      norms[f]! += (tf * tf - tfBefore * tfBefore) * idf * idf;
      const v = (tf - tfBefore) * idf;
      const start = table[slot * 4 + 1]!;
      if (end === DENSE) {
        let d = featureDense[feature]!;
        if (d < 0) {
          d = dense++;
          featureDense[feature] = d;
          denseStarts[d] = start;
          denseFamily[d] = f;
          denseValues[d] = 0;
        }
        denseValues[d]! += v;
      } else {
        usedFamilies |= 1 << f;
        const base = f * classes;
        for (let p = start; p < end; p++) familyAcc[base + classIndex[p]!]! += v * w[p]!;
      }
    }
    // Per-family L2 normalisation, scaled by the family weight.
    for (let f = 0; f < FAMILY_COUNT; f++) {
      const norm = norms[f]!;
      scale[f] = norm > 0 ? familyWeights[f]! / Math.sqrt(norm) : 0;
    }
    acc.set(bias);
    for (let f = 0; f < FAMILY_COUNT; f++) {
      if ((usedFamilies & (1 << f)) === 0) continue;
      const base = f * classes;
      const sf = scale[f]!;
      for (let k = 0; k < classes; k++) {
        acc[k]! += familyAcc[base + k]! * sf;
        familyAcc[base + k] = 0;
      }
    }
    for (let d = 0; d < dense; d++) denseValues[d] = denseValues[d]! * scale[denseFamily[d]!]!;
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
  }
}

export function createScorer(
  encoder: Encoder,
  weights: SparseWeights,
  bias: Float32Array,
  classes: number,
  /**
   * Off: the arithmetic in JS even where WebAssembly SIMD is available (tests cover both). The two
   * differ in the last bits: WebAssembly adds whole rows in f32, four classes at a time.
   */
  simd = true,
): Scorer {
  return new LinearScorer(encoder, weights, bias, classes, simd);
}
