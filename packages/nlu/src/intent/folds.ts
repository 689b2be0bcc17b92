// Cross-validation folds inside training: the out-of-fold scores that calibrate confidences and
// fit the out-of-scope threshold.
import { FAMILY_COUNT } from '../features/index.ts';
import type { Steps } from '../steps.ts';
import type { LinearWeights, SparseMatrix } from './svm.ts';

/** Rows of `x` selected by `pick`, as a new matrix. */
export function selectRows(x: SparseMatrix, pick: readonly number[]): SparseMatrix {
  let nnz = 0;
  for (const i of pick) nnz += x.rowPtr[i + 1]! - x.rowPtr[i]!;
  const rowPtr = new Int32Array(pick.length + 1);
  const colIdx = new Int32Array(nnz);
  const values = new Float32Array(nnz);
  let p = 0;
  pick.forEach((i, r) => {
    for (let q = x.rowPtr[i]!; q < x.rowPtr[i + 1]!; q++) {
      colIdx[p] = x.colIdx[q]!;
      values[p] = x.values[q]!;
      p++;
    }
    rowPtr[r + 1] = p;
  });
  return { rows: pick.length, cols: x.cols, rowPtr, colIdx, values };
}

/**
 * Scores of held-out rows as the fold model would score them as new messages: features no row of
 * its training part has are dropped and each family renormalised, since they would be missing from
 * that model's vocabulary. Keeping them (the shared matrix holds every example's features) diluted
 * the norms and lowered held-out margins, so an out-of-scope threshold fitted on them spent only
 * about half its in-scope budget on new messages (0.7 of 2 points on held-out smp2017-ecdt train
 * lines, 1.0 on banking77). `plain` gets the scores with every feature kept, which the softmax
 * temperature is still fitted on: the bot blends these probabilities with retrieval scores, and its
 * blend, calibrated on them, scored 1.4 points lower in its cross-validation with a temperature fitted
 * on the renormalised scores (bench/bot/calibrate.ts). As steps (see steps.ts): it may pause every
 * `ROWS_PER_STEP` rows.
 */
export function* scoreHeldOutSteps(
  x: SparseMatrix,
  rowsToScore: readonly number[],
  trainedOn: SparseMatrix,
  families: Uint8Array,
  familyWeights: Float64Array,
  model: LinearWeights,
  out: Float32Array,
  plain: Float32Array,
): Steps<void> {
  const { weights, bias, classes } = model;
  const known = new Uint8Array(x.cols);
  for (let p = 0; p < trainedOn.colIdx.length; p++) known[trainedOn.colIdx[p]!] = 1;
  const kept = new Float64Array(FAMILY_COUNT);
  const scale = new Float64Array(FAMILY_COUNT);
  for (const [n, i] of rowsToScore.entries()) {
    if ((n & (ROWS_PER_STEP - 1)) === ROWS_PER_STEP - 1) yield;
    kept.fill(0);
    for (let p = x.rowPtr[i]!; p < x.rowPtr[i + 1]!; p++) {
      const col = x.colIdx[p]!;
      if (known[col] === 1) kept[families[col]!]! += x.values[p]! * x.values[p]!;
    }
    // Each family's values have norm `familyWeights[f]`; the kept ones are scaled back up to it.
    for (let f = 0; f < FAMILY_COUNT; f++) {
      scale[f] = kept[f]! > 0 ? familyWeights[f]! / Math.sqrt(kept[f]!) : 0;
    }
    const base = i * classes;
    for (let k = 0; k < classes; k++) {
      out[base + k] = bias[k]!;
      plain[base + k] = bias[k]!;
    }
    for (let p = x.rowPtr[i]!; p < x.rowPtr[i + 1]!; p++) {
      const col = x.colIdx[p]!;
      if (known[col] !== 1) continue;
      const row = col * classes;
      const v = x.values[p]!;
      const renormalised = v * scale[families[col]!]!;
      for (let k = 0; k < classes; k++) {
        out[base + k]! += renormalised * weights[row + k]!;
        plain[base + k]! += v * weights[row + k]!;
      }
    }
  }
}

/** Stratified fold assignment, deterministic. */
export function assignFolds(labels: Int32Array, folds: number): Int32Array {
  const fold = new Int32Array(labels.length);
  const seen = new Map<number, number>();
  for (let i = 0; i < labels.length; i++) {
    const c = seen.get(labels[i]!) ?? 0;
    fold[i] = c % folds;
    seen.set(labels[i]!, c + 1);
  }
  return fold;
}

/** Held-out rows scored between two pauses (a power of two). */
const ROWS_PER_STEP = 256;
