// Chooses the bot's decision parameters by cross-validation on the templates' OWN examples (never the
// test suites): for each industry, 5 stratified folds of FAQ phrasings, intent examples and the generic
// out-of-scope lines; a held-out line is handled right when the bot acts on its true target, or, for an
// out-of-scope line, when it does not act (the bench's own criterion). Prints precision, recall, F0.5
// and that accuracy for each retrieval weight × answer threshold, pooled over industries, and picks the
// pair with the best accuracy.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import {
  BOT_INTENT_OPTIONS,
  type BotTemplate,
  buildRetrieval,
  fillTemplate,
  rankTargets,
  trainingExamples,
} from '@zhike/bot';
import { OOS_LABEL, trainIntentModel } from '@zhike/nlu';

const FOLDS = 5;
/** `--intents`: index dialogue intents for retrieval too (DecisionParameters.retrieveIntents). */
const RETRIEVE_INTENTS = process.argv.includes('--intents');
/** `--keywords`: FAQ keywords as tokeniser user words. */
const KEYWORDS = process.argv.includes('--keywords');
const WEIGHTS = [0, 0.5, 0.7, 0.85];
const THRESHOLDS = [0.2, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8];
const root = new URL('../../', import.meta.url).pathname;
const log = (s: string) => process.stdout.write(`${s}\n`);

interface Outcome {
  gold: string;
  /** Per retrieval weight: best target, its score, and whether the classifier kept it in scope. */
  byWeight: { target: string | null; score: number; inScope: boolean }[];
}

const outcomes: Outcome[] = [];
for (const industry of readdirSync(`${root}templates`).sort()) {
  const path = `${root}templates/${industry}/zh-CN.json`;
  if (!existsSync(path)) continue;
  const template = fillTemplate(JSON.parse(readFileSync(path, 'utf8')) as BotTemplate, {});
  const examples = trainingExamples(template);
  // Stratified: the i-th example of each label goes to fold i mod FOLDS.
  const seen = new Map<string, number>();
  const fold = examples.map((e) => {
    const n = seen.get(e.label) ?? 0;
    seen.set(e.label, n + 1);
    return n % FOLDS;
  });
  const started = performance.now();
  for (let f = 0; f < FOLDS; f++) {
    const train = examples.filter((_, i) => fold[i] !== f);
    const test = examples.filter((_, i) => fold[i] === f);
    const labels = new Set(train.map((e) => e.label));
    const userWords = KEYWORDS ? template.faqs.flatMap((faq) => faq.keywords ?? []) : [];
    const model = trainIntentModel(train, { ...BOT_INTENT_OPTIONS, rankingSize: labels.size, userWords });
    const held = new Set(test.map((e) => e.text));
    const keep = (texts: readonly string[]) => texts.filter((t) => !held.has(t));
    const trainOnly: BotTemplate = {
      ...template,
      faqs: template.faqs.map((faq) => {
        const [question = faq.question, ...similar] = keep([faq.question, ...(faq.similar ?? [])]);
        return { ...faq, question, similar };
      }),
      intents: template.intents.map((i) => ({ ...i, examples: keep(i.examples) })),
    };
    const retrievalIndex = buildRetrieval(trainOnly, { intents: RETRIEVE_INTENTS, userWords });
    for (const e of test) {
      outcomes.push({
        gold: e.label,
        byWeight: WEIGHTS.map((retrieval) => {
          const { candidates, inScope } = rankTargets(model, retrievalIndex, e.text, { retrieval });
          return { target: candidates[0]?.target ?? null, score: candidates[0]?.score ?? 0, inScope };
        }),
      });
    }
  }
  log(`${industry}: ${examples.length} examples, ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

const inScopeTotal = outcomes.filter((o) => o.gold !== OOS_LABEL).length;
let best = { accuracy: -1, f: 0, w: 0, t: 0 };
WEIGHTS.forEach((w, wi) => {
  const top1 = outcomes.filter((o) => o.gold !== OOS_LABEL && o.byWeight[wi]!.target === o.gold).length;
  const oosKept = outcomes.filter((o) => o.gold === OOS_LABEL && !o.byWeight[wi]!.inScope).length;
  log(
    `retrieval ${w}: in-scope top-1 ${((top1 / inScopeTotal) * 100).toFixed(1)} %, oos caught by the classifier ${oosKept}`,
  );
});
log(`\n${outcomes.length} held-out lines (${outcomes.length - inScopeTotal} out of scope)`);
log('retrieval  threshold  precision  recall  F0.5   accuracy');
WEIGHTS.forEach((w, wi) => {
  for (const t of THRESHOLDS) {
    let tp = 0;
    let fp = 0;
    let right = 0;
    for (const o of outcomes) {
      const r = o.byWeight[wi]!;
      const acts = r.inScope && r.target !== null && r.score >= t;
      if (acts && r.target === o.gold) tp++;
      else if (acts) fp++;
      if (o.gold === OOS_LABEL ? !acts : acts && r.target === o.gold) right++;
    }
    const precision = tp / Math.max(1, tp + fp);
    const recall = tp / Math.max(1, inScopeTotal);
    const f = (1.25 * precision * recall) / Math.max(1e-9, 0.25 * precision + recall);
    const accuracy = right / outcomes.length;
    if (accuracy > best.accuracy) best = { accuracy, f, w, t };
    log(
      `${w.toFixed(2).padStart(9)}  ${t.toFixed(2).padStart(9)}  ${(precision * 100).toFixed(1).padStart(8)} %  ${(recall * 100).toFixed(1).padStart(5)} %  ${f.toFixed(3)}  ${((right / outcomes.length) * 100).toFixed(1)} %`,
    );
  }
});
// Variant: act on the combined score alone, ignoring the classifier's out-of-scope decision.
{
  const wi = WEIGHTS.indexOf(best.w);
  let right = 0;
  for (const o of outcomes) {
    const r = o.byWeight[wi]!;
    const acts = r.target !== null && r.score >= best.t;
    if (o.gold === OOS_LABEL ? !acts : acts && r.target === o.gold) right++;
  }
  log(
    `without the classifier's out-of-scope decision at that point: ${((right / outcomes.length) * 100).toFixed(1)} %`,
  );
}
log(
  `\nbest accuracy (right target, or no action on out-of-scope): retrieval ${best.w}, answerThreshold ${best.t} ` +
    `(${(best.accuracy * 100).toFixed(1)} %, F0.5 ${best.f.toFixed(3)})`,
);
