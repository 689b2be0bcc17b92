import { readFileSync } from 'node:fs';
import { parseJsonl, trainIntentModel } from '@zhike/nlu';

const ds = process.argv[2] ?? 'smp2017-ecdt';
const load = (p: string) => parseJsonl(readFileSync(p, 'utf8'), p);
const model = trainIntentModel(load(`/work/shared/datasets/${ds}/train.jsonl`));
const texts = load(`/work/shared/datasets/${ds}/test.jsonl`).map((e) => e.text);
const start = performance.now();
while (performance.now() - start < 4000) for (const t of texts) model.classify(t);
