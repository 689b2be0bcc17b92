import { describe, expect, it } from 'vitest';
import { createFeatureBag, createFeaturiser } from '../features/index.ts';
import { createTokeniser, createWordDictionary } from '../tokenise/index.ts';
import { expNonPositive } from './calibration.ts';
import { createScratch, type Encoder, encodeBag, extract } from './encoding.ts';
import { createScorer } from './scoring.ts';
import { createVocabulary } from './vocabulary.ts';
import { sparsify } from './weights.ts';

describe('createScorer', () => {
  const dictionary = () => createWordDictionary(['退款', '快递', '查一下']);

  /** Random weights over the features of `texts`; both scorers must give the reference scores. */
  function expectReferenceScores(texts: readonly string[]): void {
    const tokeniser = createTokeniser({ dictionary: dictionary() });
    const featuriser = createFeaturiser();
    const keys = new Set<number>();
    const bag = createFeatureBag();
    for (const t of texts) {
      extract({ featuriser, tokeniser }, t, bag);
      for (let i = 0; i < bag.length; i++) keys.add(bag.keys[i]!);
    }
    const vocabulary = createVocabulary(Uint32Array.from(keys));
    const rows = vocabulary.size;
    const classes = 9;
    let seed = 7;
    const random = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32 - 0.5;
    };
    // Some rows dense, some sparse, some empty, so every scoring path runs.
    const dense = Float32Array.from({ length: rows * classes }, (_, i) =>
      Math.floor(i / classes) % 3 === 0 || i % 4 === 0 ? random() : 0,
    );
    const bias = Float32Array.from({ length: classes }, random);
    const encoder: Encoder = {
      featuriser,
      tokeniser,
      vocabulary,
      idf: Float32Array.from({ length: rows }, () => 1 + Math.abs(random())),
      familyWeights: Float64Array.from([1, 0.8, 0.5, 0.3]),
    };
    const weights = sparsify(dense, rows, classes, 0);
    // WebAssembly where SIMD is available (Node 20 has it), and the JS fallback.
    const wasm = createScorer(encoder, weights, bias, classes);
    const plain = createScorer(encoder, weights, bias, classes, false);
    const scratch = createScratch();
    const out = new Float32Array(classes);
    for (const t of texts) {
      encodeBag(encoder, extract(encoder, t, bag), scratch);
      const expected = Array.from(bias, (b, k) => {
        let s = b;
        for (let i = 0; i < scratch.length; i++)
          s += scratch.values[i]! * dense[scratch.rows[i]! * classes + k]!;
        return s;
      });
      for (const scorer of [wasm, plain]) {
        scorer.score(t, out);
        for (let k = 0; k < classes; k++) expect(out[k], t.slice(0, 20)).toBeCloseTo(expected[k]!, 4);
      }
    }
  }

  it('scores exactly like the training encoding times the weights', () => {
    expectReferenceScores([
      '我想退款退款',
      '快递到哪了?',
      'where is my card',
      "I can't top up my card card",
      '查一下 order 123',
    ]);
  });

  it('scores a message with more features than its first work areas hold, and short ones after it', () => {
    // WebAssembly's work areas start at 512 hashes and move to a grown memory for a longer message.
    const long = `${'card top up refund '.repeat(60)}${'退款快递查一下'.repeat(40)}`;
    const texts = ['where is my card', long, '我想退款', long.slice(0, 700), 'top up'];
    expectReferenceScores([...texts, ...texts]);
  });
});

describe('expNonPositive', () => {
  it('matches Math.exp within 2e-7 relative error and underflows to 0', () => {
    for (let x = 0; x > -700; x -= 0.37) {
      const expected = Math.exp(x);
      expect(Math.abs(expNonPositive(x) - expected) / expected).toBeLessThan(2e-7);
    }
    expect(expNonPositive(0)).toBe(1);
    expect(expNonPositive(-1e6)).toBe(0);
  });
});
