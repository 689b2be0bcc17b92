// TF-IDF encoding shared by training and classification: normalised text → hashed features →
// vocabulary rows with sublinear tf × idf, L2-normalised per feature family and scaled by its weight.
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

/**
 * Per-model classification scratch. Feature repeats are counted in a dense per-row array (reset
 * through the touched list) instead of sorting the keys, so encoding is linear in message length.
 */
export function createEncodeState(vocabularySize: number) {
  return {
    counts: new Float32Array(vocabularySize),
    touched: new Int32Array(1024),
    values: new Float32Array(1024),
    length: 0,
  };
}
export type EncodeState = ReturnType<typeof createEncodeState>;

export function encodeText(encoder: Encoder, rowFamily: Uint8Array, text: string, state: EncodeState): void {
  const normalised = normalise(text);
  let keys: Uint32Array;
  if (encoder.featuriser.options.tags) {
    const { words, tags } = encoder.tokeniser.tagged(normalised);
    keys = encoder.featuriser.hashes(normalised, words, tags);
  } else keys = encoder.featuriser.hashes(normalised, encoder.tokeniser.words(normalised));
  if (state.touched.length < keys.length) {
    state.touched = new Int32Array(keys.length * 2);
    state.values = new Float32Array(keys.length * 2);
  }
  const { counts, touched, values } = state;
  const vocabulary = encoder.vocabulary;
  let n = 0;
  for (let i = 0; i < keys.length; i++) {
    const row = vocabulary.lookup(keys[i]!);
    if (row < 0) continue;
    if (counts[row] === 0) touched[n++] = row;
    counts[row]! += 1;
  }
  familyNorms.fill(0);
  const idf = encoder.idf;
  for (let i = 0; i < n; i++) {
    const row = touched[i]!;
    const count = counts[row]!;
    const v = (count === 1 ? 1 : 1 + Math.log(count)) * idf[row]!;
    counts[row] = 0;
    values[i] = v;
    familyNorms[rowFamily[row]!]! += v * v;
  }
  for (let f = 0; f < FAMILY_COUNT; f++) {
    const norm = familyNorms[f]!;
    familyNorms[f] = norm > 0 ? encoder.familyWeights[f]! / Math.sqrt(norm) : 0;
  }
  for (let i = 0; i < n; i++) values[i] = values[i]! * familyNorms[rowFamily[touched[i]!]!]!;
  state.length = n;
}
