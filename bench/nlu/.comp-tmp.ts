import { readFileSync } from 'node:fs';
import { normalise, parseJsonl, trainIntentModel } from '@zhike/nlu';
import { createFeaturiser } from '../../packages/nlu/src/features/index.ts';
import { createTokeniser, createWordDictionary } from '../../packages/nlu/src/tokenise/index.ts';

const ds = process.argv[2] ?? 'smp2017-ecdt';
const load = (p: string) => parseJsonl(readFileSync(p, 'utf8'), p);
const model = trainIntentModel(load(`/work/shared/datasets/${ds}/train.jsonl`));
const j = model.toJSON();
const tok = createTokeniser({ dictionary: createWordDictionary(j.dictionary ?? []) });
const feat = createFeaturiser(j.featuriser);
const texts = load(`/work/shared/datasets/${ds}/test.jsonl`).map((e) => e.text);
const norm = texts.map((t) => normalise(t));
const words = norm.map((t) => tok.words(t));
let h = 0;
for (let i = 0; i < texts.length; i++) h += feat.hashes(norm[i]!, words[i]!).length;
console.log(
  'avg hashes',
  h / texts.length,
  'avg words',
  words.reduce((s, w) => s + w.length, 0) / texts.length,
  'avg len',
  norm.reduce((s, t) => s + t.length, 0) / texts.length,
);
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
const r: Record<string, number[]> = { classify: [], scores: [], normalise: [], words: [], hashes: [] };
for (let k = 0; k < 7; k++) {
  r.classify!.push(ns((i) => model.classify(texts[i]!)));
  r.scores!.push(ns((i) => model.scores(texts[i]!)));
  r.normalise!.push(ns((i) => normalise(texts[i]!)));
  r.words!.push(ns((i) => tok.words(norm[i]!)));
  r.hashes!.push(ns((i) => feat.hashes(norm[i]!, words[i]!)));
}
for (const [k, v] of Object.entries(r))
  console.log(k.padEnd(10), 'ns/msg median', v.sort((a, b) => a - b)[3]);
