// Accuracy targets on the public test splits (training uses train.jsonl only).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseJsonl } from '../eval/dataset.ts';
import {
  buildOutOfScopeSplit,
  formatOutOfScopeReport,
  measureOutOfScope,
  type OutOfScopeReport,
} from '../eval/out-of-scope.ts';
import { trainIntentModel } from './model.ts';

const datasets =
  process.env.ZHIKE_DATASETS ?? fileURLToPath(new URL('../../../../../shared/datasets', import.meta.url));
const present = existsSync(`${datasets}/banking77/train.jsonl`);
if (!present) console.warn(`[nlu accuracy] skipped: datasets not found at ${datasets} (set ZHIKE_DATASETS)`);
const load = (name: string, split: string) => {
  const path = `${datasets}/${name}/${split}.jsonl`;
  return parseJsonl(readFileSync(path, 'utf8'), path);
};

describe.skipIf(!present)('intent accuracy on test splits', () => {
  /** Top-1: the best-ranked intent. Answered: out-of-scope answers (null) count as wrong. */
  const measure = (name: string) => {
    const model = trainIntentModel(load(name, 'train'));
    const test = load(name, 'test');
    let top1 = 0;
    let answered = 0;
    for (const e of test) {
      const result = model.classify(e.text);
      if (result.ranking[0]?.intent === e.label) top1++;
      if (result.intent === e.label) answered++;
    }
    const r = { top1: top1 / test.length, answered: answered / test.length };
    console.log(
      `[nlu accuracy] ${name} top-1 ${(r.top1 * 100).toFixed(2)} %, answered ${(r.answered * 100).toFixed(2)} %`,
    );
    return r;
  };

  it('smp2017-ecdt (target 93 %, not reached: guard)', () => {
    const r = measure('smp2017-ecdt');
    // Measured 92.1 % top-1 and 91.6 % answered (the out-of-scope threshold may cost up to 2 points
    // of in-scope answers by design). 5-fold CV on train plateaus at ~90.4 % for every linear
    // variant tried; most remaining errors need world knowledge (TV show, stock and app names).
    // Also tried in CV, none adopted: on top of an unbalanced SVM (90.8 % alone), SVMs on single
    // feature families or other family weights summed with it (90.2–90.8 %) and a k-nearest-
    // neighbour vote blended into its scores (k 1–10: 87.5–90.6 % as the vote's weight grows);
    // C 0.5–2 and 10–30 epochs (90.0–90.7 %), minimum document frequency 2 (−0.5), Han 3-grams
    // (−0.3), no class balancing (+0.4, but it halves banking77's out-of-scope recall).
    expect(r.top1).toBeGreaterThanOrEqual(0.905);
    expect(r.answered).toBeGreaterThanOrEqual(0.89);
  });

  it('banking77 ≥ 88 %', () => {
    const r = measure('banking77');
    expect(r.top1).toBeGreaterThanOrEqual(0.88);
    expect(r.answered).toBeGreaterThanOrEqual(0.88);
  });

  // Out-of-scope setups (see README "Out-of-scope evaluation"). Held-out intents are picked by index
  // in the sorted label list, fixed before any measurement; `chat` stays in scope in smp2017-ecdt
  // because it is that assistant's catch-all, so holding it out would turn chatter into "near" oos.
  const report = (name: string, r: OutOfScopeReport) =>
    console.log(`[nlu oos] ${formatOutOfScopeReport(name, r)}`);

  it('out-of-scope (zh): off-domain chatter rejected ≥ 70 % at ≤ 2 points in-scope loss', () => {
    const split = buildOutOfScopeSplit(load('smp2017-ecdt', 'train'), load('smp2017-ecdt', 'test'), {
      unseen: (i, label) => i % 6 === 1 && label !== 'chat',
      explicitOos: (i, label) => i % 6 === 4 && label !== 'chat',
      // Off-domain examples a workspace would add: food-delivery reviews, TRAIN split only (1 in 10).
      offDomainTrain: load('waimai10k-sentiment', 'train')
        .filter((_, i) => i % 10 === 0)
        .map((e) => e.text),
      offDomainTest: load('waimai10k-sentiment', 'test').map((e) => e.text),
    });
    const r = measureOutOfScope(trainIntentModel(split.train), split);
    report('smp2017-ecdt + waimai', r);
    expect(r.inScopeLoss).toBeLessThanOrEqual(0.02);
    expect(r.offRecall!).toBeGreaterThanOrEqual(0.7);
    // Near-domain (5 sibling intents never seen): target 70 %, measured ~58 %. Guard only.
    expect(r.nearRecall!).toBeGreaterThanOrEqual(0.45);
  });

  it('out-of-scope (en): unseen banking intents and hand-written off-domain lines', () => {
    const offDomain = readFileSync(
      fileURLToPath(new URL('./fixtures/off-domain.en.txt', import.meta.url)),
      'utf8',
    )
      .split('\n')
      .filter((line) => line.trim() !== '');
    const split = buildOutOfScopeSplit(load('banking77', 'train'), load('banking77', 'test'), {
      unseen: (i) => i % 7 === 0,
      explicitOos: (i) => i % 7 === 3,
      offDomainTest: offDomain,
    });
    const r = measureOutOfScope(trainIntentModel(split.train), split);
    report('banking77', r);
    expect(r.inScopeLoss).toBeLessThanOrEqual(0.02);
    // Targets are 70 %; banking77's unseen intents are close siblings of known ones (measured ~25 %),
    // and no English off-domain lines are trained on (measured ~60 % on 40 lines). Guards only.
    expect(r.nearRecall!).toBeGreaterThanOrEqual(0.2);
    expect(r.offRecall!).toBeGreaterThanOrEqual(0.45);
  });
});
