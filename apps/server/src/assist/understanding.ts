// What agent assist reads from a customer message: the workspace bot's own understanding of it (the
// same NLU, FAQ and article retrieval the bot answers with), taken from a dry-run turn that looks up,
// creates and stores nothing — so a suggestion's knowledge answer is the one the bot would have given.
import type { BotPorts, CompiledBot } from '@zhike/bot';
import type { AssistUnderstanding, KnowledgeCandidate } from '@zhike/core';

const dryRun: BotPorts = {
  lookupOrder: async () => null,
  lookupTickets: async () => ({ tickets: [], more: 0, timeZone: 'Asia/Shanghai' }),
  createTicket: async () => ({ number: '—' }),
  createCallback: async () => ({ number: '—' }),
};

/** A runner-up target counts as "may be about" when it scores this share of the best one (and MIN_SCORE). */
const ALTERNATIVE_SHARE = 0.6;
const MIN_SCORE = 0.25;
const MAX_INTENTS = 3;
const MAX_KNOWLEDGE = 2;
const FAQ_PREFIX = 'faq:';

export const noUnderstanding: AssistUnderstanding = { intent: null, intents: [], knowledge: [] };

export async function understandForAssist(
  bot: CompiledBot,
  text: string,
  now: Date,
): Promise<AssistUnderstanding> {
  // No earlier state: an agent's conversation has left the bot's dialogue, and a fresh turn reads the
  // message on its own, as it reads every message of the history the suggestions learn from.
  const result = await bot.turn(null, { text, now, customer: { id: 'assist' } }, dryRun);
  const u = result.understanding;
  const top = u.candidates[0]?.score ?? 0;
  const intents = [
    ...new Set([
      ...(u.intent ? [u.intent] : []),
      ...u.candidates
        .filter((c) => u.inScope && c.score >= MIN_SCORE && c.score >= top * ALTERNATIVE_SHARE)
        .map((c) => c.target),
    ]),
  ].slice(0, MAX_INTENTS);

  const knowledge: KnowledgeCandidate[] = (result.knowledge?.passages ?? []).map((p) => ({
    id: p.id,
    title: p.title,
    text: p.text,
    score: p.score,
  }));
  // The turn reports passages only when it answered from them (or did not understand); a FAQ the message
  // may be about is still worth offering when the bot acted on an intent instead (a refund form).
  for (const target of intents) {
    if (!target.startsWith(FAQ_PREFIX)) continue;
    const id = target.slice(FAQ_PREFIX.length);
    if (knowledge.some((k) => k.id === id)) continue;
    const faq = bot.template.faqs.find((f) => f.id === id);
    const score = u.candidates.find((c) => c.target === target)?.score ?? 0;
    if (faq) knowledge.push({ id, title: faq.question, text: faq.answer, score });
  }
  return {
    intent: u.intent,
    intents,
    knowledge: knowledge.sort((a, b) => b.score - a.score).slice(0, MAX_KNOWLEDGE),
    // The bot would hand over for this message because the customer asked for a person.
    asksForPerson: result.handoff?.reason === 'customer_request',
  };
}
