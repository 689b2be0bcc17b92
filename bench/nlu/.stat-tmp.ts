import { readFileSync } from 'node:fs';
import { parseJsonl, trainIntentModel } from '@zhike/nlu';

const ds = process.argv[2] ?? 'smp2017-ecdt';
const load = (p: string) => parseJsonl(readFileSync(p, 'utf8'), p);
const model = trainIntentModel(load(`/work/shared/datasets/${ds}/train.jsonl`));
const j = model.toJSON();
const rs = new Int32Array(Buffer.from(j.rowStart!, 'base64').buffer.slice(0));
const classes = j.labels.length + (j.hasOosClass ? 1 : 0);
let dense = 0,
  sparse = 0,
  sparseNnz = 0;
for (let r = 0; r + 1 < rs.length; r++) {
  const l = rs[r + 1]! - rs[r]!;
  if (l === classes) dense++;
  else {
    sparse++;
    sparseNnz += l;
  }
}
console.log({ rows: rs.length - 1, dense, sparse, avgSparse: sparseNnz / sparse, classes });
