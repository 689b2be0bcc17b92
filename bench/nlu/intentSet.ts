// One intent dataset, Zhike and NLP.js side by side: accuracy, training time, classifications/s in
// interleaved rounds. `run.ts` runs each dataset in a process of its own (a fresh V8 isolate),
// so neither engine's compiled code or type feedback carries over from the dataset before; the
// cost of sharing one isolate across languages is measured apart (`measureAfter`).

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { type IntentModel, parseJsonl, trainIntentModel } from '@zhike/nlu';

const require = createRequire(import.meta.url);
/** Throughput is measured in several short rounds: the machine is shared, so best and median both matter. */
export const ROUNDS = 7;
export const ROUND_MS = 400;

interface NlpManagerLike {
  addDocument(locale: string, utterance: string, intent: string): void;
  train(): Promise<void>;
  process(locale: string, utterance: string): Promise<{ intent: string }>;
  /** The classifier alone, without answers, actions, context and sentiment that `process` adds. */
  nlp: {
    nluManager: {
      process(input: { locale: string; utterance: string; settings: object }): Promise<{ intent: string }>;
    };
  };
}

export function load(path: string) {
  return parseJsonl(readFileSync(path, 'utf8'), path);
}

export function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/**
 * One round's rate per wall-clock second and per CPU second of this process (user + system). With
 * many more runnable processes than cores, a wall-clock round mostly measures how much of a core the
 * scheduler handed out; CPU time measures what the classifications cost. Both are reported.
 */
export interface Rate {
  wall: number;
  cpu: number;
}

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** p50 and p99 of one `classify` call in µs, over three passes of `texts`. */
export function latencyMicros(model: IntentModel, texts: readonly string[]): { p50: number; p99: number } {
  const latencies = new Float64Array(texts.length * 3);
  for (let i = 0; i < latencies.length; i++) {
    const t = performance.now();
    model.classify(texts[i % texts.length]!);
    latencies[i] = performance.now() - t;
  }
  latencies.sort();
  return { p50: percentile(latencies, 0.5) * 1000, p99: percentile(latencies, 0.99) * 1000 };
}

export function oursPerSecond(model: IntentModel, texts: readonly string[]): Rate {
  const start = performance.now();
  const cpuStart = cpuMs();
  let done = 0;
  do {
    for (const text of texts) model.classify(text);
    done += texts.length;
  } while (performance.now() - start < ROUND_MS);
  return { wall: (done * 1000) / (performance.now() - start), cpu: (done * 1000) / (cpuMs() - cpuStart) };
}

async function theirsPerSecond(
  classify: (text: string) => Promise<unknown>,
  texts: readonly string[],
): Promise<Rate> {
  const start = performance.now();
  const cpuStart = cpuMs();
  let done = 0;
  do {
    for (const text of texts) await classify(text);
    done += texts.length;
  } while (performance.now() - start < ROUND_MS);
  return { wall: (done * 1000) / (performance.now() - start), cpu: (done * 1000) / (cpuMs() - cpuStart) };
}

/** A full collection (the child processes run with --expose-gc; elsewhere a no-op). */
function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const k = (x: number) => `${(x / 1000).toFixed(1)} k`;

export interface IntentSetResult {
  /** What the console shows. */
  lines: string[];
  /** The RESULTS.md table row. */
  row: string;
  /** Zhike's median classifications/s (wall clock). */
  oursMedian: number;
}

