// Pure helpers for offers: the countdown and the card's details from the waiting line.
import type { WaitingConversation } from '@zhike/contracts';

/** Whole seconds left before `expiresAt` (never negative); rounded up so "0" means it is over. */
export function secondsLeft(expiresAt: string, nowMs: number): number {
  const at = Date.parse(expiresAt);
  if (Number.isNaN(at)) return 0;
  return Math.max(0, Math.ceil((at - nowMs) / 1000));
}

export interface OfferDetails {
  customerName: string | null;
  queueName: string | null;
  priority: WaitingConversation['priority'] | null;
}

/** The offered conversation's row in the line; null fields when it is no longer there (or not yet). */
export function offerDetails(waiting: readonly WaitingConversation[], conversationId: string): OfferDetails {
  const row = waiting.find((w) => w.conversationId === conversationId);
  return {
    customerName: row?.customerName ?? null,
    queueName: row?.queue?.name ?? null,
    priority: row?.priority ?? null,
  };
}
