// k-fold cross-validation on a TRAIN file, for choosing options without touching test data:
//   npx tsx bench/nlu/cv.ts <dataset> [--repeats=N] ['<TrainIntentOptions as JSON>' …]
// Prints top-1 accuracy (mean over 5 stratified folds) per options set. With --repeats=N the folds are
// drawn N times (the first in file order, the others after a seeded shuffle) and the mean and each
// draw's accuracy are printed: one draw of smp2017-ecdt's folds moves by ±0.3 point on its own.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseJsonl, type TrainIntentOptions, trainIntentModel } from '@zhike/nlu';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const datasets = process.env.ZHIKE_DATASETS ?? `${repoRoot}../shared/datasets`;
const FOLDS = 5;
const args = process.argv.slice(2);
const repeatsArg = args.find((a) => a.startsWith('--repeats='));
const repeats = repeatsArg === undefined ? 1 : Math.max(1, Number(repeatsArg.slice('--repeats='.length)));
const [name = 'smp2017-ecdt', ...variants] = args.filter((a) => a !== repeatsArg);
const path = `${datasets}/${name}/train.jsonl`;
const train = parseJsonl(readFileSync(path, 'utf8'), path);

/** Stratified folds over the lines in `order`: each label's lines go to folds 0, 1, … in turn. */
function foldsFor(order: readonly number[]): Int32Array {
  const fold = new Int32Array(train.length);
  const seen = new Map<string, number>();
  for (const i of order) {
    const label = train[i]!.label;
    const c = seen.get(label) ?? 0;
    seen.set(label, c + 1);
    fold[i] = c % FOLDS;
  }
  return fold;
}

function shuffled(seed: number): number[] {
  const order = train.map((_, i) => i);
  let s = seed;
  for (let i = order.length - 1; i > 0; i--) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    const j = (s >>> 0) % (i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

const draws = Array.from({ length: repeats }, (_, r) =>
  foldsFor(r === 0 ? train.map((_, i) => i) : shuffled(r * 7919)),
);
for (const variant of variants.length > 0 ? variants : ['{}']) {
  const options = JSON.parse(variant) as TrainIntentOptions;
  const start = performance.now();
  const accuracies = draws.map((fold) => {
    let correct = 0;
    for (let f = 0; f < FOLDS; f++) {
      const model = trainIntentModel(
        train.filter((_, i) => fold[i] !== f),
        { calibrationFolds: 0, ...options },
      );
      train.forEach((e, i) => {
        if (fold[i] === f && model.classify(e.text).ranking[0]?.intent === e.label) correct++;
      });
    }
    return (correct / train.length) * 100;
  });
  const mean = accuracies.reduce((a, b) => a + b, 0) / accuracies.length;
  const seconds = ((performance.now() - start) / 1000).toFixed(1);
  const each = repeats > 1 ? ` [${accuracies.map((a) => a.toFixed(2)).join(' ')}]` : '';
  process.stdout.write(`${name} ${variant}: ${mean.toFixed(2)} %${each} (${seconds} s)\n`);
}
