// What every way of taking a waiting conversation has in common (accepting an offer, assigning it, just
// replying): its outstanding offer is settled — accepted by its agent, withdrawn from anyone else — and
// its wait ends as picked up, which is the history estimated waits are computed from.
import type { DomainEvent } from '../events.ts';
import type { Conversation } from '../model.ts';
import type { NewJob, WorkspaceRepositories } from '../ports.ts';

/** A dispatch run after a change that may free a slot or move people up the line. */
export const dispatchJob = (workspaceId: string, reason: string, at: string): NewJob => ({
  name: 'queue.dispatch',
  payload: { workspaceId },
  runAt: at,
  idempotencyKey: `queue.dispatch:${workspaceId}:${reason}`,
});

export async function recordPickup(
  tx: WorkspaceRepositories,
  conversation: Conversation,
  userId: string,
  at: string,
): Promise<DomainEvent[]> {
  const events: DomainEvent[] = [];
  const offer = await tx.offers.pendingFor(conversation.id);
  if (offer) {
    const mine = offer.userId === userId;
    if ((await tx.offers.settle(offer.id, mine ? 'accepted' : 'withdrawn', at)) && !mine) {
      events.push({
        name: 'conversation.offer_withdrawn',
        workspaceId: conversation.workspaceId,
        occurredAt: at,
        conversationId: conversation.id,
        offerId: offer.id,
        userId: offer.userId,
        reason: 'picked_up_elsewhere',
      });
    }
  }
  if (conversation.waitingSince) {
    await tx.queueWaits.end(conversation.id, 'picked_up', at);
    // Everyone behind moves up one: tell them, and offer on.
    await tx.jobs.enqueue(dispatchJob(conversation.workspaceId, `picked_up:${conversation.id}:${at}`, at));
  }
  return events;
}

/** The conversation stops waiting without a pickup (resolved, or the customer left): its offer lapses. */
export async function abandonWait(
  tx: WorkspaceRepositories,
  conversation: Conversation,
  at: string,
): Promise<DomainEvent[]> {
  const events: DomainEvent[] = [];
  const offer = await tx.offers.pendingFor(conversation.id);
  if (offer && (await tx.offers.settle(offer.id, 'withdrawn', at))) {
    events.push({
      name: 'conversation.offer_withdrawn',
      workspaceId: conversation.workspaceId,
      occurredAt: at,
      conversationId: conversation.id,
      offerId: offer.id,
      userId: offer.userId,
      reason: 'picked_up_elsewhere',
    });
  }
  await tx.queueWaits.end(conversation.id, 'left', at);
  return events;
}
