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
}

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
export function rankTargets(
  model: IntentModel,
  faqIndex: FaqIndex | null,
  text: string,
  weights: ScoringWeights,
): { candidates: Candidate[]; inScope: boolean } {
  const prediction = model.classify(text);
  const scores = new Map<string, number>();
  for (const r of prediction.ranking) scores.set(r.intent, r.confidence);
  if (faqIndex && weights.retrieval > 0) {
    const hits = faqIndex.search(text, 5);
    // Relative to the best hit, and the best hit relative to the answerable threshold.
    const scale = Math.max(hits[0]?.score ?? 0, faqIndex.calibration.threshold, 1e-6);
    const support = new Map<string, number>();
    for (const hit of hits) support.set(FAQ_PREFIX + hit.id, hit.score / scale);
    for (const target of new Set([...scores.keys(), ...support.keys()])) {
      if (!target.startsWith(FAQ_PREFIX)) continue;
      const p = scores.get(target) ?? 0;
      const q = support.get(target) ?? 0;
      scores.set(target, (1 - weights.retrieval) * p + weights.retrieval * q);
    }
  }
  const candidates = [...scores]
    .map(([target, score]) => ({ target, score }))
    .sort((a, b) => b.score - a.score);
  return { candidates, inScope: prediction.intent !== null };
}

export function analyse(
  model: IntentModel,
  faqIndex: FaqIndex | null,
  extractor: EntityExtractor,
  text: string,
  weights: ScoringWeights,
): Analysis {
  const normalised = normalise(text);
  const { candidates, inScope } = rankTargets(model, faqIndex, text, weights);
  return {
    normalised,
    candidates,
    inScope,
    entities: extractor.extract(text),
    sentiment: analyseSentiment(normalised),
    urgency: detectUrgency(normalised),
  };
}
