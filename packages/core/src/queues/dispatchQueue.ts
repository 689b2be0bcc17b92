// The dispatcher: offers the workspace's waiting conversations, best first, to available agents under
// each queue's strategy, one outstanding offer per conversation. Runs under the workspace's dispatch lock,
// so two processes never both count an agent's last free slot. Conversations nobody can serve are handed
// to the overflow job when their queue says so.
import type { DomainEvent } from '../events.ts';
import type { NewJob, UseCaseDeps } from '../ports.ts';
import type { AgentProfile, ConversationOffer, Queue, WaitingConversation } from './queues.ts';
import { DEFAULT_OVERFLOW_AFTER_SECONDS, DEFAULT_PICKUP_TIMEOUT_SECONDS } from './queues.ts';
import { type Candidate, isAvailable, orderWaiting, pickAgent, servesQueue } from './strategies.ts';

export interface DispatchOutcome {
  events: DomainEvent[];
  offers: ConversationOffer[];
  /** Conversations handed to the overflow job because nobody serving their queue is available. */
  unstaffed: string[];
}

/** Where a conversation without a (still existing) queue waits: `general`, else the first queue. */
export function resolveQueue(queues: readonly Queue[], queueId: string | null, workspaceId: string): Queue {
  // By id; a key is accepted too (rules seeded before their queue existed name it by key).
  const byId = queueId ? queues.find((q) => q.id === queueId || q.key === queueId) : undefined;
  if (byId) return byId;
  const fallback = queues.find((q) => q.key === 'general') ?? queues[0];
  if (fallback) return fallback;
  // No queues at all: every agent serves one open line that waits.
  return {
    id: '',
    workspaceId,
    key: 'general',
    name: 'general',
    requiredSkills: [],
    language: null,
    strategy: 'least_busy',
    pickupTimeoutSeconds: DEFAULT_PICKUP_TIMEOUT_SECONDS,
    overflowPolicy: 'wait',
    overflowAfterSeconds: DEFAULT_OVERFLOW_AFTER_SECONDS,
    position: 0,
    lastOfferedUserId: null,
    memberIds: [],
    createdAt: '',
    updatedAt: '',
  };
}

export const offerExpiryJob = (workspaceId: string, offer: ConversationOffer): NewJob => ({
  name: 'queue.offer_expired',
  payload: { workspaceId, offerId: offer.id },
  runAt: offer.expiresAt,
  idempotencyKey: `queue.offer_expired:${offer.id}`,
});

export const overflowJob = (
  workspaceId: string,
  waiting: Pick<WaitingConversation, 'conversationId' | 'waitingSince'>,
  reason: 'due' | 'unstaffed',
  runAt: string,
): NewJob => ({
  name: 'queue.overflow',
  payload: {
    workspaceId,
    conversationId: waiting.conversationId,
    waitingSince: waiting.waitingSince,
    reason,
  },
  runAt,
  idempotencyKey: `queue.overflow:${waiting.conversationId}:${waiting.waitingSince}:${reason}`,
});

export async function dispatchQueue(deps: UseCaseDeps): Promise<DispatchOutcome> {
  return deps.store.transaction(async (tx) => {
    const now = deps.clock.now();
    const at = now.toISOString();
    await tx.queues.lockDispatch(at);
    const [settings, queues, agents, held, pending, waiting] = await Promise.all([
      tx.queues.settings(),
      tx.queues.list(),
      tx.agents.list(),
      tx.agents.heldCounts(),
      tx.offers.pending(),
      tx.queueWaits.waiting(),
    ]);
    const available = agents.filter((a) => isAvailable(a, now, settings.autoAwayMinutes));
    const load = new Map<string, number>(agents.map((a) => [a.userId, held.get(a.userId) ?? 0]));
    const offered = new Set<string>();
    for (const offer of pending) {
      load.set(offer.userId, (load.get(offer.userId) ?? 0) + 1);
      offered.add(offer.conversationId);
    }
    const outcome: DispatchOutcome = { events: [], offers: [], unstaffed: [] };
    const cursor = new Map<string, string | null>(queues.map((q) => [q.id, q.lastOfferedUserId]));

    const open = await tx.queueWaits.currentOf(waiting.map((w) => w.conversationId));
    for (const conversation of orderWaiting(waiting)) {
      const queue = resolveQueue(queues, conversation.queueId, deps.store.workspaceId);
      // Normally opened when it joined (announceJoinedQueue); given back by an agent, it opens here.
      if (!open.has(conversation.conversationId)) {
        await tx.queueWaits.start({
          id: deps.newId(),
          conversationId: conversation.conversationId,
          customerId: conversation.customerId,
          queueId: queue.id || null,
          startedAt: conversation.waitingSince,
        });
      }
      // Its overflow deadline (one job per wait: the key is the wait's start).
      if (queue.overflowPolicy !== 'wait') {
        const due = new Date(Date.parse(conversation.waitingSince) + queue.overflowAfterSeconds * 1000);
        await tx.jobs.enqueue(overflowJob(deps.store.workspaceId, conversation, 'due', due.toISOString()));
      }
      if (offered.has(conversation.conversationId)) continue;
      const serving = available.filter((a) => servesQueue(a, queue));
      if (serving.length === 0) {
        if (queue.overflowPolicy !== 'wait') {
          await tx.jobs.enqueue(overflowJob(deps.store.workspaceId, conversation, 'unstaffed', at));
          outcome.unstaffed.push(conversation.conversationId);
        }
        continue;
      }
      const refused = new Set(
        await tx.offers.refusedBy(conversation.conversationId, conversation.waitingSince),
      );
      const candidates: Candidate[] = serving
        .filter((a: AgentProfile) => !refused.has(a.userId))
        .map((agent) => ({ agent, load: load.get(agent.userId) ?? 0 }))
        .filter((c) => c.load < c.agent.capacity);
      const stickyUserId =
        queue.strategy === 'sticky' ? await tx.queueWaits.lastAgentOf(conversation.customerId) : null;
      const chosen = pickAgent(queue.strategy, candidates, {
        lastOfferedUserId: cursor.get(queue.id) ?? null,
        stickyUserId,
        rotation: queue.memberIds.length > 0 ? queue.memberIds : agents.map((a) => a.userId),
      });
      if (!chosen) continue;
      const offer: ConversationOffer = {
        id: deps.newId(),
        conversationId: conversation.conversationId,
        customerId: conversation.customerId,
        queueId: queue.id || null,
        userId: chosen.agent.userId,
        status: 'pending',
        offeredAt: at,
        expiresAt: new Date(now.getTime() + queue.pickupTimeoutSeconds * 1000).toISOString(),
        respondedAt: null,
      };
      await tx.offers.create(offer);
      await tx.jobs.enqueue(offerExpiryJob(deps.store.workspaceId, offer));
      if (queue.id) {
        await tx.queues.setLastOffered(queue.id, chosen.agent.userId);
        cursor.set(queue.id, chosen.agent.userId);
      }
      load.set(chosen.agent.userId, chosen.load + 1);
      offered.add(conversation.conversationId);
      outcome.offers.push(offer);
      outcome.events.push({
        name: 'conversation.offered',
        workspaceId: deps.store.workspaceId,
        occurredAt: at,
        conversationId: offer.conversationId,
        offerId: offer.id,
        userId: offer.userId,
        queueId: offer.queueId,
        expiresAt: offer.expiresAt,
      });
    }
    return outcome;
  });
}
