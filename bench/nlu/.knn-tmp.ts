import { readFileSync } from 'node:fs';
import { normalise, parseJsonl, trainIntentModel } from '@zhike/nlu';
import { createFeatureBag, createFeaturiser } from '../../packages/nlu/src/features/index.ts';
import { createScratch, encodeBag, extract } from '../../packages/nlu/src/intent/encoding.ts';
import { createVocabulary } from '../../packages/nlu/src/intent/vocabulary.ts';
import { createTokeniser, createWordDictionary } from '../../packages/nlu/src/tokenise/index.ts';

const load = (p: string) => parseJsonl(readFileSync(p, 'utf8'), p);
const train = load(`/work/shared/datasets/${process.argv[2] ?? 'smp2017-ecdt'}/train.jsonl`);
const seen = new Map<string, number>();
const fold = train.map((e) => {
  const c = seen.get(e.label) ?? 0;
  seen.set(e.label, c + 1);
  return c % 5;
});
const lambdas = [0, 0.25, 0.5, 1, 2];
const ks = [1, 3, 5, 10];
const correct = new Map<string, number>();
for (let f = 0; f < 5; f++) {
  const tr = train.filter((_, i) => fold[i] !== f);
  const te = train.filter((_, i) => fold[i] === f);
  const model = trainIntentModel(tr, { calibrationFolds: 0, svm: { balanced: false } });
  const labels = model.labels;
  const li = new Map(labels.map((l, i) => [l, i]));
  const jieba = createTokeniser();
  const words = new Set<string>();
  for (const e of tr)
    for (const w of jieba.words(normalise(e.text))) if (w.charCodeAt(0) >= 0x3400) words.add(w);
  const tokeniser = createTokeniser({ dictionary: createWordDictionary([...words].sort()) });
  const featuriser = createFeaturiser();
  const bag = createFeatureBag();
  const bags = tr.map((e) => {
    extract({ featuriser, tokeniser }, e.text, bag);
    return {
      keys: bag.keys.slice(0, bag.length),
      counts: bag.counts.slice(0, bag.length),
      length: bag.length,
    };
  });
  const df = new Map<number, number>();
  for (const b of bags) for (const k of b.keys) df.set(k, (df.get(k) ?? 0) + 1);
  const keys = Uint32Array.from(df.keys());
  const vocabulary = createVocabulary(keys);
  const idf = Float32Array.from(keys, (k) => Math.log((1 + tr.length) / (1 + df.get(k)!)) + 1);
  const encoder = {
    featuriser,
    tokeniser,
    vocabulary,
    idf,
    familyWeights: Float64Array.from([1, 0.8, 0.5, 0.3]),
  };
  const scratch = createScratch();
  const enc = (b: { keys: Uint32Array; counts: Float32Array; length: number }) => {
    encodeBag(encoder, b, scratch);
    const m = new Map<number, number>();
    let n = 0;
    for (let i = 0; i < scratch.length; i++) n += scratch.values[i]! ** 2;
    for (let i = 0; i < scratch.length; i++) m.set(scratch.rows[i]!, scratch.values[i]! / Math.sqrt(n));
    return m;
  };
  const trVecs = bags.map(enc);
  const trY = tr.map((e) => li.get(e.label)!);
  for (const e of te) {
    extract({ featuriser, tokeniser }, e.text, bag);
    const q = enc(bag);
    const sims = trVecs.map((v) => {
      let s = 0;
      for (const [r, x] of q) {
        const y = v.get(r);
        if (y) s += x * y;
      }
      return s;
    });
    const order = sims.map((_, i) => i).sort((a, b) => sims[b]! - sims[a]!);
    const sc = model.scores(e.text);
    for (const k of ks) {
      const kn = new Float64Array(labels.length);
      for (let j = 0; j < k; j++) kn[trY[order[j]!]!]! += sims[order[j]!]!;
      for (const lam of lambdas) {
        let best = 0;
        let bv = -Infinity;
        for (let c = 0; c < labels.length; c++) {
          const v = sc[c]! + lam * kn[c]!;
          if (v > bv) {
            bv = v;
            best = c;
          }
        }
        const key = `k=${k} lam=${lam}`;
        if (labels[best] === e.label) correct.set(key, (correct.get(key) ?? 0) + 1);
      }
    }
  }
}
for (const [k, c] of correct) console.log(k, ((c / train.length) * 100).toFixed(2));
