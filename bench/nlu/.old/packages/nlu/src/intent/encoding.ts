// TF-IDF encoding of training examples: normalised text → hashed features → vocabulary rows with
// sublinear tf × idf, L2-normalised per feature family and scaled by its weight. Classification does
// the same arithmetic in one pass in `scoring.ts`; the model tests check both give equal scores.
import {
  createFeatureBag,
  FAMILY_COUNT,
  type FeatureBag,
  type Featuriser,
  familyOf,
} from '../features/index.ts';
import { normalise } from '../normalise/index.ts';
import type { Tokeniser } from '../tokenise/index.ts';
import type { Vocabulary } from './vocabulary.ts';

export interface Encoder {
  featuriser: Featuriser;
  tokeniser: Tokeniser;
  vocabulary: Vocabulary;
  idf: Float32Array;
  familyWeights: Float64Array;
}

export interface EncodeScratch {
  bag: FeatureBag;
  rows: Int32Array;
  values: Float32Array;
  length: number;
}

export function createScratch(): EncodeScratch {
  return { bag: createFeatureBag(), rows: new Int32Array(2048), values: new Float32Array(2048), length: 0 };
}

const familyNorms = new Float64Array(FAMILY_COUNT);

/** TF-IDF with sublinear tf, L2-normalised per feature family, then scaled by the family weight. */
export function encodeBag(encoder: Encoder, bag: FeatureBag, out: EncodeScratch): void {
  if (out.rows.length < bag.length) {
    out.rows = new Int32Array(bag.length * 2);
    out.values = new Float32Array(bag.length * 2);
  }
  familyNorms.fill(0);
  let n = 0;
  for (let i = 0; i < bag.length; i++) {
    const key = bag.keys[i]!;
    const row = encoder.vocabulary.lookup(key);
    if (row < 0) continue;
    const v = (1 + Math.log(bag.counts[i]!)) * encoder.idf[row]!;
    familyNorms[familyOf(key)]! += v * v;
    out.rows[n] = row;
    out.values[n] = v;
    n++;
  }
  for (let f = 0; f < FAMILY_COUNT; f++) {
    const norm = familyNorms[f]!;
    familyNorms[f] = norm > 0 ? encoder.familyWeights[f]! / Math.sqrt(norm) : 0;
  }
  for (let i = 0; i < n; i++) {
    out.values[i] = out.values[i]! * familyNorms[familyOf(encoder.vocabulary.keys[out.rows[i]!]!)]!;
  }
  out.length = n;
}

export function extract(
  encoder: Pick<Encoder, 'featuriser' | 'tokeniser'>,
  text: string,
  bag: FeatureBag,
): FeatureBag {
  const normalised = normalise(text);
  if (!encoder.featuriser.options.tags) {
    return encoder.featuriser.extract(normalised, encoder.tokeniser.words(normalised), bag);
  }
  const { words, tags } = encoder.tokeniser.tagged(normalised);
  return encoder.featuriser.extract(normalised, words, bag, tags);
}
