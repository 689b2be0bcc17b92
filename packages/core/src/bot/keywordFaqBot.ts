// A small but real FAQ bot: character-bigram similarity to each question and its paraphrases, plus
// keyword hits. Works for Chinese without a tokeniser. Used when @zhike/nlu's FAQ index is unavailable.
import type { Faq } from '../model.ts';
import { asksForHuman, type Bot, type BotDecision, type BotInput } from './bot.ts';

export interface FaqMatcher {
  answer(query: string): { id: string; score: number; answerable: boolean } | null;
}

const normalise = (text: string): string =>
  text
    .toLowerCase()
    .normalize('NFKC')
    .replace(/[\s\p{P}\p{S}]+/gu, '');

function bigrams(text: string): Set<string> {
  const chars = Array.from(normalise(text));
  const grams = new Set<string>();
  if (chars.length === 1) grams.add(chars[0] ?? '');
  for (let i = 0; i + 1 < chars.length; i++) grams.add(`${chars[i]}${chars[i + 1]}`);
  return grams;
}

function dice(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const g of a) if (b.has(g)) shared++;
  return (2 * shared) / (a.size + b.size);
}

/** Containment of the FAQ question in the query matters more than query length. */
function overlap(query: Set<string>, question: Set<string>): number {
  if (question.size === 0) return 0;
  let shared = 0;
  for (const g of question) if (query.has(g)) shared++;
  return Math.max(dice(query, question), shared / question.size);
}

export function createKeywordFaqMatcher(faqs: readonly Faq[], threshold = 0.4): FaqMatcher {
  const prepared = faqs.map((faq) => ({
    id: faq.id,
    phrases: [faq.question, ...faq.similar].map(bigrams),
    keywords: faq.keywords.map(normalise).filter((k) => k.length > 0),
  }));
  return {
    answer(query) {
      const q = bigrams(query);
      const nq = normalise(query);
      let best: { id: string; score: number } | null = null;
      for (const faq of prepared) {
        const similarity = Math.max(0, ...faq.phrases.map((p) => overlap(q, p)));
        const hits = faq.keywords.filter((k) => nq.includes(k)).length;
        const score = Math.min(1, similarity * 0.7 + Math.min(hits, 3) * 0.2);
        if (!best || score > best.score) best = { id: faq.id, score };
      }
      if (!best) return null;
      return { ...best, answerable: best.score >= threshold };
    },
  };
}

/** Answers from a workspace's FAQ; hands off when nothing matches well enough or a human is requested. */
export function createFaqBot(
  matcherFor: (workspaceId: string) => Promise<{ matcher: FaqMatcher; faqs: ReadonlyMap<string, Faq> }>,
): Bot {
  return {
    async decide(input: BotInput): Promise<BotDecision> {
      if (asksForHuman(input.text)) return { kind: 'handoff', reason: 'customer_asked' };
      const { matcher, faqs } = await matcherFor(input.workspaceId);
      const hit = matcher.answer(input.text);
      const faq = hit?.answerable ? faqs.get(hit.id) : undefined;
      if (!hit || !faq) return { kind: 'handoff', reason: 'no_answer' };
      return { kind: 'answer', text: faq.answer, source: `faq:${faq.id}`, confidence: hit.score };
    },
  };
}
