import { readFileSync } from 'node:fs';
import { parseJsonl, trainIntentModel } from '@zhike/nlu';
import { createFeaturiser } from '../../packages/nlu/src/features/index.ts';
import { createScorer } from '../../packages/nlu/src/intent/.scoring-exp.ts';
import { createVocabulary } from '../../packages/nlu/src/intent/vocabulary.ts';
import { createTokeniser, createWordDictionary } from '../../packages/nlu/src/tokenise/index.ts';

const ds = process.argv[2] ?? 'smp2017-ecdt';
const load = (p: string) => parseJsonl(readFileSync(p, 'utf8'), p);
const model = trainIntentModel(load(`/work/shared/datasets/${ds}/train.jsonl`));
const j = model.toJSON();
const b = (t: string) => {
  const x = Buffer.from(t, 'base64');
  const c = new ArrayBuffer(x.length);
  new Uint8Array(c).set(x);
  return c;
};
const dictionary = createWordDictionary(j.dictionary ?? []);
const encoder = {
  featuriser: createFeaturiser(j.featuriser),
  tokeniser: createTokeniser({ dictionary }),
  vocabulary: createVocabulary(new Uint32Array(b(j.keys))),
  idf: new Float32Array(b(j.idf)),
  familyWeights: Float64Array.from(j.familyWeights),
};
const weights = {
  rowStart: new Int32Array(b(j.rowStart!)),
  classIndex: new Uint16Array(b(j.classIndex!)),
  values: new Float32Array(b(j.values!)),
};
const classes = j.labels.length + (j.hasOosClass ? 1 : 0);
const texts = load(`/work/shared/datasets/${ds}/test.jsonl`).map((e) => e.text);
const out = new Float32Array(classes);
function ns(f: (i: number) => unknown) {
  const u0 = process.cpuUsage();
  const start = performance.now();
  let done = 0;
  do {
    for (let i = 0; i < texts.length; i++) f(i);
    done += texts.length;
  } while (performance.now() - start < 300);
  const u = process.cpuUsage(u0);
  return Math.round(((u.user + u.system) * 1000) / done);
}
const scorers = [0, 1, 2, 3, 4].map((st) =>
  createScorer(st, encoder, weights, new Float32Array(b(j.bias)), classes),
);
const r: number[][] = [[], [], [], [], [], []];
for (let k = 0; k < 7; k++) {
  scorers.forEach((sc, i) => r[i]!.push(ns((t) => sc(texts[t]!, out))));
  r[5]!.push(ns((t) => model.classify(texts[t]!)));
}
r.forEach((v, i) => console.log('stage', i, v.sort((a, b) => a - b)[3]));
