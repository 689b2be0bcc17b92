// Understanding one message: intent classifier and FAQ retrieval combined into one ranked list of
// targets (`faq:<id>` or an intent name), plus entities, sentiment and urgency.
import {
  analyseSentiment,
  detectUrgency,
  type Entity,
  type EntityExtractor,
  type FaqIndex,
  type IntentModel,
  normalise,
  type SentimentAnalysis,
  type Urgency,
} from '@zhike/nlu';
import { combineReadings, type HandoffReading, learnedReading, rulesReading } from './handoffReading.ts';
import { asksForHuman } from './text.ts';

export interface Candidate {
  target: string;
  score: number;
}

export interface Analysis {
  normalised: string;
  /** Combined score per target, best first (every target the classifier ranks). */
  candidates: Candidate[];
  /** False when the classifier put the message out of scope. */
  inScope: boolean;
  entities: Entity[];
  sentiment: SentimentAnalysis;
  urgency: Urgency;
  /** The customer asks for a person (see `asksForHuman`). */
  asksForHuman: boolean;
  /** Whether the message is the bot's to answer, a person's or a complaint (see handoffReading.ts). */
  handoff: HandoffReading;
}

/** What the hand-off reading needs besides the message's own analysis. */
export interface HandoffContext {
  /** The template's hand-off model; null when it ships no hand-off examples (rules alone decide). */
  model: IntentModel | null;
  /** The rules' reading's weight in the vote against the model's probabilities. */
  ruleWeight: number;
  /** Combined score at or above which the bot acts on its best target. */
  answerThreshold: number;
  /** What a target stands for when it is a hand-off intent (the complaint intent, a request for a person). */
  handoffOf(target: string): 'complaint' | 'person' | null;
  /** Targets from the shop's own knowledge: FAQ entries the template does not have, article passages. */
  ownTargets: ReadonlySet<string>;
}

/** Negative and at least this angry: the dialogue treats the message as a complaint. */
export const ANGRY = 0.5;

export interface ScoringWeights {
  /** Share of the retrieval view in a FAQ target's score (0 = classifier only). */
  retrieval: number;
}

export const FAQ_PREFIX = 'faq:';

/**
 * Classifier probability and retrieval evidence on one scale. Retrieval scores are relative BM25
 * (0..1, small in absolute terms), so they are read against the index's own calibrated "answerable"
 * threshold: at or above it a FAQ gets full retrieval support.
 */
/** The retrieval index over targets: entry ids are targets (`faq:<id>`, or intent names when indexed). */
export interface Retrieval {
  index: FaqIndex;
  targets: ReadonlySet<string>;
  /** Targets that are article passages (retrieval only: the classifier is not trained on them). */
  passages?: ReadonlySet<string>;
}

export function rankTargets(
  model: IntentModel,
  retrieval: Retrieval | null,
  text: string,
  weights: ScoringWeights,
): { candidates: Candidate[]; inScope: boolean } {
  const prediction = model.classify(text);
  const scores = new Map<string, number>();
  for (const r of prediction.ranking) scores.set(r.intent, r.confidence);
  let answerablePassage: string | null = null;
  if (retrieval && weights.retrieval > 0) {
    const faqIndex = retrieval.index;
    const hits = faqIndex.search(text, 5);
    const best = hits[0];
    // The classifier never saw article text, so its out-of-scope verdict cannot speak for a question
    // that retrieval finds answerable in a passage.
    if (best && retrieval.passages?.has(best.id) && best.score >= faqIndex.calibration.threshold)
      answerablePassage = best.id;
    // Relative to the best hit, and the best hit relative to the answerable threshold.
    const scale = Math.max(hits[0]?.score ?? 0, faqIndex.calibration.threshold, 1e-6);
    const support = new Map<string, number>();
    for (const hit of hits) support.set(hit.id, hit.score / scale);
    for (const target of new Set([...scores.keys(), ...support.keys()])) {
      if (!retrieval.targets.has(target)) continue;
      const p = scores.get(target) ?? 0;
      const q = support.get(target) ?? 0;
      scores.set(target, (1 - weights.retrieval) * p + weights.retrieval * q);
    }
  }
  const candidates = [...scores]
    .map(([target, score]) => ({ target, score }))
    .sort((a, b) => b.score - a.score);
  const inScope =
    prediction.intent !== null || (answerablePassage !== null && candidates[0]?.target === answerablePassage);
  return { candidates, inScope };
}

export function analyse(
  model: IntentModel,
  retrieval: Retrieval | null,
  extractor: EntityExtractor,
  text: string,
  weights: ScoringWeights,
  outOfScopeCues: readonly RegExp[],
  handoff: HandoffContext,
): Analysis {
  const normalised = normalise(text);
  const ranked = rankTargets(model, retrieval, text, weights);
  // The template's out-of-scope topics overrule a classifier that found a nearby FAQ.
  const inScope = ranked.inScope && !outOfScopeCues.some((cue) => cue.test(normalised));
  const sentiment = analyseSentiment(normalised);
  const urgency = detectUrgency(normalised);
  const top = ranked.candidates[0];
  const confident = inScope && top !== undefined && top.score >= handoff.answerThreshold;
  const wantsPerson = asksForHuman(normalised);
  const facts = {
    urgency,
    angry: sentiment.polarity === 'negative' && sentiment.anger >= ANGRY,
    asksForHuman: wantsPerson,
    inScope,
    handoffIntent: confident ? handoff.handoffOf(top.target) : null,
    ownAnswer: confident && handoff.ownTargets.has(top.target),
  };
  const learned = handoff.model ? learnedReading(handoff.model, text) : null;
  return {
    normalised,
    candidates: ranked.candidates,
    inScope,
    entities: extractor.extract(text),
    sentiment,
    urgency,
    asksForHuman: wantsPerson,
    handoff: combineReadings(rulesReading(facts), learned, facts, handoff.ruleWeight),
  };
}
