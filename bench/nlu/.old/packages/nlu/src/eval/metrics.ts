// Classification metrics for intent evaluation; the out-of-scope answer (null) is the label `oos`.
import { OOS_LABEL } from '../intent/model.ts';

export interface LabelMetrics {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface ClassificationReport {
  accuracy: number;
  macroF1: number;
  /** Accuracy over test lines whose gold label is not `oos`. */
  inScopeAccuracy: number;
  /** Null when the test set has no `oos` lines. */
  oos: { precision: number; recall: number } | null;
  perLabel: Record<string, LabelMetrics>;
  /** [gold, predicted, count], most frequent first. */
  confusions: [string, string, number][];
}

function ratio(a: number, b: number): number {
  return b === 0 ? 0 : a / b;
}

/** `predicted` uses null for out of scope. */
export function scoreClassification(
  gold: readonly string[],
  predicted: readonly (string | null)[],
): ClassificationReport {
  if (gold.length !== predicted.length) throw new Error('gold and predicted differ in length');
  const tp = new Map<string, number>();
  const goldCount = new Map<string, number>();
  const predCount = new Map<string, number>();
  const confusions = new Map<string, [string, string, number]>();
  let correct = 0;
  let inScope = 0;
  let inScopeCorrect = 0;
  for (let i = 0; i < gold.length; i++) {
    const g = gold[i]!;
    const p = predicted[i] ?? OOS_LABEL;
    goldCount.set(g, (goldCount.get(g) ?? 0) + 1);
    predCount.set(p, (predCount.get(p) ?? 0) + 1);
    if (g !== OOS_LABEL) inScope++;
    if (g === p) {
      correct++;
      if (g !== OOS_LABEL) inScopeCorrect++;
      tp.set(g, (tp.get(g) ?? 0) + 1);
    } else {
      const key = `${g}\u0000${p}`;
      const entry = confusions.get(key) ?? [g, p, 0];
      entry[2]++;
      confusions.set(key, entry);
    }
  }
  const perLabel: Record<string, LabelMetrics> = {};
  let f1Sum = 0;
  const labels = [...goldCount.keys()].sort();
  for (const label of labels) {
    const t = tp.get(label) ?? 0;
    const precision = ratio(t, predCount.get(label) ?? 0);
    const recall = ratio(t, goldCount.get(label) ?? 0);
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    perLabel[label] = { precision, recall, f1, support: goldCount.get(label) ?? 0 };
    f1Sum += f1;
  }
  const oosMetrics = perLabel[OOS_LABEL];
  return {
    accuracy: ratio(correct, gold.length),
    macroF1: ratio(f1Sum, labels.length),
    inScopeAccuracy: ratio(inScopeCorrect, inScope),
    oos: oosMetrics ? { precision: oosMetrics.precision, recall: oosMetrics.recall } : null,
    perLabel,
    confusions: [...confusions.values()].sort((a, b) => b[2] - a[2] || a[0].localeCompare(b[0])),
  };
}
