// The linear scorer with its arithmetic in WebAssembly (`scorer.wat`): the same scores as
// `LinearScorer` in JS, bit for bit. Once any ArrayBuffer in a process has been detached (Node's
// `fetch` does it on a server's first outbound call), V8 checks every typed-array access in JS for
// detachment, which cost the JS scoring loop ~19 % on banking77; memory accesses in WebAssembly need
// no such check. Hashing the text stays in JS.
import type { Encoder } from './encoding.ts';
import { SCORER_WASM_BASE64 } from './scorerWasm.ts';
import { fillTable, tableBits } from './table.ts';
import type { SparseWeights } from './weights.ts';

const HEADER_BYTES = 128;
const PAGE = 65536;

// Header slots (byte offsets of i32 values), as `scorer.wat` reads them.
const H_TABLE = 0;
const H_MASK = 4;
const H_SHIFT = 8;
const H_CLASSES = 12;
const H_CLASS_INDEX = 16;
const H_WEIGHTS = 20;
const H_BIAS = 24;
const H_FAMILY_WEIGHTS = 28;
const H_TF = 32;
const H_SEEN = 36;
const H_SEEN_MASK = 40;
const H_STAMP = 44;
const H_HASHES = 48;
const H_FAMILY_ACC = 52;
const H_ACC = 56;
const H_OUT = 60;
const H_DENSE_LIST = 64;
const H_FEATURE_INFO = 68;
const H_ROW_BYTES = 72;
const H_ACC32 = 76;
const H_NORMS = 80;
const H_SCALE = 84;

