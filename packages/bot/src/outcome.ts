// The engine's account of one turn for analytics: what it did (answered, clarified, fell back, handed
// off, waited on a step, acted) and what it understood, with the target's human name.
import type { CompiledBot } from './compile.ts';
import { intentDisplayName } from './template.ts';
import type { TurnResult } from './types.ts';
import { FAQ_PREFIX } from './understand.ts';

export type TurnOutcome = 'answered' | 'clarified' | 'fallback' | 'handed_off' | 'form_step' | 'action';

export interface TurnSummary {
  outcome: TurnOutcome;
  target: string | null;
  targetLabel: string | null;
  confidence: number;
}

/** A hand-off wins; then a question the bot asks back; then the step it now waits on; then what it said. */
export function turnOutcome(result: TurnResult): TurnOutcome {
  if (result.handoff) return 'handed_off';
  const kinds = new Set(result.replies.map((r) => r.kind));
  const pending = result.state.pending?.kind;
  if (pending === 'clarify') return 'clarified';
  if (kinds.has('clarify')) return 'fallback';
  if (pending) return 'form_step';
  if (kinds.has('info')) return 'action';
  if (kinds.has('answer')) return 'answered';
  // Nothing said and nothing pending (an engine that stayed silent) is no answer either.
  return 'fallback';
}

/** The FAQ's question or the intent's label (else description, else first example): what the owner recognises. */
export function targetLabel(bot: Pick<CompiledBot, 'template'>, target: string | null): string | null {
  if (!target) return null;
  if (target.startsWith(FAQ_PREFIX)) {
    const id = target.slice(FAQ_PREFIX.length);
    return bot.template.faqs.find((f) => f.id === id)?.question ?? null;
  }
  const intent = bot.template.intents.find((i) => i.name === target);
  return intent ? intentDisplayName(intent) : null;
}

export function summariseTurn(bot: Pick<CompiledBot, 'template'>, result: TurnResult): TurnSummary {
  const target = result.understanding.intent;
  return {
    outcome: turnOutcome(result),
    target,
    targetLabel: targetLabel(bot, target),
    confidence: result.understanding.confidence,
  };
}
