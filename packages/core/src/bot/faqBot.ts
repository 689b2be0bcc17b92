// A bot that answers from the workspace's FAQ through a matcher (the NLU package's FAQ index in the
// server); it hands off when nothing matches well enough, and always when a person is asked for.
import type { Faq } from '../model.ts';
import { asksForHuman, type Bot, type BotDecision, type BotInput } from './bot.ts';

/** The retrieval half: which FAQ entry answers a query, and whether it is good enough to send. */
export interface FaqMatcher {
  answer(query: string): { id: string; score: number; answerable: boolean } | null;
}

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
