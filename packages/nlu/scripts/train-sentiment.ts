// Regenerates src/sentiment/polarity.zh.json from waimai10k-sentiment TRAIN only:
//   npx tsx packages/nlu/scripts/train-sentiment.ts [datasets-dir]
// Hyper-parameters live in src/sentiment/training.ts (chosen on a 20 % dev split of the train file).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseJsonl } from '../src/eval/dataset.ts';
import { trainIntentModel } from '../src/intent/model.ts';
import { SENTIMENT_TRAINING_OPTIONS } from '../src/sentiment/training.ts';

const datasets = process.argv[2] ?? fileURLToPath(new URL('../../../../shared/datasets', import.meta.url));
const trainPath = `${datasets}/waimai10k-sentiment/train.jsonl`;
const train = parseJsonl(readFileSync(trainPath, 'utf8'), trainPath);
const start = performance.now();
const model = trainIntentModel(train, SENTIMENT_TRAINING_OPTIONS);
const out = fileURLToPath(new URL('../src/sentiment/polarity.zh.json', import.meta.url));
const json = JSON.stringify(model.toJSON());
writeFileSync(out, `${json}\n`);
process.stdout.write(
  `trained on ${train.length} lines in ${(performance.now() - start).toFixed(0)} ms → ${out} (${(json.length / 1024).toFixed(0)} KiB)\n`,
);
