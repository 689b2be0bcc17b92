// Nearest training examples by cosine similarity over the same TF-IDF vectors the SVM sees.
// A linear model draws one boundary per intent; close paraphrases of a training line are often
// better answered by that line's label, and the best similarity is a strong out-of-scope signal.
import type { SparseMatrix } from './svm.ts';

export interface NeighbourIndex {
  /** Inverted index: feature row → examples containing it, with their feature values. */
  postingStart: Int32Array;
  postingExample: Int32Array;
  postingValue: Float32Array;
  /** Class of each example; values ≥ the number of intents are explicit out-of-scope examples. */
  exampleClass: Int32Array;
  /** Feature rows whose posting list is longer than this are skipped (they say little, cost most). */
  maxPosting: number;
}

/** Index rows of `x` (already L2-normalised per family) by feature. */
export function buildNeighbourIndex(
  x: SparseMatrix,
  classOf: Int32Array,
  maxPosting: number,
): NeighbourIndex {
  const postingStart = new Int32Array(x.cols + 1);
  for (let p = 0; p < x.rowPtr[x.rows]!; p++) postingStart[x.colIdx[p]! + 1]!++;
  for (let c = 0; c < x.cols; c++) postingStart[c + 1]! += postingStart[c]!;
  const fill = postingStart.slice(0, x.cols);
  const postingExample = new Int32Array(x.rowPtr[x.rows]!);
  const postingValue = new Float32Array(x.rowPtr[x.rows]!);
  for (let i = 0; i < x.rows; i++) {
    for (let p = x.rowPtr[i]!; p < x.rowPtr[i + 1]!; p++) {
      const at = fill[x.colIdx[p]!]!++;
      postingExample[at] = i;
      postingValue[at] = x.values[p]!;
    }
  }
  return { postingStart, postingExample, postingValue, exampleClass: classOf.slice(), maxPosting };
}

export interface NeighbourScratch {
  similarity: Float32Array;
  touched: Int32Array;
  top: Int32Array;
}

export function createNeighbourScratch(index: NeighbourIndex, k: number): NeighbourScratch {
  const examples = index.exampleClass.length;
  return {
    similarity: new Float32Array(examples),
    touched: new Int32Array(examples),
    top: new Int32Array(k),
  };
}

/**
 * Add `weight` × (similarity-weighted vote of the `k` nearest examples) to `out[class]`; returns the
 * best similarity (0 when nothing is shared). Skipped high-frequency features make similarities
 * slightly low for every example alike, which keeps the ranking.
 */
export function scoreNeighbours(
  index: NeighbourIndex,
  scratch: NeighbourScratch,
  rows: Int32Array,
  values: Float32Array,
  length: number,
  k: number,
  weight: number,
  out: Float32Array | Float64Array,
): number {
  const { postingStart, postingExample, postingValue, exampleClass, maxPosting } = index;
  const { similarity, touched, top } = scratch;
  let n = 0;
  for (let i = 0; i < length; i++) {
    const row = rows[i]!;
    const start = postingStart[row]!;
    const end = postingStart[row + 1]!;
    if (end - start > maxPosting) continue;
    const v = values[i]!;
    for (let p = start; p < end; p++) {
      const e = postingExample[p]!;
      if (similarity[e] === 0) touched[n++] = e;
      similarity[e]! += v * postingValue[p]!;
    }
  }
  // Partial selection of the k most similar examples (k is small).
  let size = 0;
  for (let i = 0; i < n; i++) {
    const e = touched[i]!;
    const s = similarity[e]!;
    if (size < k) {
      let j = size++;
      while (j > 0 && similarity[top[j - 1]!]! < s) {
        top[j] = top[j - 1]!;
        j--;
      }
      top[j] = e;
    } else if (s > similarity[top[k - 1]!]!) {
      let j = k - 1;
      while (j > 0 && similarity[top[j - 1]!]! < s) {
        top[j] = top[j - 1]!;
        j--;
      }
      top[j] = e;
    }
  }
  const best = size > 0 ? similarity[top[0]!]! : 0;
  for (let j = 0; j < size; j++) {
    const e = top[j]!;
    out[exampleClass[e]!]! += weight * similarity[e]!;
  }
  for (let i = 0; i < n; i++) similarity[touched[i]!] = 0;
  return best;
}
