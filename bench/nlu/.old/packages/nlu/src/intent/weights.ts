// Sparse storage of trained class weights, which is what classification walks.

/**
 * Class weights stored sparse by feature row: most (feature, class) weights of a one-vs-rest SVM on
 * text are zero or negligible, and walking only the rest is what makes scoring 77 classes cheap.
 */
export interface SparseWeights {
  rowStart: Int32Array;
  classIndex: Uint16Array;
  values: Float32Array;
}

/**
 * Keep weights with |w| ≥ `prune` × (largest |w| of the same class). `prune` 0 keeps every non-zero.
 */
export function sparsify(weights: Float32Array, rows: number, classes: number, prune: number): SparseWeights {
  const limit = new Float32Array(classes);
  const size = (i: number): number => Math.abs(weights[i]!);
  if (prune > 0) {
    for (let i = 0; i < weights.length; i++) {
      const c = i % classes;
      const a = size(i);
      if (a > limit[c]!) limit[c] = a;
    }
    for (let c = 0; c < classes; c++) limit[c] = limit[c]! * prune;
  }
  const keep = (i: number): boolean => {
    const a = size(i);
    return weights[i] !== 0 && a >= limit[i % classes]!;
  };
  // Rows that keep most classes are stored whole (zeros included): scoring walks them without the
  // class index, which is faster, and they are the frequent features every message touches.
  const rowLength = new Int32Array(rows);
  let nnz = 0;
  for (let r = 0; r < rows; r++) {
    let kept = 0;
    for (let c = 0; c < classes; c++) if (keep(r * classes + c)) kept++;
    rowLength[r] = kept * 2 >= classes ? classes : kept;
    nnz += rowLength[r]!;
  }
  const rowStart = new Int32Array(rows + 1);
  const classIndex = new Uint16Array(nnz);
  const values = new Float32Array(nnz);
  let p = 0;
  for (let r = 0; r < rows; r++) {
    const base = r * classes;
    const dense = rowLength[r] === classes;
    for (let c = 0; c < classes; c++) {
      if (!dense && !keep(base + c)) continue;
      classIndex[p] = c;
      values[p] = keep(base + c) ? weights[base + c]! : 0;
      p++;
    }
    rowStart[r + 1] = p;
  }
  return { rowStart, classIndex, values };
}
