import { readFileSync } from 'node:fs';
import { parseJsonl, trainIntentModel } from '@zhike/nlu';
for (const ds of ['smp2017-ecdt', 'banking77']) {
  const load = (p: string) => parseJsonl(readFileSync(p, 'utf8'), p);
  const m = trainIntentModel(load(`/work/shared/datasets/${ds}/train.jsonl`));
  let far = 0, tot = 0;
  for (const e of load(`/work/shared/datasets/${ds}/test.jsonl`).slice(0, 300)) { const s = m.scores(e.text); const max = Math.max(...s); for (const x of s) { tot++; if ((x - max) / m.temperature < -20) far++; } }
  console.log(ds, 'T', m.temperature, 'fraction below -20T', (far / tot).toFixed(3));
}
