// Ranking reply suggestions from the three sources on one scale: compliance templates whose intent
// matches come first (pinned), then the best three of the knowledge-base answer, the matching templates
// and the history clusters, with near-duplicates (the same answer from two sources) shown once.
// Once the shop has history for the message, a knowledge answer or template is worth the evidence that
// its agents send something like it — its likeness to the history replies, weighted by their scores — so
// a help-page answer no agent ever sends ranks below what agents actually write.
import type { Suggestion, SuggestionSource } from './suggestions.ts';
import { cosine, type TextVector, textVector } from './textSimilarity.ts';

/** A reply template as the ranking sees it (the replies context's ReplyTemplate fits). */
export interface TemplateCandidate {
  id: string;
  title: string;
  body: string;
  /** Intents it answers; empty = any intent. */
  intents: readonly string[];
  compliance: boolean;
}

export interface KnowledgeCandidate {
  id: string;
  title: string;
  text: string;
  /** The bot's combined score for the entry (0..1). */
  score: number;
}

export interface HistoryCandidate {
  id: string;
  text: string;
  score: number;
}

/** Share of its history-evidence score a template written for an intent the message only may be about keeps. */
const ALTERNATIVE_EVIDENCE = 0.8;

export interface RankingInput {
  message: string;
  /** The intent understood (null: none). */
  intent: string | null;
  /** Every intent the message may be about, best first (the understood one included). */
  intents: readonly string[];
  knowledge: readonly KnowledgeCandidate[];
  templates: readonly TemplateCandidate[];
  /** The history clusters matched for the message, scored (all of them: they are also the evidence). */
  history: readonly HistoryCandidate[];
}

/** A suggestion before variables are filled. */
export type RankedSuggestion = Omit<Suggestion, 'missingVariables'>;

export const TOP_SUGGESTIONS = 3;
/** Two suggestions this alike say the same thing: the better-ranked one stays. */
export const DUPLICATE_SIMILARITY = 0.8;
const SCORES = {
  /** A template written for the understood intent is the shop's own answer to it. */
  templateForIntent: 0.65,
  /** One written for an intent the message may be about. */
  templateForAlternative: 0.5,
  /**
   * The knowledge base's answer is scored by how sure the NLU is of the entry, not by how agents answer:
   * what agents of this shop sent for the same question (history) is the stronger evidence of a reply.
   */
  knowledgeShare: 0.6,
  /** Below this NLU score a knowledge entry is a guess, not the answer to the message. */
  knowledgeMinimum: 0.3,
  /** An any-intent template is only worth showing when its words fit the message. */
  anyIntentBase: 0.15,
  anyIntentSimilarity: 0.5,
} as const;

const label = (text: string) => {
  const line = text.replace(/\s+/g, ' ').trim();
  return [...line].length > 24 ? `${[...line].slice(0, 24).join('')}…` : line;
};

interface Scored {
  text: string;
  source: SuggestionSource;
  pinned: boolean;
  score: number;
  vector: TextVector;
}

export function rankSuggestions(input: RankingInput): RankedSuggestion[] {
  const messageVector = textVector(input.message);
  const matched = new Set(input.intents);
  const candidates: Scored[] = [];
  const history = input.history.map((h) => ({ score: clamp(h.score), vector: textVector(h.text) }));
  // Without history there is no evidence either way: the sources keep their fixed shares.
  const evidenced = history.length > 0;
  const evidenceOf = (vector: TextVector) =>
    history.reduce((best, h) => Math.max(best, cosine(vector, h.vector) * h.score), 0);
  const push = (c: Omit<Scored, 'vector'>, share = 1) => {
    const vector = textVector(c.text);
    candidates.push({ ...c, vector, score: evidenced ? evidenceOf(vector) * share : c.score });
  };

  for (const t of input.templates) {
    const forIntent = input.intent !== null && t.intents.includes(input.intent);
    const forAlternative = !forIntent && t.intents.some((i) => matched.has(i));
    if (t.intents.length === 0) {
      const similarity = cosine(messageVector, textVector(`${t.title} ${t.body}`));
      const score = SCORES.anyIntentBase + SCORES.anyIntentSimilarity * similarity;
      if (similarity > 0.2)
        push({ text: t.body, source: src('template', t.id, t.title), pinned: false, score });
      continue;
    }
    if (!forIntent && !forAlternative) continue;
    push(
      {
        text: t.body,
        source: src('template', t.id, t.title),
        // Compliance wording is pinned only for the understood intent: a guess must not force legal text.
        pinned: t.compliance && forIntent,
        score: forIntent ? SCORES.templateForIntent : SCORES.templateForAlternative,
      },
      forIntent ? 1 : ALTERNATIVE_EVIDENCE,
    );
  }
  for (const k of input.knowledge.filter((k) => k.score >= SCORES.knowledgeMinimum))
    push({
      text: k.text,
      source: src('knowledge', k.id, k.title),
      pinned: false,
      score: clamp(k.score) * SCORES.knowledgeShare,
    });
  for (const [i, h] of input.history.entries())
    candidates.push({
      text: h.text,
      source: src('history', h.id, label(h.text)),
      pinned: false,
      score: history[i]!.score,
      vector: history[i]!.vector,
    });

  // Pinned first, then by score; a stable order for ties (source kind, then id) keeps tests and the UI calm.
  const kindOrder = { template: 0, knowledge: 1, history: 2 } as const;
  candidates.sort(
    (a, b) =>
      Number(b.pinned) - Number(a.pinned) ||
      b.score - a.score ||
      kindOrder[a.source.kind] - kindOrder[b.source.kind] ||
      a.source.id.localeCompare(b.source.id),
  );
  const kept: Scored[] = [];
  for (const c of candidates) {
    if (kept.some((k) => cosine(k.vector, c.vector) >= DUPLICATE_SIMILARITY)) continue;
    kept.push(c);
  }
  const pinned = kept.filter((c) => c.pinned);
  const rest = kept.filter((c) => !c.pinned).slice(0, TOP_SUGGESTIONS);
  return [...pinned, ...rest].map((c, i) => ({
    rank: i + 1,
    text: c.text,
    source: c.source,
    pinned: c.pinned,
    score: Math.round(c.score * 1000) / 1000,
  }));
}

const clamp = (x: number) => Math.min(1, Math.max(0, x));
const src = (kind: SuggestionSource['kind'], id: string, label: string): SuggestionSource => ({
  kind,
  id,
  label,
});
