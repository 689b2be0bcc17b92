// WebAssembly SIMD kernel for the dense rows of a linear model: scores += value × row, four classes
// per instruction. Frequent features (one weight per class) are most of the arithmetic of scoring a
// message, and V8 does not vectorise the JS loop. The module is ~100 bytes, assembled here by hand,
// so nothing is downloaded or built at install time; without SIMD support scoring stays in JS.

/**
 * `dense(acc, rowBytes, starts, values, count)`: for d in [0, count), with s = i32[starts + 4d] and
 * v = f32[values + 4d], f32x4 acc[j] += v × f32x4 [s + j] for every byte offset j < rowBytes (step 16).
 * Rows go four at a time (one load and store of the accumulator per four rows), so `count` must be
 * a multiple of four: `accumulate` pads with rows of value 0.
 */
// biome-ignore format: one instruction per line, as assembled
const WASM = Uint8Array.from([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  // type section: (i32 i32 i32 i32 i32) -> ()
  0x01, 0x09, 0x01, 0x60, 0x05, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x00,
  // import section: memory "m" "memory", at least 1 page
  0x02, 0x0d, 0x01, 0x01, 0x6d, 0x06, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79, 0x02, 0x00, 0x01,
  // function section: one function of type 0
  0x03, 0x02, 0x01, 0x00,
  // export section: "dense" = function 0
  0x07, 0x09, 0x01, 0x05, 0x64, 0x65, 0x6e, 0x73, 0x65, 0x00, 0x00,
  // code section: one body of 252 bytes (sizes in LEB128)
  0x0a, 0xff, 0x01, 0x01, 0xfc, 0x01,
  0x02, 0x06, 0x7f, 0x04, 0x7b, // locals: 6 × i32 (d, s0–s3, j), 4 × v128 (v0–v3)
  0x02, 0x40, // block
  0x03, 0x40, //   loop (four rows at a time)
  0x20, 0x05, 0x20, 0x04, 0x4f, 0x0d, 0x01, // if d >= count: break
  0x20, 0x02, 0x20, 0x05, 0x41, 0x02, 0x74, 0x6a, 0x28, 0x02, 0x00, 0x21, 0x06, // s0 = i32[starts + 4d + 0]
  0x20, 0x02, 0x20, 0x05, 0x41, 0x02, 0x74, 0x6a, 0x28, 0x02, 0x04, 0x21, 0x07, // s1 = i32[starts + 4d + 4]
  0x20, 0x02, 0x20, 0x05, 0x41, 0x02, 0x74, 0x6a, 0x28, 0x02, 0x08, 0x21, 0x08, // s2 = i32[starts + 4d + 8]
  0x20, 0x02, 0x20, 0x05, 0x41, 0x02, 0x74, 0x6a, 0x28, 0x02, 0x0c, 0x21, 0x09, // s3 = i32[starts + 4d + 12]
  0x20, 0x03, 0x20, 0x05, 0x41, 0x02, 0x74, 0x6a, 0x2a, 0x02, 0x00, 0xfd, 0x13, 0x21, 0x0b, // v0 = f32x4.splat(f32[values + 4d + 0])
  0x20, 0x03, 0x20, 0x05, 0x41, 0x02, 0x74, 0x6a, 0x2a, 0x02, 0x04, 0xfd, 0x13, 0x21, 0x0c, // v1 = f32x4.splat(f32[values + 4d + 4])
  0x20, 0x03, 0x20, 0x05, 0x41, 0x02, 0x74, 0x6a, 0x2a, 0x02, 0x08, 0xfd, 0x13, 0x21, 0x0d, // v2 = f32x4.splat(f32[values + 4d + 8])
  0x20, 0x03, 0x20, 0x05, 0x41, 0x02, 0x74, 0x6a, 0x2a, 0x02, 0x0c, 0xfd, 0x13, 0x21, 0x0e, // v3 = f32x4.splat(f32[values + 4d + 12])
  0x41, 0x00, 0x21, 0x0a, // j = 0
  0x02, 0x40, //     block
  0x03, 0x40, //     loop (four classes at a time)
  0x20, 0x0a, 0x20, 0x01, 0x4f, 0x0d, 0x01, // if j >= rowBytes: break
  0x20, 0x00, 0x20, 0x0a, 0x6a, // address acc + j
  0x20, 0x00, 0x20, 0x0a, 0x6a, 0xfd, 0x00, 0x00, 0x00, // v128.load acc + j
  0x20, 0x06, 0x20, 0x0a, 0x6a, 0xfd, 0x00, 0x00, 0x00, 0x20, 0x0b, 0xfd, 0xe6, 0x01, 0xfd, 0xe4, 0x01, // += v0 × v128.load s0 + j
  0x20, 0x07, 0x20, 0x0a, 0x6a, 0xfd, 0x00, 0x00, 0x00, 0x20, 0x0c, 0xfd, 0xe6, 0x01, 0xfd, 0xe4, 0x01, // += v1 × v128.load s1 + j
  0x20, 0x08, 0x20, 0x0a, 0x6a, 0xfd, 0x00, 0x00, 0x00, 0x20, 0x0d, 0xfd, 0xe6, 0x01, 0xfd, 0xe4, 0x01, // += v2 × v128.load s2 + j
  0x20, 0x09, 0x20, 0x0a, 0x6a, 0xfd, 0x00, 0x00, 0x00, 0x20, 0x0e, 0xfd, 0xe6, 0x01, 0xfd, 0xe4, 0x01, // += v3 × v128.load s3 + j
  0xfd, 0x0b, 0x00, 0x00, // v128.store
  0x20, 0x0a, 0x41, 0x10, 0x6a, 0x21, 0x0a, // j += 16
  0x0c, 0x00, //     continue
  0x0b, 0x0b, //     end loop, end block
  0x20, 0x05, 0x41, 0x04, 0x6a, 0x21, 0x05, // d += 4
  0x0c, 0x00, //   continue
  0x0b, 0x0b, // end loop, end block
  0x0b, // end function
]);

