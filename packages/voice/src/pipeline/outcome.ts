// How the bot's part of a call ends, and the check every brain reply passes before the loop follows it.

import type { BrainReply, CallEndReason } from '../types.ts';

/** How the bot's part of the call ended. The server calls `brain.end` once the call really ends. */
export type VoiceBotOutcome =
  | { kind: 'handoff'; queueId?: string; intent?: string; turns: number }
  | { kind: 'hangup'; turns: number }
  | { kind: 'caller-hangup'; turns: number }
  | { kind: 'aborted'; turns: number }
  | { kind: 'failed'; error: Error; turns: number };

/** The CallEndReason an outcome means; null for a hand-off, which ends only when the transfer does. */
export function endReasonOf(outcome: VoiceBotOutcome): CallEndReason | null {
  switch (outcome.kind) {
    case 'handoff':
      return null;
    case 'hangup':
      return 'bot-hangup';
    case 'caller-hangup':
      return 'caller-hangup';
    case 'aborted':
    case 'failed':
      return 'failed';
  }
}

const NEXT_STEPS = new Set<BrainReply['next']>(['listen', 'digits', 'handoff', 'hangup']);

/** A reply the loop can follow, or a clear error naming what is wrong with it. */
export function checkReply(reply: BrainReply): BrainReply {
  if (!reply || typeof reply !== 'object') throw new TypeError('brain reply is not an object');
  if (!Array.isArray(reply.say) || reply.say.some((s) => typeof s !== 'string')) {
    throw new TypeError('brain reply: say must be an array of strings');
  }
  if (!NEXT_STEPS.has(reply.next))
    throw new TypeError(`brain reply: unknown next step ${JSON.stringify(reply.next)}`);
  if (reply.maxDigits !== undefined && !(Number.isInteger(reply.maxDigits) && reply.maxDigits > 0)) {
    throw new TypeError('brain reply: maxDigits must be a positive integer');
  }
  return reply;
}
