import { readFileSync } from 'node:fs';
import { parseJsonl, trainIntentModel } from '@zhike/nlu';

const load = (p: string) => parseJsonl(readFileSync(p, 'utf8'), p);
const train = load(`/work/shared/datasets/smp2017-ecdt/train.jsonl`);
const seen = new Map<string, number>();
const fold = train.map((e) => {
  const c = seen.get(e.label) ?? 0;
  seen.set(e.label, c + 1);
  return c % 5;
});
const pairs = new Map<string, string[]>();
for (let f = 0; f < 5; f++) {
  const m = trainIntentModel(
    train.filter((_, i) => fold[i] !== f),
    { calibrationFolds: 0, svm: { balanced: false } },
  );
  train.forEach((e, i) => {
    if (fold[i] !== f) return;
    const p = m.classify(e.text).ranking[0]!.intent;
    if (p !== e.label) {
      const k = `${e.label}->${p}`;
      pairs.set(k, [...(pairs.get(k) ?? []), e.text]);
    }
  });
}
for (const [k, v] of [...pairs].sort((a, b) => b[1].length - a[1].length).slice(0, 25))
  console.log(v.length, k, v.slice(0, 6).join(' | '));
const counts = new Map<string, number>();
for (const e of train) counts.set(e.label, (counts.get(e.label) ?? 0) + 1);
console.log(
  [...counts]
    .sort((a, b) => b[1] - a[1])
    .map(([l, c]) => `${l}:${c}`)
    .join(' '),
);
