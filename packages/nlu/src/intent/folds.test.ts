import { describe, expect, it } from 'vitest';
import { runSteps } from '../steps.ts';
import { assignFolds, scoreHeldOutSteps, selectRows } from './folds.ts';
import type { SparseMatrix } from './svm.ts';

// Two families (char = key family 0, word = 1): row 0 is the training row, row 1 is held out and
// has one feature (column 2) the training row lacks.
const x: SparseMatrix = {
  rows: 2,
  cols: 3,
  rowPtr: Int32Array.from([0, 2, 5]),
  colIdx: Int32Array.from([0, 1, 0, 1, 2]),
  values: Float32Array.from([0.6, 0.8, 0.6, 0.48, 0.64]),
};
const families = Uint8Array.from([0, 1, 1]);

describe('scoreHeldOutSteps', () => {
  it('drops features the fold never trained on and renormalises their family', () => {
    const weights = Float32Array.from([1, 10, 100]);
    const out = new Float32Array(2);
    const plain = new Float32Array(2);
    runSteps(
      scoreHeldOutSteps(
        x,
        [1],
        selectRows(x, [0]),
        families,
        Float64Array.from([1, 0.8]),
        {
          weights,
          bias: Float32Array.from([0.5]),
          classes: 1,
        },
        out,
        plain,
      ),
    );
    // Char family: 0.6 alone has norm 0.6 → scaled to weight 1 → 1. Word family: column 1 alone,
    // 0.48 → scaled to weight 0.8 → 0.8 × 10 = 8. Column 2 (weight 100) is ignored.
    expect(out[1]).toBeCloseTo(0.5 + 1 + 8, 5);
    expect(out[0]).toBe(0);
    // Plain: every known feature at its stored value, the unknown one still dropped.
    expect(plain[1]).toBeCloseTo(0.5 + 0.6 + 0.48 * 10, 5);
  });
});

describe('assignFolds', () => {
  it('spreads every label over the folds', () => {
    const fold = assignFolds(Int32Array.from([0, 0, 0, 1, 1, 1]), 3);
    expect([...fold]).toEqual([0, 1, 2, 0, 1, 2]);
  });
});
