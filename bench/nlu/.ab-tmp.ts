import { readFileSync } from 'node:fs';
import { parseJsonl, trainIntentModel } from '@zhike/nlu';
import { trainIntentModel as trainOld } from './.old/packages/nlu/src/intent/model.ts';

const ds = process.argv[2] ?? 'smp2017-ecdt';
const opts = JSON.parse(process.argv[3] ?? '{}');
const load = (p: string) => parseJsonl(readFileSync(p, 'utf8'), p);
const train = load(`/work/shared/datasets/${ds}/train.jsonl`);
const test = load(`/work/shared/datasets/${ds}/test.jsonl`);
const texts = test.map((e) => e.text);
const a = trainOld(train);
const b = trainIntentModel(train, opts);
const acc = (m: { classify(t: string): { ranking: { intent: string }[] } }) =>
  test.filter((e) => m.classify(e.text).ranking[0]?.intent === e.label).length / test.length;
console.log('acc old', acc(a).toFixed(4), 'new', acc(b).toFixed(4));
function rate(m: { classify(t: string): unknown }) {
  const u0 = process.cpuUsage();
  const start = performance.now();
  let done = 0;
  do {
    for (const t of texts) m.classify(t);
    done += texts.length;
  } while (performance.now() - start < 300);
  const u = process.cpuUsage(u0);
  return (done * 1e6) / (u.user + u.system);
}
const ratios: number[] = [];
const ra: number[] = [];
const rb: number[] = [];
for (let r = 0; r < 11; r++) {
  const x = rate(a);
  const y = rate(b);
  ra.push(x);
  rb.push(y);
  ratios.push(y / x);
}
const med = (v: number[]) => [...v].sort((p, q) => p - q)[Math.floor(v.length / 2)]!;
console.log(
  ds,
  'old',
  Math.round(med(ra)),
  'new',
  Math.round(med(rb)),
  'speedup median',
  med(ratios).toFixed(3),
);
