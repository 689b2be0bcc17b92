// Which turns of the template bot are plain knowledge-base answers, the only replies an LLM may
// rewrite: the bot answered from an FAQ entry or article passage and did nothing else. Clarifying
// questions, hand-offs, order look-ups, forms and anything waiting on the customer are never rewritten.
import type { TurnResult } from '@zhike/bot';
import type { BotDecision } from '@zhike/core';

export function knowledgeAnswer(result: TurnResult): BotDecision['knowledge'] {
  const passages = result.knowledge?.passages ?? [];
  const [reply, ...more] = result.replies;
  if (passages.length === 0 || result.handoff || result.understanding.intent === null) return null;
  if (reply?.kind !== 'answer' || more.length > 0 || result.state.pending !== null) return null;
  return {
    reply: 0,
    passages: passages.map((p) => ({ id: p.id, kind: p.kind, title: p.title, text: p.text, score: p.score })),
  };
}
