// Two versions of the intent engine in one process, their classification rounds alternated:
//   git worktree add /tmp/before <commit> && ln -s "$PWD/node_modules" /tmp/before/node_modules
//   npx tsx bench/nlu/ab.ts /tmp/before . [banking77|smp2017-ecdt] [--intact]
// A shared VM's speed drifts by ±15–30 % between processes, more than most changes to the engine, so
// comparing two `npm run bench:nlu` runs says little. Here each checkout's `packages/nlu` is loaded
// as its own module tree (its own compiled code and type feedback), both classify the same test texts
// with a model trained by the first, and each round's rate is divided by the first checkout's in
// the same round (rounds alternate A B / B A). Run it again with the checkouts swapped: on banking77
// the two orders agree within a few per cent, on smp2017-ecdt they do not (0.67–1.56 for the same pair
// of versions, mostly favouring the one loaded second), so there it says little.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

type Nlu = typeof import('@zhike/nlu');

const ROUNDS = 12;
const ROUND_MS = 250;
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const datasets = process.env.ZHIKE_DATASETS ?? `${repoRoot}../shared/datasets`;

const args = process.argv.slice(2);
const intact = args.includes('--intact');
const [first, second, dataset = 'banking77'] = args.filter((a) => a !== '--intact');
if (first === undefined || second === undefined) {
  process.stderr.write('usage: npx tsx bench/nlu/ab.ts <checkout A> <checkout B> [dataset] [--intact]\n');
  process.exit(2);
}
// Once any ArrayBuffer in a process has been detached, V8 checks every typed-array access for
// detachment, for good: Zhike's scoring loop then runs ~12 % slower. A server gets there with its first
// outbound `fetch` (Node's undici detaches buffers), and `npm run bench:nlu` when tsx loads NLP.js's
// CommonJS files. So versions are compared in that state, unless `--intact` is given.
if (!intact) {
  const buffer = new ArrayBuffer(8);
  structuredClone(buffer, { transfer: [buffer] });
}
const checkouts = [first, second];
const engines: Nlu[] = [];
for (const checkout of checkouts) {
  const entry = pathToFileURL(resolve(checkout, 'packages/nlu/src/index.ts')).href;
  engines.push((await import(entry)) as Nlu);
}

const read = (file: string) => readFileSync(`${datasets}/${dataset}/${file}`, 'utf8');
const train = engines[0]!.parseJsonl(read('train.jsonl'), 'train.jsonl');
const texts = engines[0]!.parseJsonl(read('test.jsonl'), 'test.jsonl').map((e) => e.text);
// One model, trained once, loaded by each version: the comparison is of classification alone.
const json = engines[0]!.trainIntentModel(train).toJSON();
const models = engines.map((engine) => engine.intentModelFromJSON(json));

function rate(model: (typeof models)[number], ms: number): number {
  const start = performance.now();
  let done = 0;
  do {
    for (const text of texts) model.classify(text);
    done += texts.length;
  } while (performance.now() - start < ms);
  return (done * 1000) / (performance.now() - start);
}

for (const model of models) for (let i = 0; i < 3; i++) rate(model, ROUND_MS);
const rates: number[][] = models.map(() => []);
for (let round = 0; round < ROUNDS; round++) {
  // A B, then B A: neither version is always the one measured right after the other.
  const order = round % 2 === 0 ? [0, 1] : [1, 0];
  for (const i of order) rates[i]!.push(rate(models[i]!, ROUND_MS));
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const ratios = rates[1]!.map((x, i) => x / rates[0]![i]!);
for (const [i, checkout] of checkouts.entries()) {
  process.stdout.write(`${checkout}: median ${Math.round(median(rates[i]!))} classifications/s\n`);
}
process.stdout.write(
  `${dataset}: ${second} / ${first} = ${median(ratios).toFixed(3)} (median of ${ROUNDS} same-round ratios, range ${Math.min(...ratios).toFixed(3)}–${Math.max(...ratios).toFixed(3)})\n`,
);
