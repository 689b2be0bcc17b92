import { readFileSync } from 'node:fs';
import { normalise, parseJsonl, trainIntentModel } from '@zhike/nlu';
import { createFeatureBag, createFeaturiser } from '../../packages/nlu/src/features/index.ts';
import { createVocabulary } from '../../packages/nlu/src/intent/vocabulary.ts';
import { createTokeniser, createWordDictionary } from '../../packages/nlu/src/tokenise/index.ts';

const ds = process.argv[2] ?? 'smp2017-ecdt';
const load = (p: string) => parseJsonl(readFileSync(p, 'utf8'), p);
for (const prune of [0.02, 0.05]) {
  const model = trainIntentModel(load(`/work/shared/datasets/${ds}/train.jsonl`), { prune });
  const j = model.toJSON();
  const b = (t: string) => {
    const x = Buffer.from(t, 'base64');
    const c = new ArrayBuffer(x.length);
    new Uint8Array(c).set(x);
    return c;
  };
  const voc = createVocabulary(new Uint32Array(b(j.keys)));
  const rs = new Int32Array(b(j.rowStart!));
  const classes = j.labels.length + (j.hasOosClass ? 1 : 0);
  const tok = createTokeniser({ dictionary: createWordDictionary(j.dictionary ?? []) });
  const feat = createFeaturiser(j.featuriser);
  const bag = createFeatureBag();
  let found = 0,
    dense = 0,
    sparseNnz = 0,
    n = 0;
  for (const e of load(`/work/shared/datasets/${ds}/test.jsonl`)) {
    const t = normalise(e.text);
    feat.extract(t, tok.words(t), bag);
    n++;
    for (let i = 0; i < bag.length; i++) {
      const r = voc.lookup(bag.keys[i]!);
      if (r < 0) continue;
      found++;
      const l = rs[r + 1]! - rs[r]!;
      if (l === classes) dense++;
      else sparseNnz += l;
    }
  }
  console.log(
    ds,
    'prune',
    prune,
    'unique found/msg',
    (found / n).toFixed(1),
    'dense/msg',
    (dense / n).toFixed(1),
    'sparse nnz/msg',
    (sparseNnz / n).toFixed(1),
    'dense rows',
    [...Array(rs.length - 1).keys()].filter((r) => rs[r + 1]! - rs[r]! === classes).length,
  );
}
