// One customer, several channels: when they start a conversation somewhere new, the bot should not ask
// again for what they already told it elsewhere. Only stable facts cross over (the order number, phone
// and email they gave); half-filled forms, passed order checks and fallback counts stay where they were.
import { type DialogueState, initialDialogueState } from './types.ts';

/** Facts that stay true across conversations, as `rememberEntities` stores them. */
export const CARRIED_FACTS = ['order_number', 'phone', 'email'] as const;

/** The state a new conversation starts from, given the customer's latest other conversation's state. */
export function carriedState(previous: unknown): DialogueState | null {
  if (typeof previous !== 'object' || previous === null) return null;
  const memory = (previous as { memory?: unknown }).memory;
  if (typeof memory !== 'object' || memory === null) return null;
  const facts: Record<string, string> = {};
  for (const key of CARRIED_FACTS) {
    const value = (memory as Record<string, unknown>)[key];
    if (typeof value === 'string' && value !== '') facts[key] = value;
  }
  if (Object.keys(facts).length === 0) return null;
  return { ...initialDialogueState(), memory: facts };
}
