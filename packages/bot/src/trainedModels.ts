// Intent models by content. Shops on the same template with the same knowledge base train the same model
// up to the ids of their FAQ entries (each shop's rows have their own ids), and training is the costly
// part of compiling a bot. So a model is trained over canonical FAQ labels — numbered in the order the
// entries come, which for ids handed out in sequence is also their sorted order — and kept by a hash of
// exactly what it was trained on; each shop gets it back with its own FAQ ids. A reseller's hundred demo
// shops, or a process restarting with many shops, train each distinct knowledge base once.
//
// The memo is module-level on purpose: it holds only a pure function's results keyed by the whole input,
// so sharing it between apps (and tenants) in one process reveals nothing and changes no behaviour.
import { createHash } from 'node:crypto';
import {
  type IntentExample,
  type IntentModel,
  type IntentModelJson,
  intentModelFromJSON,
  type Steps,
  type TrainIntentOptions,
  trainIntentModelSteps,
} from '@zhike/nlu';

/** Models kept per kind: a bot's intent model and its hand-off model, so neither crowds out the other. */
const KEEP = 12;
export type ModelKind = 'intent' | 'handoff';
const memos: Record<ModelKind, Map<string, IntentModelJson>> = { intent: new Map(), handoff: new Map() };
/** Models being trained by a compile in slices, by key: a second compile of the same content waits for it. */
const training = new Map<string, Promise<void>>();
const counts = { trained: 0, reused: 0 };

/** How many models were trained and how many were handed out again since the process started. */
export function trainedModelCounts(): { trained: number; reused: number } {
  return { ...counts };
}

/**
 * The model trained on `examples`, or the one kept for the same content. As steps (see steps.ts):
 * training may pause, and a compile in slices waits for another one training the same model.
 */
export function* trainIntentModelByContentSteps(
  examples: readonly IntentExample[],
  options: TrainIntentOptions,
  faqPrefix: string,
  kind: ModelKind = 'intent',
): Steps<IntentModel> {
  const models = memos[kind];
  const canonical = new Map<string, string>();
  const original = new Map<string, string>();
  const canonicalExamples = examples.map((e) => {
    if (!e.label.startsWith(faqPrefix)) return e;
    let label = canonical.get(e.label);
    if (!label) {
      label = `${faqPrefix}#${String(canonical.size).padStart(6, '0')}`;
      canonical.set(e.label, label);
      original.set(label, e.label);
    }
    return { text: e.text, label };
  });
  const key = createHash('sha256')
    .update(JSON.stringify([canonicalExamples.map((e) => [e.text, e.label]), options]))
    .digest('hex');
  const trainingKey = `${kind}:${key}`;
  let json = models.get(key);
  // Another compile is training this model (shops on one template starting at once): wait for it when
  // running in slices. Run at once, this compile cannot wait and trains the model itself.
  const underWay = json ? undefined : training.get(trainingKey);
  if (underWay) {
    yield underWay;
    json = models.get(key);
  }
  if (json) {
    counts.reused++;
    models.delete(key); // most recently used goes last
  } else {
    counts.trained++;
    const mine = training.has(trainingKey) ? null : signal();
    if (mine) training.set(trainingKey, mine.done);
    try {
      json = (yield* trainIntentModelSteps(canonicalExamples, options)).toJSON();
    } finally {
      if (mine) {
        training.delete(trainingKey);
        mine.finish();
      }
    }
    // Another compile may have trained and kept the same model while this one paused.
    models.delete(key);
    if (models.size >= KEEP) models.delete(models.keys().next().value as string);
  }
  models.set(key, json);
  return intentModelFromJSON({ ...json, labels: json.labels.map((l) => original.get(l) ?? l) });
}

/** A promise and the function that settles it. */
function signal(): { done: Promise<void>; finish: () => void } {
  let finish = () => {};
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  return { done, finish };
}
