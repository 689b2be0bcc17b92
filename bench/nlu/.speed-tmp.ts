import { readFileSync } from 'node:fs';
import { normalise, parseJsonl, trainIntentModel } from '@zhike/nlu';

const ds = process.argv[2] ?? 'smp2017-ecdt';
const load = (p: string) => parseJsonl(readFileSync(p, 'utf8'), p);
const train = load(`/work/shared/datasets/${ds}/train.jsonl`);
const test = load(`/work/shared/datasets/${ds}/test.jsonl`);
const model = trainIntentModel(train);
const texts = test.map((e) => e.text);
let c = 0;
for (const e of test) if (model.classify(e.text).ranking[0]?.intent === e.label) c++;
console.log('acc', ((c / test.length) * 100).toFixed(2));
function rate(f: (t: string) => unknown) {
  const u0 = process.cpuUsage();
  const start = performance.now();
  let done = 0;
  do {
    for (const t of texts) f(t);
    done += texts.length;
  } while (performance.now() - start < 400);
  const u = process.cpuUsage(u0);
  return Math.round((done * 1e6) / (u.user + u.system));
}
const rounds: number[][] = [];
for (let r = 0; r < 7; r++)
  rounds.push([rate((t) => model.classify(t)), rate((t) => model.scores(t)), rate((t) => normalise(t))]);
const med = (i: number) => rounds.map((r) => r[i]!).sort((a, b) => a - b)[3];
console.log(ds, 'cpu-time rates: classify', med(0), 'scores', med(1), 'normalise', med(2));
