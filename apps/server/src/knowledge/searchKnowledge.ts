// The agents' knowledge search over a dry-run bot turn (nothing looked up, created or stored): the
// passages the turn reports, plus the FAQ entries the message may be about. A turn reports passages only
// when it answered from the knowledge base or understood nothing, so a question the bot would act on
// (a refund form) still finds the refund FAQ through the candidates.
import type { CompiledBot, TurnResult } from '@zhike/bot';
import type { KnowledgeSearchHit } from '@zhike/contracts';

const FAQ = 'faq:';
/** A candidate FAQ is shown when it scores this much, and this share of the best candidate. */
const MIN_SCORE = 0.15;
const SHARE_OF_BEST = 0.3;

export function knowledgeHits(
  bot: Pick<CompiledBot, 'template'>,
  result: Pick<TurnResult, 'knowledge' | 'understanding'>,
  limit: number,
): KnowledgeSearchHit[] {
  const hits = new Map<string, KnowledgeSearchHit>();
  for (const p of result.knowledge?.passages ?? [])
    hits.set(`${p.kind}:${p.id}`, {
      id: p.id,
      kind: p.kind,
      title: p.title,
      text: p.text,
      score: p.score,
      url: p.url,
    });
  const candidates = result.understanding.candidates;
  const best = candidates[0]?.score ?? 0;
  for (const c of candidates) {
    if (!c.target.startsWith(FAQ) || c.score < MIN_SCORE || c.score < best * SHARE_OF_BEST) continue;
    const id = c.target.slice(FAQ.length);
    if (hits.has(`faq:${id}`)) continue;
    const faq = bot.template.faqs.find((f) => f.id === id);
    if (faq)
      hits.set(`faq:${id}`, {
        id,
        kind: 'faq',
        title: faq.question,
        text: faq.answer,
        score: c.score,
        url: null,
      });
  }
  return [...hits.values()].sort((a, b) => b.score - a.score).slice(0, limit);
}