let compiled: WebAssembly.Module | null | undefined;
/** The compiled module (immutable, so shared by every model), or null where SIMD is unavailable. */
function simdModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    try {
      compiled = WebAssembly.validate(WASM) ? new WebAssembly.Module(WASM) : null;
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/** Dense weight rows of one model in WebAssembly memory, with room for one message's rows. */
export interface DenseKernel {
  /** Byte offset of dense row `i` (what `starts` holds). */
  rowOffset(i: number): number;
  /** Where the caller writes a message's row offsets and values (length ≥ row count + 3). */
  readonly starts: Int32Array;
  readonly values: Float32Array;
  /** Add Σ values[d] × row(starts[d]) over d < count into `acc` (the first `classes` entries). */
  accumulate(count: number, acc: Float64Array): void;
}

/**
 * `rows` × `classes` weights, row-major (each row padded to a multiple of four classes in memory).
 * Null when WebAssembly SIMD is not available.
 */
export function createDenseKernel(weights: Float32Array, rows: number, classes: number): DenseKernel | null {
  const module = simdModule();
  if (module === null || rows === 0) return null;
  const padded = (classes + 3) & ~3;
  const rowBytes = padded * 4;
  const weightsAt = rowBytes;
  // Room for every row once plus three padding rows.
  const listed = rows + 3;
  const startsAt = weightsAt + rows * rowBytes;
  const valuesAt = startsAt + listed * 4;
  const bytes = valuesAt + listed * 4;
  const memory = new WebAssembly.Memory({ initial: Math.ceil(bytes / 65536) });
  const instance = new WebAssembly.Instance(module, { m: { memory } });
  const dense = instance.exports.dense as (a: number, b: number, c: number, d: number, e: number) => void;
  const buffer = memory.buffer;
  const heapWeights = new Float32Array(buffer, weightsAt, rows * padded);
  for (let r = 0; r < rows; r++)
    heapWeights.set(weights.subarray(r * classes, (r + 1) * classes), r * padded);
  return new WasmDenseKernel(dense, buffer, weightsAt, rowBytes, startsAt, valuesAt, listed, classes);
}

/** A class rather than closures per model, so every model's `accumulate` is one function to V8. */
class WasmDenseKernel implements DenseKernel {
  readonly starts: Int32Array;
  readonly values: Float32Array;
  private readonly acc32: Float32Array;

  constructor(
    private readonly dense: (a: number, b: number, c: number, d: number, e: number) => void,
    buffer: ArrayBuffer,
    private readonly weightsAt: number,
    private readonly rowBytes: number,
    private readonly startsAt: number,
    private readonly valuesAt: number,
    listed: number,
    private readonly classes: number,
  ) {
    // The accumulator sits at byte 0 of the memory.
    this.acc32 = new Float32Array(buffer, 0, rowBytes / 4);
    this.starts = new Int32Array(buffer, startsAt, listed);
    this.values = new Float32Array(buffer, valuesAt, listed);
  }

  rowOffset(i: number): number {
    return this.weightsAt + i * this.rowBytes;
  }

  accumulate(count: number, acc: Float64Array): void {
    const { acc32, starts, values, weightsAt, classes } = this;
    acc32.fill(0);
    let listedRows = count;
    for (; (listedRows & 3) !== 0; listedRows++) {
      starts[listedRows] = weightsAt;
      values[listedRows] = 0;
    }
    this.dense(0, this.rowBytes, this.startsAt, this.valuesAt, listedRows);
    for (let k = 0; k < classes; k++) acc[k]! += acc32[k]!;
  }
}
