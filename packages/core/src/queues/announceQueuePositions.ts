// Tells waiting customers where they stand: a message in the workspace's language when they join the
// line (in the transaction that queues them), then live updates (event → widget bar) whenever their place or estimated wait changes enough
// to matter: a different position, or an estimate a minute or more away from the last one told.
import { postOutgoingMessage } from '../conversations/postOutgoingMessage.ts';
import type { DomainEvent } from '../events.ts';
import { customerLocale } from '../languages/customerLocale.ts';
import type { Conversation, Locale } from '../model.ts';
import type { UseCaseDeps, WorkspaceRepositories } from '../ports.ts';
import { resolveQueue } from './dispatchQueue.ts';
import { estimateWaitSeconds, PICKUP_SAMPLE, PICKUP_WINDOW_MS, waitMinutes } from './estimateWait.ts';
import type { WaitingConversation } from './queues.ts';
import { isAvailable, orderWaiting, servesQueue } from './strategies.ts';

const joined: Record<Locale, (position: number, seconds: number | null) => string> = {
  'zh-CN': (p, s) =>
    s === null
      ? `您已进入人工客服排队，当前排在第 ${p} 位，客服上线后会尽快接待您。`
      : `您已进入人工客服排队，当前排在第 ${p} 位，预计等待约 ${waitMinutes(s)} 分钟。`,
  'en-US': (p, s) =>
    s === null
      ? `You're in line for our team: number ${p}. Someone will be with you as soon as they're available.`
      : `You're in line for our team: number ${p}, about ${waitMinutes(s)} min to wait.`,
};

/** A change the customer should hear about. */
export const meaningfulChange = (
  before: { position: number | null; waitSeconds: number | null },
  now: { position: number; waitSeconds: number | null },
): boolean =>
  before.position !== now.position ||
  (before.waitSeconds === null) !== (now.waitSeconds === null) ||
  (before.waitSeconds !== null &&
    now.waitSeconds !== null &&
    Math.abs(before.waitSeconds - now.waitSeconds) >= 60);

export interface QueuePlace {
  conversationId: string;
  queueId: string | null;
  position: number;
  waitSeconds: number | null;
}

/** Every waiting conversation's place in its queue and estimated wait, as the repositories see them. */
export async function queuePlaces(
  repos: WorkspaceRepositories,
  workspaceId: string,
  now: Date,
): Promise<QueuePlace[]> {
  const [settings, queues, agents, held, pending, waiting] = await Promise.all([
    repos.queues.settings(),
    repos.queues.list(),
    repos.agents.list(),
    repos.agents.heldCounts(),
    repos.offers.pending(),
    repos.queueWaits.waiting(),
  ]);
  const load = new Map<string, number>();
  for (const [userId, n] of held) load.set(userId, n);
  for (const offer of pending) load.set(offer.userId, (load.get(offer.userId) ?? 0) + 1);
  const byQueue = new Map<string, WaitingConversation[]>();
  for (const w of waiting) {
    const key = resolveQueue(queues, w.queueId, workspaceId).id;
    byQueue.set(key, [...(byQueue.get(key) ?? []), w]);
  }
  const places: QueuePlace[] = [];
  const since = new Date(now.getTime() - PICKUP_WINDOW_MS).toISOString();
  for (const [queueId, line] of byQueue) {
    const queue = resolveQueue(queues, queueId || null, workspaceId);
    const serving = agents.filter(
      (a) => isAvailable(a, now, settings.autoAwayMinutes) && servesQueue(a, queue),
    );
    const totalSlots = serving.reduce((sum, a) => sum + a.capacity, 0);
    const freeSlots = serving.reduce(
      (sum, a) => sum + Math.max(0, a.capacity - (load.get(a.userId) ?? 0)),
      0,
    );
    const recent = await repos.queueWaits.recentPickupSeconds(queue.id || null, since, PICKUP_SAMPLE);
    orderWaiting(line).forEach((w, i) => {
      places.push({
        conversationId: w.conversationId,
        queueId: queue.id || null,
        position: i + 1,
        waitSeconds: estimateWaitSeconds({
          position: i + 1,
          recentPickupSeconds: recent,
          pickupTimeoutSeconds: queue.pickupTimeoutSeconds,
          freeSlots,
          totalSlots,
        }),
      });
    });
  }
  return places;
}

/**
 * A conversation has just joined the line (inside the transaction that queued it): its wait opens and
 * the customer is told their place and estimated wait, in order right after the hand-off notice.
 */
export async function announceJoinedQueue(
  deps: UseCaseDeps,
  tx: WorkspaceRepositories,
  conversation: Conversation,
): Promise<DomainEvent[]> {
  if (!conversation.waitingSince || (await tx.queueWaits.current(conversation.id))) return [];
  const now = deps.clock.now();
  const at = now.toISOString();
  const place = (await queuePlaces(tx, deps.store.workspaceId, now)).find(
    (p) => p.conversationId === conversation.id,
  );
  if (!place) return [];
  const waitId = deps.newId();
  await tx.queueWaits.start({
    id: waitId,
    conversationId: conversation.id,
    customerId: conversation.customerId,
    queueId: place.queueId,
    startedAt: conversation.waitingSince,
  });
  await tx.queueWaits.announce(waitId, place.position, place.waitSeconds, at);
  const events: DomainEvent[] = [];
  const inbox = await tx.inboxes.get(conversation.inboxId);
  if (inbox) {
    const locale = await customerLocale(tx, conversation.customerId, (await tx.workspace.get()).locale);
    const { event } = await postOutgoingMessage(deps, tx, conversation, inbox, {
      author: 'system',
      authorUserId: null,
      text: joined[locale](place.position, place.waitSeconds),
    });
    events.push(event);
  }
  events.push({
    name: 'queue.position_changed',
    workspaceId: conversation.workspaceId,
    occurredAt: at,
    conversationId: conversation.id,
    customerId: conversation.customerId,
    queueId: place.queueId,
    position: place.position,
    waitSeconds: place.waitSeconds,
  });
  return events;
}

/** Live updates for everyone in line whose place or estimate changed enough (the widget's bar). */
export async function announceQueuePositions(deps: UseCaseDeps): Promise<{ events: DomainEvent[] }> {
  const places = await queuePlaces(deps.store, deps.store.workspaceId, deps.clock.now());
  const events: DomainEvent[] = [];
  const waits = await deps.store.queueWaits.currentOf(places.map((p) => p.conversationId));
  for (const place of places) {
    const wait = waits.get(place.conversationId);
    if (!wait) continue; // opened when it joined; a conversation queued before migration 0014 has none
    const before = { position: wait.announcedPosition, waitSeconds: wait.announcedWaitSeconds };
    if (wait.announcedAt !== null && !meaningfulChange(before, place)) continue;
    const conversation = await deps.store.conversations.get(place.conversationId);
    if (!conversation?.waitingSince || conversation.assigneeId) continue;
    const at = deps.clock.now().toISOString();
    await deps.store.queueWaits.announce(wait.id, place.position, place.waitSeconds, at);
    events.push({
      name: 'queue.position_changed',
      workspaceId: conversation.workspaceId,
      occurredAt: at,
      conversationId: conversation.id,
      customerId: conversation.customerId,
      queueId: place.queueId,
      position: place.position,
      waitSeconds: place.waitSeconds,
    });
  }
  return { events };
}
