// Out-of-scope evaluation built from intent datasets, without leakage: some intents are held out
// entirely (their test lines are near-domain out-of-scope messages), other held-out intents and
// optional off-domain text provide the explicit `oos` training lines, and off-domain test text
// measures chatter that has nothing to do with the bot.
import { type IntentExample, type IntentModel, OOS_LABEL } from '../intent/model.ts';

export interface OutOfScopeSplit {
  train: IntentExample[];
  /** Test lines of the intents the model knows. */
  inScopeTest: IntentExample[];
  /** Test lines of intents never trained on in any form (siblings of the known intents). */
  nearTest: string[];
  /** Off-domain test text (another dataset's test split, or hand-written chatter). */
  offTest: string[];
  unseenIntents: string[];
  explicitOosIntents: string[];
}

export interface OutOfScopeSplitOptions {
  /** Picks held-out intents by their index in the sorted label list. */
  unseen: (index: number, label: string) => boolean;
  /** Held-out intents whose TRAIN lines become explicit `oos` examples (never the unseen ones). */
  explicitOos: (index: number, label: string) => boolean;
  /** Off-domain lines added to training as `oos` (e.g. another dataset's train split). */
  offDomainTrain?: readonly string[];
  offDomainTest?: readonly string[];
}

export function buildOutOfScopeSplit(
  train: readonly IntentExample[],
  test: readonly IntentExample[],
  options: OutOfScopeSplitOptions,
): OutOfScopeSplit {
  const labels = [...new Set(train.map((e) => e.label))].sort();
  const unseen = new Set(labels.filter((l, i) => options.unseen(i, l)));
  const explicit = new Set(labels.filter((l, i) => !unseen.has(l) && options.explicitOos(i, l)));
  const heldOut = (label: string) => unseen.has(label) || explicit.has(label);
  return {
    train: [
      ...train
        .filter((e) => !unseen.has(e.label))
        .map((e) => (explicit.has(e.label) ? { text: e.text, label: OOS_LABEL } : e)),
      ...(options.offDomainTrain ?? []).map((text) => ({ text, label: OOS_LABEL })),
    ],
    inScopeTest: test.filter((e) => !heldOut(e.label)),
    nearTest: test.filter((e) => unseen.has(e.label)).map((e) => e.text),
    offTest: [...(options.offDomainTest ?? [])],
    unseenIntents: [...unseen],
    explicitOosIntents: [...explicit],
  };
}

export interface OutOfScopeReport {
  /** In-scope accuracy with out-of-scope answers counted wrong. */
  inScopeAccuracy: number;
  /** In-scope accuracy of the best-ranked intent, i.e. with no out-of-scope detection at all. */
  inScopeAccuracyWithoutDetection: number;
  /** Points of in-scope accuracy the detector costs (fraction, 0.02 = 2 points). */
  inScopeLoss: number;
  nearRecall: number | null;
  offRecall: number | null;
  /** Of all out-of-scope answers on the whole test set, how many were truly out of scope. */
  precision: number;
}

export function measureOutOfScope(model: IntentModel, split: OutOfScopeSplit): OutOfScopeReport {
  let correct = 0;
  let correctWithout = 0;
  let falseRejections = 0;
  for (const e of split.inScopeTest) {
    const result = model.classify(e.text);
    if (result.intent === e.label) correct++;
    if (result.ranking[0]?.intent === e.label) correctWithout++;
    if (result.intent === null) falseRejections++;
  }
  const rejected = (texts: readonly string[]) =>
    texts.filter((t) => model.classify(t).intent === null).length;
  const nearRejected = rejected(split.nearTest);
  const offRejected = rejected(split.offTest);
  const n = Math.max(1, split.inScopeTest.length);
  const allRejected = nearRejected + offRejected + falseRejections;
  return {
    inScopeAccuracy: correct / n,
    inScopeAccuracyWithoutDetection: correctWithout / n,
    inScopeLoss: (correctWithout - correct) / n,
    nearRecall: split.nearTest.length > 0 ? nearRejected / split.nearTest.length : null,
    offRecall: split.offTest.length > 0 ? offRejected / split.offTest.length : null,
    precision: allRejected === 0 ? 0 : (nearRejected + offRejected) / allRejected,
  };
}

const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)} %`);

export function formatOutOfScopeReport(name: string, r: OutOfScopeReport): string {
  return `${name}: in-scope ${pct(r.inScopeAccuracy)} (without detection ${pct(r.inScopeAccuracyWithoutDetection)}, loss ${(r.inScopeLoss * 100).toFixed(2)} pt), near-domain oos recall ${pct(r.nearRecall)}, off-domain oos recall ${pct(r.offRecall)}, oos precision ${pct(r.precision)}`;
}
