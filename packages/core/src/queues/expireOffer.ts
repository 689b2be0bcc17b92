// An offer's pickup deadline passed with no answer: the offer lapses, supervisors are alerted (event and a
// note for agents on the conversation), and the conversation goes to the next eligible agent.

import { postOutgoingMessage } from '../conversations/postOutgoingMessage.ts';
import type { DomainEvent } from '../events.ts';
import type { Locale } from '../model.ts';
import type { UseCaseDeps } from '../ports.ts';
import { dispatchJob } from './pickUp.ts';

const note: Record<Locale, (agent: string, seconds: number) => string> = {
  'zh-CN': (agent, seconds) => `${agent} 未在 ${seconds} 秒内接起，已转给下一位坐席。`,
  'en-US': (agent, seconds) => `${agent} did not pick up within ${seconds} s; offered to the next agent.`,
};

export async function expireOffer(
  deps: UseCaseDeps,
  input: { offerId: string },
): Promise<{ expired: boolean; events: DomainEvent[] }> {
  return deps.store.transaction(async (tx) => {
    const offer = await tx.offers.get(input.offerId);
    const now = deps.clock.now();
    const at = now.toISOString();
    // Answered already, or (a clock skew between processes) not due yet: the job has nothing to do.
    if (offer?.status !== 'pending' || Date.parse(offer.expiresAt) > now.getTime())
      return { expired: false, events: [] };
    if (!(await tx.offers.settle(offer.id, 'expired', at))) return { expired: false, events: [] };
    const events: DomainEvent[] = [
      {
        name: 'conversation.offer_withdrawn',
        workspaceId: deps.store.workspaceId,
        occurredAt: at,
        conversationId: offer.conversationId,
        offerId: offer.id,
        userId: offer.userId,
        reason: 'expired',
      },
      {
        name: 'queue.pickup_missed',
        workspaceId: deps.store.workspaceId,
        occurredAt: at,
        conversationId: offer.conversationId,
        offerId: offer.id,
        userId: offer.userId,
        queueId: offer.queueId,
      },
    ];
    const conversation = await tx.conversations.get(offer.conversationId);
    const inbox = conversation && (await tx.inboxes.get(conversation.inboxId));
    if (conversation && inbox) {
      const [workspace, agent] = await Promise.all([tx.workspace.get(), tx.users.get(offer.userId)]);
      const seconds = Math.round((Date.parse(offer.expiresAt) - Date.parse(offer.offeredAt)) / 1000);
      const { event } = await postOutgoingMessage(deps, tx, conversation, inbox, {
        author: 'system',
        authorUserId: null,
        text: note[workspace.locale](agent?.name ?? offer.userId, seconds),
        metadata: { internal: true },
      });
      events.push(event);
    }
    await tx.jobs.enqueue(dispatchJob(deps.store.workspaceId, `expired:${offer.id}`, at));
    return { expired: true, events };
  });
}
