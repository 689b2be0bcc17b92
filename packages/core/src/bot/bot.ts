// The seam every inbound customer message passes through before humans. The NLU issue replaces the brain
// behind it, never the seam.
import type { Locale } from '../model.ts';

export interface BotInput {
  workspaceId: string;
  conversationId: string;
  locale: Locale;
  text: string;
}

export type BotDecision =
  | { kind: 'answer'; text: string; source: string; confidence: number }
  | { kind: 'handoff'; reason: 'no_answer' | 'customer_asked' };

export interface Bot {
  decide(input: BotInput): Promise<BotDecision>;
}

const HANDOFF_REQUEST =
  /转人工|人工客服|找人工|要人工|真人|人工服务|human|real person|live agent|talk to (an? )?agent/i;

/** The customer explicitly asks for a person: every bot honours it before trying to answer. */
export const asksForHuman = (text: string): boolean => HANDOFF_REQUEST.test(text);
