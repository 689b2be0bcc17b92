// What topic mining and the emotion report read: the customers' own words in a period — their messages
// on every channel, and what callers said to agents after a voice hand-off (the bot's part of a call is
// already stored as messages) — with the intent the bot recognised when it handled the message.

export interface CustomerUtterance {
  /** The message id, or `callId:seq` for a transcript segment. */
  id: string;
  conversationId: string;
  customerId: string;
  /** Unsealed. */
  text: string;
  at: string;
  source: 'message' | 'call';
  /** The bot's target for the message (an intent or knowledge entry), when it handled it. */
  intent: string | null;
  intentLabel: string | null;
}

/** A half-open interval [from, to) of ISO-8601 UTC instants. */
export interface UtteranceRange {
  from: string;
  to: string;
}

export interface TopicSourcesRepository {
  /** How many customer messages the range holds and the newest one's time: what a cached report is valid for. */
  stats(range: UtteranceRange): Promise<{ count: number; last: string | null }>;
  /**
   * The range's utterances, oldest first: all of them, or an even sample of `limit` when there are more
   * (`total` says how many there were). Only the sampled ones are read and unsealed.
   */
  utterances(
    range: UtteranceRange,
    limit: number,
  ): Promise<{ total: number; utterances: CustomerUtterance[] }>;
  /** Product names from the shop's orders, newest orders first: the catalogue the NLU matches mentions against. */
  productNames(limit: number): Promise<string[]>;
}