export async function measureIntentSet(
  dir: string,
  name: string,
  language: string,
): Promise<IntentSetResult> {
  const lines: string[] = [];
  const train = load(`${dir}/train.jsonl`);
  const test = load(`${dir}/test.jsonl`);
  const texts = test.map((e) => e.text);

  let start = performance.now();
  const model = trainIntentModel(train);
  const oursTrainMs = performance.now() - start;
  let top1 = 0;
  let answered = 0;
  for (const e of test) {
    const result = model.classify(e.text);
    if (result.ranking[0]?.intent === e.label) top1++;
    if (result.intent === e.label) answered++;
  }

  const { NlpManager } = require('node-nlp') as { NlpManager: new (settings: object) => NlpManagerLike };
  const manager = new NlpManager({
    languages: [language],
    forceNER: false,
    autoSave: false,
    nlu: { log: false },
  });
  for (const e of train) manager.addDocument(language, e.text, e.label);
  start = performance.now();
  await manager.train();
  const theirTrainMs = performance.now() - start;
  // NlpManager.process is NLP.js's documented entry point (the reference numbers); its
  // classifier alone is measured too, since `process` also renders answers and scores sentiment.
  const theirProcess = (text: string) => manager.process(language, text);
  const theirClassifier = (text: string) =>
    manager.nlp.nluManager.process({ locale: language, utterance: text, settings: {} });
  let theirCorrect = 0;
  let classifierCorrect = 0;
  for (const e of test) {
    if ((await theirProcess(e.text)).intent === e.label) theirCorrect++;
    if ((await theirClassifier(e.text)).intent === e.label) classifierCorrect++;
  }
  // The accuracy passes above warmed all three paths up over the same texts.

  // Interleaved rounds, so the engines see the same machine load.
  const ourRates: Rate[] = [];
  const theirRates: Rate[] = [];
  const theirClassifierRates: Rate[] = [];
  // Each round starts from a collected heap, so an engine's round pays for its own garbage only, not
  // for what the other engine's round left behind.
  for (let round = 0; round < ROUNDS; round++) {
    collectGarbage();
    ourRates.push(oursPerSecond(model, texts));
    collectGarbage();
    theirRates.push(await theirsPerSecond(theirProcess, texts));
    collectGarbage();
    theirClassifierRates.push(await theirsPerSecond(theirClassifier, texts));
  }
  const ours = ourRates.map((r) => r.wall);
  const theirs = theirRates.map((r) => r.wall);
  const theirsClassifier = theirClassifierRates.map((r) => r.wall);
  const cpuRatios = ourRates.map((r, i) => r.cpu / theirRates[i]!.cpu);
  const { p50, p99 } = latencyMicros(model, texts);
  const ratios = ours.map((x, i) => x / theirs[i]!);
  const classifierRatios = ours.map((x, i) => x / theirsClassifier[i]!);

  lines.push(`\n${name} (${train.length} train / ${test.length} test, ${model.labels.length} intents)`);
  lines.push(
    `  accuracy      zhike ${pct(top1 / test.length)} top-1, ${pct(answered / test.length)} with out-of-scope answers counted wrong   nlp.js ${pct(theirCorrect / test.length)} (classifier alone ${pct(classifierCorrect / test.length)})`,
  );
  lines.push(`  training      zhike ${oursTrainMs.toFixed(0)} ms   nlp.js ${theirTrainMs.toFixed(0)} ms`);
  lines.push(
    `  classify/s    zhike best ${Math.round(Math.max(...ours))} median ${Math.round(median(ours))}   nlp.js best ${Math.round(Math.max(...theirs))} median ${Math.round(median(theirs))}   ratio (same round) median ${median(ratios).toFixed(1)}×, best ${Math.max(...ratios).toFixed(1)}×`,
  );
  lines.push(
    `  classifier    nlp.js nluManager.process best ${Math.round(Math.max(...theirsClassifier))} median ${Math.round(median(theirsClassifier))}   ratio (same round) median ${median(classifierRatios).toFixed(1)}×, best ${Math.max(...classifierRatios).toFixed(1)}×`,
  );
  lines.push(
    `  per CPU second zhike median ${Math.round(median(ourRates.map((r) => r.cpu)))}   nlp.js process median ${Math.round(median(theirRates.map((r) => r.cpu)))}   ratio (same round) median ${median(cpuRatios).toFixed(1)}×, min ${Math.min(...cpuRatios).toFixed(1)}×`,
  );
  lines.push(`  zhike latency p50 ${p50.toFixed(0)} µs  p99 ${p99.toFixed(0)} µs`);
  const row = `| ${name} | ${pct(top1 / test.length)} | ${pct(answered / test.length)} | ${pct(theirCorrect / test.length)} | ${oursTrainMs.toFixed(0)} | ${theirTrainMs.toFixed(0)} | ${k(Math.max(...ours))} / ${k(median(ours))} | ${k(Math.max(...theirs))} / ${k(median(theirs))} | ${median(ratios).toFixed(1)}× (best ${Math.max(...ratios).toFixed(1)}×) | ${median(cpuRatios).toFixed(1)}× (min ${Math.min(...cpuRatios).toFixed(1)}×) | ${k(Math.max(...theirsClassifier))} / ${k(median(theirsClassifier))} | ${median(classifierRatios).toFixed(1)}× | ${p50.toFixed(0)} / ${p99.toFixed(0)} µs |`;
  return { lines, row, oursMedian: median(ours) };
}

/**
 * Zhike's classifications/s on `second` in an isolate that has trained on and classified `first`
 * (7 rounds) before: what a process serving shops in both languages gets.
 */
export function measureAfter(first: string, second: string): { median: number; best: number } {
  for (const dir of [first, second]) {
    const model = trainIntentModel(load(`${dir}/train.jsonl`));
    const texts = load(`${dir}/test.jsonl`).map((e) => e.text);
    for (const text of texts) model.classify(text);
    const rates = Array.from({ length: ROUNDS }, () => {
      collectGarbage();
      return oursPerSecond(model, texts).wall;
    });
    if (dir === second) return { median: median(rates), best: Math.max(...rates) };
  }
  throw new Error('unreachable');
}

type Task =
  | { kind: 'intent-set'; dir: string; name: string; language: string }
  | { kind: 'after'; first: string; second: string };

/** Run one task in a child process: a V8 isolate of its own. */
export function inIsolate<T>(task: Task): T {
  const stdout = execFileSync(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), '--task', JSON.stringify(task)],
    { encoding: 'utf8', maxBuffer: 1 << 24, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  // The result is the last line; libraries may print before it.
  const last = stdout.trimEnd().split('\n').at(-1) ?? '';
  return JSON.parse(last) as T;
}

const taskAt = process.argv.indexOf('--task');
if (taskAt >= 0 && process.argv[1] === fileURLToPath(import.meta.url)) {
  const task = JSON.parse(process.argv[taskAt + 1]!) as Task;
  const result =
    task.kind === 'intent-set'
      ? await measureIntentSet(task.dir, task.name, task.language)
      : measureAfter(task.first, task.second);
  process.stdout.write(`\n${JSON.stringify(result)}\n`);
}
