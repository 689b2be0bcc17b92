// An agent declines an offer: it goes to the next eligible agent at once (never back to them this wait).
import { notFound } from '../errors.ts';
import type { DomainEvent } from '../events.ts';
import type { UseCaseDeps } from '../ports.ts';
import type { RespondToOfferInput } from './acceptOffer.ts';
import { dispatchJob } from './pickUp.ts';

export async function declineOffer(
  deps: UseCaseDeps,
  input: RespondToOfferInput,
): Promise<{ events: DomainEvent[] }> {
  return deps.store.transaction(async (tx) => {
    const offer = await tx.offers.get(input.offerId);
    if (!offer || offer.userId !== input.userId) throw notFound('offer');
    const now = deps.clock.now().toISOString();
    // Already over (accepted, lapsed, taken by someone else): declining it again changes nothing.
    if (!(await tx.offers.settle(offer.id, 'declined', now))) return { events: [] };
    await tx.jobs.enqueue(dispatchJob(deps.store.workspaceId, `declined:${offer.id}`, now));
    return {
      events: [
        {
          name: 'conversation.offer_withdrawn',
          workspaceId: deps.store.workspaceId,
          occurredAt: now,
          conversationId: offer.conversationId,
          offerId: offer.id,
          userId: offer.userId,
          reason: 'declined',
        },
      ],
    };
  });
}
