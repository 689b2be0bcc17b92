// One-vs-rest L2-regularised squared-hinge SVM trained by dual coordinate descent with shrinking
// (Hsieh et al. 2008, the liblinear solver). Fast on sparse, L2-normalised text features.

/** Sparse rows in CSR form; `cols` index dense feature rows, `values` are final feature values. */
export interface SparseMatrix {
  rows: number;
  cols: number;
  rowPtr: Int32Array;
  colIdx: Int32Array;
  values: Float32Array;
}

export interface SvmOptions {
  /** Inverse regularisation strength. */
  c: number;
  /** Scale C per class by n / (classes · n_class) for the positive side. */
  balanced: boolean;
  maxEpochs: number;
  tolerance: number;
  /** Constant bias feature value (liblinear's -B). */
  bias: number;
  seed: number;
}

export const DEFAULT_SVM_OPTIONS: SvmOptions = {
  c: 1,
  balanced: false,
  maxEpochs: 60,
  tolerance: 0.1,
  bias: 1,
  seed: 1,
};

export interface LinearWeights {
  /** Row-major [feature][class] so scoring walks one contiguous row per feature. */
  weights: Float32Array;
  bias: Float32Array;
  classes: number;
}

function makeRandom(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

/** `labels[i]` in 0..classes-1; rows with label -1 are negatives for every class (explicit oos). */
export function trainOneVsRest(
  x: SparseMatrix,
  labels: Int32Array,
  classes: number,
  options: Partial<SvmOptions> = {},
): LinearWeights {
  const opts = { ...DEFAULT_SVM_OPTIONS, ...options };
  const { rows, cols, rowPtr, colIdx, values } = x;
  const sqNorm = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let s = opts.bias * opts.bias;
    for (let p = rowPtr[i]!; p < rowPtr[i + 1]!; p++) s += values[p]! * values[p]!;
    sqNorm[i] = s;
  }
  const counts = new Int32Array(classes);
  for (let i = 0; i < rows; i++) if (labels[i]! >= 0) counts[labels[i]!]!++;

  const weights = new Float32Array(cols * classes);
  const biases = new Float32Array(classes);
  const w = new Float64Array(cols);
  const alpha = new Float64Array(rows);
  const y = new Int8Array(rows);
  const diag = new Float64Array(rows);
  const qd = new Float64Array(rows);
  const index = new Int32Array(rows);
  const random = makeRandom(opts.seed);

  for (let k = 0; k < classes; k++) {
    w.fill(0);
    alpha.fill(0);
    let wb = 0;
    const cPos = opts.balanced && counts[k]! > 0 ? (opts.c * rows) / (classes * counts[k]!) : opts.c;
    for (let i = 0; i < rows; i++) {
      y[i] = labels[i] === k ? 1 : -1;
      diag[i] = 0.5 / (y[i] === 1 ? cPos : opts.c);
      qd[i] = sqNorm[i]! + diag[i]!;
      index[i] = i;
    }
    let active = rows;
    let pgMaxOld = Number.POSITIVE_INFINITY;
    let pgMinOld = Number.NEGATIVE_INFINITY;
    for (let epoch = 0; epoch < opts.maxEpochs; epoch++) {
      for (let i = 0; i < active; i++) {
        const j = i + Math.floor(random() * (active - i));
        const t = index[i]!;
        index[i] = index[j]!;
        index[j] = t;
      }
      let pgMax = Number.NEGATIVE_INFINITY;
      let pgMin = Number.POSITIVE_INFINITY;
      for (let s = 0; s < active; s++) {
        const i = index[s]!;
        const yi = y[i]!;
        const start = rowPtr[i]!;
        const end = rowPtr[i + 1]!;
        let dot = wb * opts.bias;
        for (let p = start; p < end; p++) dot += w[colIdx[p]!]! * values[p]!;
        const a = alpha[i]!;
        const g = yi * dot - 1 + a * diag[i]!;
        let pg = 0;
        if (a === 0) {
          if (g > pgMaxOld) {
            active--;
            index[s] = index[active]!;
            index[active] = i;
            s--;
            continue;
          }
          if (g < 0) pg = g;
        } else pg = g;
        if (pg > pgMax) pgMax = pg;
        if (pg < pgMin) pgMin = pg;
        if (Math.abs(pg) > 1e-12) {
          const next = Math.max(a - g / qd[i]!, 0);
          const d = (next - a) * yi;
          alpha[i] = next;
          for (let p = start; p < end; p++) w[colIdx[p]!]! += d * values[p]!;
          wb += d * opts.bias;
        }
      }
      if (pgMax - pgMin <= opts.tolerance) {
        if (active === rows) break;
        active = rows;
        pgMaxOld = Number.POSITIVE_INFINITY;
        pgMinOld = Number.NEGATIVE_INFINITY;
        continue;
      }
      pgMaxOld = pgMax <= 0 ? Number.POSITIVE_INFINITY : pgMax;
      pgMinOld = pgMin >= 0 ? Number.NEGATIVE_INFINITY : pgMin;
    }
    void pgMinOld;
    for (let f = 0; f < cols; f++) weights[f * classes + k] = w[f]!;
    biases[k] = wb * opts.bias;
  }
  return { weights, bias: biases, classes };
}
