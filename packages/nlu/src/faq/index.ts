// FAQ retrieval: BM25 over words, character bigrams, pinyin bigrams and English trigrams, one
// document per phrasing (question, similar questions, keywords), with an "answerable" threshold
// calibrated on the FAQ's own phrasings (leave-one-out) against out-of-scope messages.
import { createTokeniser, type Tokeniser } from '../tokenise/index.ts';
import { type Bm25, createBm25 } from './bm25.ts';
import { buildSynonyms, extractTerms, type SynonymTable, type Terms } from './features.ts';
import { OUT_OF_SCOPE_CALIBRATION } from './out-of-scope.ts';

export interface FaqEntry {
  id: string;
  question: string;
  similar?: readonly string[];
  answer: string;
  keywords?: readonly string[];
}

export interface FaqIndexOptions {
  /** Groups of interchangeable words; the first of each group is canonical. */
  synonyms?: readonly (readonly string[])[];
  /** Workspace words the tokeniser must keep whole (product and brand names). */
  userWords?: readonly string[];
  /** Extra out-of-scope messages for calibration (e.g. from the workspace's unanswered log). */
  outOfScope?: readonly string[];
  /** Fixed threshold on the normalised score instead of the calibrated one. */
  answerThreshold?: number;
}

export interface FaqHit {
  id: string;
  /** 0..1: the best phrasing's score relative to the query's score against itself. */
  score: number;
  question: string;
}

export interface FaqAnswer {
  id: string;
  score: number;
  answerable: boolean;
}

export interface FaqCalibration {
  threshold: number;
  /** Leave-one-out phrasings and out-of-scope messages the threshold was chosen on. */
  positives: number;
  negatives: number;
  /** Precision and recall of the answerable decision on that calibration data. */
  precision: number;
  recall: number;
}

export interface FaqIndex {
  search(query: string, k?: number): FaqHit[];
  answer(query: string): FaqAnswer | null;
  readonly calibration: FaqCalibration;
}

/** Relative weight of each term family; words carry most meaning, the rest rescue typos and splits. */
const FAMILY_WEIGHTS: Readonly<Record<keyof Terms, number>> = {
  words: 1,
  bigrams: 0.6,
  pinyin: 0.3,
  trigrams: 0.3,
};
const FAMILIES = Object.keys(FAMILY_WEIGHTS) as (keyof Terms)[];

interface Phrasing {
  faq: number;
  terms: Terms;
}

interface Scorer {
  /** Best normalised score per FAQ, optionally ignoring one phrasing (for leave-one-out). */
  rank(terms: Terms, skipPhrasing?: number): { faq: number; score: number }[];
}

function buildScorer(phrasings: readonly Phrasing[], faqCount: number): Scorer {
  const indices = {} as Record<keyof Terms, Bm25>;
  for (const family of FAMILIES) indices[family] = createBm25(phrasings.map((p) => p.terms[family]));
  return {
    rank(terms, skipPhrasing) {
      let self = 0;
      const total = new Float64Array(phrasings.length);
      for (const family of FAMILIES) {
        const w = FAMILY_WEIGHTS[family];
        const index = indices[family];
        self += w * index.selfScore(terms[family]);
        const scores = index.scores(terms[family]);
        for (let i = 0; i < total.length; i++) total[i]! += w * scores[i]!;
      }
      const best = new Float64Array(faqCount);
      for (let i = 0; i < phrasings.length; i++) {
        if (i === skipPhrasing) continue;
        const faq = phrasings[i]!.faq;
        if (total[i]! > best[faq]!) best[faq] = total[i]!;
      }
      const ranked: { faq: number; score: number }[] = [];
      for (let f = 0; f < faqCount; f++) {
        if (best[f]! > 0) ranked.push({ faq: f, score: self > 0 ? Math.min(1, best[f]! / self) : 0 });
      }
      return ranked.sort((a, b) => b.score - a.score);
    },
  };
}

/**
 * Picks the threshold that maximises F0.5 (precision counts double: a wrong answer costs more than a
 * handoff) of "answer when score ≥ threshold", where an answer is right only if the top FAQ is right.
 */
function calibrate(
  positives: readonly { score: number; correct: boolean }[],
  negatives: readonly number[],
): FaqCalibration {
  const candidates = [...new Set([...positives.map((p) => p.score), ...negatives])].sort((a, b) => a - b);
  const relevant = positives.filter((p) => p.correct).length;
  let best: FaqCalibration = { threshold: 1, positives: positives.length, negatives: negatives.length, precision: 0, recall: 0 };
  let bestF = -1;
  for (const t of candidates) {
    const tp = positives.filter((p) => p.correct && p.score >= t).length;
    const fp = positives.filter((p) => !p.correct && p.score >= t).length + negatives.filter((s) => s >= t).length;
    const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
    const recall = relevant === 0 ? 0 : tp / relevant;
    const f = precision + recall === 0 ? 0 : (1.25 * precision * recall) / (0.25 * precision + recall);
    if (f > bestF) {
      bestF = f;
      best = { threshold: t, positives: positives.length, negatives: negatives.length, precision, recall };
    }
  }
  return best;
}

export function createFaqIndex(entries: readonly FaqEntry[], options: FaqIndexOptions = {}): FaqIndex {
  const tokeniser: Tokeniser = createTokeniser({ userWords: options.userWords ?? [] });
  const synonyms: SynonymTable = buildSynonyms(options.synonyms ?? [], tokeniser);
  const terms = (text: string): Terms => extractTerms(text, tokeniser, synonyms);

  const phrasings: Phrasing[] = [];
  /** Phrasings written as questions, used as leave-one-out calibration queries. */
  const questionPhrasings: number[] = [];
  entries.forEach((entry, faq) => {
    for (const text of [entry.question, ...(entry.similar ?? [])]) {
      questionPhrasings.push(phrasings.length);
      phrasings.push({ faq, terms: terms(text) });
    }
    if (entry.keywords && entry.keywords.length > 0) phrasings.push({ faq, terms: terms(entry.keywords.join(' ')) });
  });
  const scorer = buildScorer(phrasings, entries.length);

  const positives = questionPhrasings.map((i) => {
    const phrasing = phrasings[i]!;
    const [top] = scorer.rank(phrasing.terms, i);
    return { score: top?.score ?? 0, correct: top?.faq === phrasing.faq };
  });
  const negatives = [...OUT_OF_SCOPE_CALIBRATION, ...(options.outOfScope ?? [])].map(
    (text) => scorer.rank(terms(text))[0]?.score ?? 0,
  );
  const calibration = calibrate(positives, negatives);
  const threshold = options.answerThreshold ?? calibration.threshold;

  const search = (query: string, k = 5): FaqHit[] =>
    scorer
      .rank(terms(query))
      .slice(0, k)
      .map(({ faq, score }) => ({ id: entries[faq]!.id, score, question: entries[faq]!.question }));

  return {
    search,
    answer(query) {
      const [top] = search(query, 1);
      if (!top) return null;
      return { id: top.id, score: top.score, answerable: top.score >= threshold };
    },
    calibration: { ...calibration, threshold },
  };
}
