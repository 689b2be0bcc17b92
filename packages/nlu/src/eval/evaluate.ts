// Train on one labelled set, classify another, and report quality and speed.
import {
  type IntentExample,
  type IntentModel,
  type TrainIntentOptions,
  trainIntentModel,
} from '../intent/model.ts';
import { dialects, toSimplified } from '../normalise/index.ts';
import { type ClassificationReport, scoreClassification } from './metrics.ts';

export interface EvaluationReport extends ClassificationReport {
  trainMs: number;
  classifyPerSec: number;
  /**
   * Test lines written in a dialect, which the normaliser rewrote to Mandarin before classifying them
   * (as it does for every message): a Mandarin-trained model is evaluated on Cantonese or Sichuanese.
   */
  dialectLines: { yue: number; sichuan: number };
}

/** How many texts the normaliser reads as Cantonese and as Sichuanese. */
export function countDialectLines(texts: readonly string[]): { yue: number; sichuan: number } {
  const counts = { yue: 0, sichuan: 0 };
  for (const text of texts) {
    const { dialect } = dialects().detect(toSimplified(text));
    if (dialect) counts[dialect]++;
  }
  return counts;
}

/** Classifications per second over `texts`, repeated until at least `minMs` has passed. */
export function measureThroughput(model: IntentModel, texts: readonly string[], minMs = 300): number {
  if (texts.length === 0) return 0;
  // One untimed pass first: the first calls run unoptimised code and would understate steady state.
  for (const text of texts) model.classify(text);
  let done = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    for (const text of texts) model.classify(text);
    done += texts.length;
    elapsed = performance.now() - start;
  } while (elapsed < minMs);
  return (done * 1000) / elapsed;
}

export function evaluateModel(model: IntentModel, test: readonly IntentExample[]): ClassificationReport {
  return scoreClassification(
    test.map((e) => e.label),
    test.map((e) => model.classify(e.text).intent),
  );
}

export function trainAndEvaluate(
  train: readonly IntentExample[],
  test: readonly IntentExample[],
  options: TrainIntentOptions = {},
): EvaluationReport & { model: IntentModel } {
  const start = performance.now();
  const model = trainIntentModel(train, options);
  const trainMs = performance.now() - start;
  const report = evaluateModel(model, test);
  const classifyPerSec = measureThroughput(
    model,
    test.map((e) => e.text),
  );
  const dialectLines = countDialectLines(test.map((e) => e.text));
  return { ...report, trainMs, classifyPerSec, dialectLines, model };
}
