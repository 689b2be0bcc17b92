// An agent accepts the conversation offered to them: it becomes theirs, the wait is over.
import { DomainError, notFound } from '../errors.ts';
import type { DomainEvent } from '../events.ts';
import type { UseCaseDeps } from '../ports.ts';
import { recordPickup } from './pickUp.ts';

export interface RespondToOfferInput {
  offerId: string;
  /** Only the agent an offer was made to may answer it. */
  userId: string;
}

export async function acceptOffer(
  deps: UseCaseDeps,
  input: RespondToOfferInput,
): Promise<{ conversationId: string; events: DomainEvent[] }> {
  return deps.store.transaction(async (tx) => {
    const offer = await tx.offers.get(input.offerId);
    if (!offer || offer.userId !== input.userId) throw notFound('offer');
    const conversation = await tx.conversations.get(offer.conversationId);
    if (!conversation) throw notFound('conversation');
    // A repeated accept (double click, retried request) of what is already mine answers the same.
    if (offer.status === 'accepted' && conversation.assigneeId === input.userId)
      return { conversationId: conversation.id, events: [] };
    if (offer.status !== 'pending') throw new DomainError('conflict', `the offer was ${offer.status}`);
    const now = deps.clock.now().toISOString();
    if (conversation.assigneeId !== null || conversation.status === 'resolved') {
      await tx.offers.settle(offer.id, 'withdrawn', now);
      throw new DomainError('conflict', 'the conversation is no longer waiting');
    }
    const events = await recordPickup(tx, conversation, input.userId, now);
    await tx.conversations.update(conversation.id, {
      assigneeId: input.userId,
      botActive: false,
      waitingSince: null,
      updatedAt: now,
    });
    events.push({
      name: 'conversation.assigned',
      workspaceId: conversation.workspaceId,
      occurredAt: now,
      conversationId: conversation.id,
      assigneeId: input.userId,
    });
    return { conversationId: conversation.id, events };
  });
}