let compiled: WebAssembly.Module | null | undefined;
/** The compiled module (shared by every model), or null where WebAssembly SIMD is unavailable. */
function scorerModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    try {
      const bytes = Uint8Array.from(atob(SCORER_WASM_BASE64), (c) => c.charCodeAt(0));
      compiled = WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

const align16 = (n: number) => (n + 15) & ~15;

/**
 * Lays a model out in one WebAssembly memory: header, feature hash table (16 bytes per slot: key,
 * weight start, weight end or `DENSE`, idf), sparse class indices (u16) and weights (f32), dense rows
 * (f32, padded to four classes), bias, family weights; then the per-message work areas, sized for
 * `capacity` hashes and moved to the end of a grown memory when a message has more.
 */
export class WasmScorer {
  private memory: WebAssembly.Memory;
  private readonly run: (count: number) => void;
  private readonly classes: number;
  private readonly modelEnd: number;
  private capacity = 0;
  private hashes = new Uint32Array(0);
  private out = new Float32Array(0);

  private constructor(
    module: WebAssembly.Module,
    encoder: Encoder,
    weights: SparseWeights,
    bias: Float32Array,
    classes: number,
  ) {
    const { keys } = encoder.vocabulary;
    const rows = keys.length;
    const { rowStart, classIndex, values } = weights;
    const bits = tableBits(rows);
    let denseRows = 0;
    for (let row = 0; row < rows; row++) if (rowStart[row + 1]! - rowStart[row]! === classes) denseRows++;
    const padded = (classes + 3) & ~3;
    const rowBytes = padded * 4;
    const nnz = rowStart[rows]!;
    const table = HEADER_BYTES;
    const classIndexAt = align16(table + (16 << bits));
    const weightsAt = align16(classIndexAt + nnz * 2);
    const denseAt = align16(weightsAt + nnz * 4);
    const biasAt = align16(denseAt + denseRows * rowBytes);
    const familyWeightsAt = align16(biasAt + classes * 4);
    this.modelEnd = align16(familyWeightsAt + 4 * 8);
    this.memory = new WebAssembly.Memory({ initial: Math.ceil(this.modelEnd / PAGE) });
    this.classes = classes;
    const buffer = this.memory.buffer;
    const header = new Int32Array(buffer, 0, HEADER_BYTES / 4);
    const slots = new Int32Array(buffer, table, 4 << bits);
    const slotsF = new Float32Array(buffer, table, 4 << bits);
    new Uint16Array(buffer, classIndexAt, nnz).set(classIndex.subarray(0, nnz));
    new Float32Array(buffer, weightsAt, nnz).set(values.subarray(0, nnz));
    const dense = new Float32Array(buffer, denseAt, denseRows * padded);
    const shift = 32 - bits;
    const mask = (1 << bits) - 1;
    // Whole rows are copied into the dense area (padded to four classes); the slot holds the byte offset.
    denseRows = 0;
    fillTable(slots, slotsF, bits, keys, encoder.idf, weights, classes, (row, start) => {
      dense.set(values.subarray(start, rowStart[row + 1]!), denseRows * padded);
      return denseAt + denseRows++ * rowBytes;
    });
    new Float32Array(buffer, biasAt, classes).set(bias);
    new Float64Array(buffer, familyWeightsAt, 4).set(encoder.familyWeights.subarray(0, 4));
    header[H_TABLE / 4] = table;
    header[H_MASK / 4] = mask;
    header[H_SHIFT / 4] = shift;
    header[H_CLASSES / 4] = classes;
    header[H_CLASS_INDEX / 4] = classIndexAt;
    header[H_WEIGHTS / 4] = weightsAt;
    header[H_BIAS / 4] = biasAt;
    header[H_FAMILY_WEIGHTS / 4] = familyWeightsAt;
    header[H_ROW_BYTES / 4] = rowBytes;
    const instance = new WebAssembly.Instance(module, { m: { memory: this.memory } });
    this.run = instance.exports.score as (count: number) => void;
    this.reserve(512);
  }

  static create(
    encoder: Encoder,
    weights: SparseWeights,
    bias: Float32Array,
    classes: number,
  ): WasmScorer | null {
    const module = scorerModule();
    if (module === null) return null;
    // Each family's weight must be one of the four the module reads.
    if (encoder.familyWeights.length < 4) return null;
    return new WasmScorer(module, encoder, weights, bias, classes);
  }

  /** Work areas for messages of up to `capacity` hashes, after the model (or after the old areas). */
  private reserve(capacity: number): void {
    const classes = this.classes;
    const padded = (classes + 3) & ~3;
    let seenBits = 4;
    while (1 << seenBits < capacity * 2) seenBits++;
    // The first areas follow the model; later ones start where the memory ended (its new pages are
    // zero, which the seen set needs).
    const from = this.capacity === 0 ? this.modelEnd : this.memory.buffer.byteLength;
    const tf = align16(from);
    const seen = align16(tf + (capacity + 1) * 8);
    const hashes = align16(seen + (16 << seenBits));
    const familyAcc = align16(hashes + capacity * 4);
    const acc = align16(familyAcc + 4 * classes * 8);
    const out = align16(acc + classes * 8);
    const denseList = align16(out + classes * 4);
    const featureInfo = align16(denseList + capacity * 16);
    const acc32 = align16(featureInfo + capacity * 8);
    const norms = align16(acc32 + padded * 4);
    const scale = align16(norms + 4 * 8);
    const end = scale + 4 * 8;
    const have = this.memory.buffer.byteLength;
    if (end > have) this.memory.grow(Math.ceil((end - have) / PAGE));
    const buffer = this.memory.buffer;
    const header = new Int32Array(buffer, 0, HEADER_BYTES / 4);
    const tfTable = new Float64Array(buffer, tf, capacity + 1);
    // tf(c) = 1 + ln c, the sublinear term frequency (as `LinearScorer` computes it).
    for (let c = 1; c <= capacity; c++) tfTable[c] = c === 1 ? 1 : 1 + Math.log(c);
    header[H_TF / 4] = tf;
    header[H_SEEN / 4] = seen;
    header[H_SEEN_MASK / 4] = (1 << seenBits) - 1;
    header[H_STAMP / 4] = 0;
    header[H_HASHES / 4] = hashes;
    header[H_FAMILY_ACC / 4] = familyAcc;
    header[H_ACC / 4] = acc;
    header[H_OUT / 4] = out;
    header[H_DENSE_LIST / 4] = denseList;
    header[H_FEATURE_INFO / 4] = featureInfo;
    header[H_ACC32 / 4] = acc32;
    header[H_NORMS / 4] = norms;
    header[H_SCALE / 4] = scale;
    this.hashes = new Uint32Array(buffer, hashes, capacity);
    this.out = new Float32Array(buffer, out, classes);
    this.capacity = capacity;
  }

  /** Scores `count` hashed features of one message (from `hashes`) into `out`. */
  scoreHashes(hashes: Uint32Array, count: number, out: Float32Array): void {
    if (count > this.capacity) this.reserve(count * 2);
    const target = this.hashes;
    for (let i = 0; i < count; i++) target[i] = hashes[i]!;
    this.run(count);
    const scores = this.out;
    for (let k = 0; k < this.classes; k++) out[k] = scores[k]!;
  }
}
