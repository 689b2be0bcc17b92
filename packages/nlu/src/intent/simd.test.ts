import { describe, expect, it } from 'vitest';
import { createDenseKernel } from './simd.ts';

describe('createDenseKernel', () => {
  it('adds value × row for each listed row, for class counts that are not multiples of four', () => {
    for (const classes of [1, 4, 7, 31, 77]) {
      const rows = 9;
      let seed = classes;
      const random = () => {
        seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
        return seed / 2 ** 32 - 0.5;
      };
      const weights = Float32Array.from({ length: rows * classes }, random);
      const kernel = createDenseKernel(weights, rows, classes);
      // Node 20 has WebAssembly SIMD; a runtime without it would score in JS instead.
      expect(kernel).not.toBeNull();
      if (kernel === null) return;
      // Five rows (one repeated): a group of four and one padded with rows of value 0.
      const picked = [3, 0, 8, 3, 5];
      const values = picked.map(() => random() * 4);
      picked.forEach((row, d) => {
        kernel.starts[d] = kernel.rowOffset(row);
        kernel.values[d] = values[d]!;
      });
      const acc = Float64Array.from({ length: classes }, random);
      const expected = Array.from(acc, (a, k) =>
        picked.reduce((s, row, d) => s + Math.fround(values[d]!) * weights[row * classes + k]!, a),
      );
      kernel.accumulate(picked.length, acc);
      for (let k = 0; k < classes; k++) expect(acc[k]).toBeCloseTo(expected[k]!, 5);
      // Nothing listed adds nothing (the accumulator in WebAssembly memory starts from zero each call).
      const before = Array.from(acc);
      kernel.accumulate(0, acc);
      expect(Array.from(acc)).toEqual(before);
    }
  });
});
