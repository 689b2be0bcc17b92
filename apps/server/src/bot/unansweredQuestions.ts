// The bot's unanswered questions for the owner: read (sealed) from bot_turns, grouped by meaning with
// the NLU clustering, contact details masked unless revealed, each group ready to become an FAQ entry.
import type { BotAnalyticsRange, WorkspaceStore } from '@zhike/core';
import { clusterQuestions } from '@zhike/nlu';
import { maskEmail, maskPhone } from '@zhike/security';

/** Questions read per request: the newest ones; clustering 1,000 takes ~0.5 s on one core. */
export const MAX_UNANSWERED_QUESTIONS = 1000;
const EXAMPLES = 5;

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;
// Seven or more digits (spaces, dashes and a +country prefix allowed inside), not glued to Latin letters:
// phones, landlines and ID numbers are masked; an order number such as ZK20261125001 is not personal.
const PHONE = /(?<![A-Za-z0-9])\+?\d(?:[\s-]?\d){6,}(?![A-Za-z0-9])/g;

/** Masks every email and phone-like number inside a customer's free text. */
export function maskContactDetails(text: string): string {
  return text.replace(EMAIL, (m) => maskEmail(m)).replace(PHONE, (m) => maskPhone(m));
}

export interface UnansweredCluster {
  id: string;
  representative: string;
  count: number;
  examples: string[];
  lastSeen: string;
  turnIds: string[];
}

export async function unansweredQuestions(
  store: WorkspaceStore,
  range: BotAnalyticsRange,
  options: { limit: number; reveal: boolean },
): Promise<{ clusters: UnansweredCluster[]; questions: number; truncated: boolean }> {
  const turns = await store.botTurns.unanswered(range, MAX_UNANSWERED_QUESTIONS + 1);
  const truncated = turns.length > MAX_UNANSWERED_QUESTIONS;
  // Oldest first, so equal-sized clusters come newest first (see clusterQuestions).
  const considered = turns.slice(0, MAX_UNANSWERED_QUESTIONS).reverse();
  const show = options.reveal ? (text: string) => text : maskContactDetails;
  const clusters = clusterQuestions(considered.map((t) => ({ id: t.id, text: t.question, at: t.at })))
    .slice(0, options.limit)
    .map((cluster) => {
      // The same wording asked twice is one example.
      const examples = [...new Set(cluster.members.map((m) => show(m.text.trim())))];
      const representative = examples[0] ?? '';
      return {
        id: cluster.representative.id,
        representative,
        count: cluster.members.length,
        examples: examples.slice(1, 1 + EXAMPLES),
        lastSeen:
          cluster.members
            .map((m) => m.at)
            .sort()
            .at(-1) ?? '',
        turnIds: cluster.members.map((m) => m.id),
      };
    });
  return { clusters, questions: considered.length, truncated };
}
