// k-fold cross-validation on a TRAIN file, for choosing options without touching test data:
//   npx tsx bench/nlu/cv.ts <dataset> ['<TrainIntentOptions as JSON>' …]
// Prints top-1 accuracy (mean over 5 stratified folds) per options set.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseJsonl, type TrainIntentOptions, trainIntentModel } from '@zhike/nlu';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const datasets = process.env.ZHIKE_DATASETS ?? `${repoRoot}../shared/datasets`;
const FOLDS = 5;
const [name = 'smp2017-ecdt', ...variants] = process.argv.slice(2);
const path = `${datasets}/${name}/train.jsonl`;
const train = parseJsonl(readFileSync(path, 'utf8'), path);
const seen = new Map<string, number>();
const fold = train.map((e) => {
  const c = seen.get(e.label) ?? 0;
  seen.set(e.label, c + 1);
  return c % FOLDS;
});
for (const variant of variants.length > 0 ? variants : ['{}']) {
  const options = JSON.parse(variant) as TrainIntentOptions;
  let correct = 0;
  const start = performance.now();
  for (let f = 0; f < FOLDS; f++) {
    const model = trainIntentModel(
      train.filter((_, i) => fold[i] !== f),
      { calibrationFolds: 0, ...options },
    );
    train.forEach((e, i) => {
      if (fold[i] === f && model.classify(e.text).ranking[0]?.intent === e.label) correct++;
    });
  }
  const seconds = ((performance.now() - start) / 1000).toFixed(1);
  process.stdout.write(
    `${name} ${variant}: ${((correct / train.length) * 100).toFixed(2)} % (${seconds} s)\n`,
  );
}
