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
    // Measured 92.2 % top-1 and 91.1 % answered (the out-of-scope threshold may cost about 1.25
    // points of in-scope answers by design). 5-fold CV on train plateaus at ~90.4 % for every linear
    // variant tried; most remaining errors need world knowledge (TV show, stock and app names).
    // Also tried in CV, none adopted: on top of an unbalanced SVM (90.8 % alone), SVMs on single
    // feature families or other family weights summed with it (90.2–90.8 %) and a k-nearest-
    // neighbour vote blended into its scores (k 1–10: 87.5–90.6 % as the vote's weight grows);
    // C 0.5–2 and 10–30 epochs (90.0–90.7 %), minimum document frequency 2 (−0.5), Han 3-grams
    // (−0.3), no class balancing (+0.4, but it halves banking77's out-of-scope recall).
    // Later, over three fold draws (balanced SVM 90.5 %): a softmax regression added to the SVM's
    // scores (+0.2), multinomial naive Bayes added (−0.1 to −0.6), Han skip-bigrams, first/last-word
    // features, Han 3-grams at the message edges, pinyin unigrams only (all within ±0.2; pinyin
    // bigrams then went for speed: a fifth of a Chinese message's lookups); the Kangxi
    // radical of every Han character (derivable from Unicode: NFKC of U+2F00+i opens radical i's
    // section of U+4E00–U+9FA5) with Chinese words weighted 0.5 reached 91.1 % (+0.6), but added ~8
    // lookups per message (~15 % of classify time): not adopted (it scored 91.2 % on this split).
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

  // Five sibling intents of smp2017-ecdt never trained on (their test lines are the near-domain
  // out-of-scope messages), five more whose TRAIN lines are explicit `oos` examples.
  const smpSplit = (offDomainTrain: boolean) =>
    buildOutOfScopeSplit(load('smp2017-ecdt', 'train'), load('smp2017-ecdt', 'test'), {
      unseen: (i, label) => i % 6 === 1 && label !== 'chat',
      explicitOos: (i, label) => i % 6 === 4 && label !== 'chat',
      // Off-domain examples a workspace would add: food-delivery reviews, TRAIN split only (1 in 10).
      ...(offDomainTrain
        ? {
            offDomainTrain: load('waimai10k-sentiment', 'train')
              .filter((_, i) => i % 10 === 0)
              .map((e) => e.text),
          }
        : {}),
      offDomainTest: load('waimai10k-sentiment', 'test').map((e) => e.text),
    });

  it('out-of-scope (zh): unseen sibling intents rejected ≥ 70 % at ≤ 2 points in-scope loss', () => {
    const split = smpSplit(false);
    const r = measureOutOfScope(trainIntentModel(split.train), split);
    report('smp2017-ecdt, no off-domain training lines', r);
    // Measured 70.7 % near-domain recall at 1.18 points (64.6 % at 1.18 before the `overOosClaim`
    // rule and held-out scores computed as for new messages).
    expect(r.inScopeLoss).toBeLessThanOrEqual(0.02);
    expect(r.nearRecall!).toBeGreaterThanOrEqual(0.7);
    expect(r.precision).toBeGreaterThanOrEqual(0.95);
  });

  it('out-of-scope (zh): with off-domain training lines, ≥ 70 % of all out-of-scope lines at ≤ 2 points', () => {
    const split = smpSplit(true);
    const r = measureOutOfScope(trainIntentModel(split.train), split);
    report('smp2017-ecdt + waimai', r);
    const near = split.nearTest.length;
    const off = split.offTest.length;
    const recall = (r.nearRecall! * near + r.offRecall! * off) / (near + off);
    expect(r.inScopeLoss).toBeLessThanOrEqual(0.02);
    expect(recall).toBeGreaterThanOrEqual(0.7);
    expect(r.offRecall!).toBeGreaterThanOrEqual(0.9);
    // Near-domain measured 69.5 % at 1.65 points, off-domain 96.3 % (59.8 % and 97.7 % at 1.89
    // before). Guard.
    expect(r.nearRecall!).toBeGreaterThanOrEqual(0.65);
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
    // Targets are 70 %; banking77's unseen intents are close siblings of known ones (measured 36.4 %
    // at 1.0 point, 35.9 % at 1.23 before the threshold rule), and no English off-domain lines are
    // trained on (measured 82.5 % on 40 lines, 80.0 % before). Guards only.
    expect(r.nearRecall!).toBeGreaterThanOrEqual(0.3);
    expect(r.offRecall!).toBeGreaterThanOrEqual(0.7);
  });
});
