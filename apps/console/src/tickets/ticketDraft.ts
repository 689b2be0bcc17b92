// The create-ticket form's first guess at a title, from what the customer wrote.
import type { Message } from '@zhike/contracts';

export const SUBJECT_PREFILL_LENGTH = 60;
const RECENT = 5;

/**
 * The customer's last message is often only "转人工" or "在吗"; the longest of their last few messages is
 * the one that says what is wrong. Without any, the intent the bot recognised (e.g. 退款申请). Whitespace
 * is collapsed and the text cut at a readable length; the agent edits it anyway.
 */
export function suggestTicketSubject(
  messages: readonly Pick<Message, 'author' | 'text'>[],
  intentLabel: string | null,
): string {
  const recent = messages
    .filter((m) => m.author === 'customer')
    .map((m) => m.text.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .slice(-RECENT);
  // The latest wins a tie: iterate newest first and keep only strictly longer texts.
  let best = '';
  for (const text of recent.reverse()) if ([...text].length > [...best].length) best = text;
  const subject = best || intentLabel?.trim() || '';
  const chars = [...subject];
  return chars.length > SUBJECT_PREFILL_LENGTH
    ? `${chars.slice(0, SUBJECT_PREFILL_LENGTH - 1).join('')}…`
    : subject;
}
