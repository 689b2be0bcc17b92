// Hand-off cards as the app serves them: computed by a durable job when a conversation is handed off (a
// listener on `conversation.handed_off` enqueues it, once per hand-off whichever process hears the event),
// stored, and read back instantly; recomputed when an agent asks.
import type { Clock, EventBus, HandoffCard, JobPayloads } from '@zhike/core';
import type { ClaimedJob, Database } from '@zhike/db';
import { refreshHandoffCard } from './handoffCard.ts';
import type { HandoffSummaryWriter } from './handoffSummaryWriter.ts';

export interface HandoffCards {
  /** The stored card; null when there is none (yet). */
  get(workspaceId: string, conversationId: string): Promise<HandoffCard | null>;
  /** Computes the card from what is stored now and keeps it; null for an unknown conversation. */
  refresh(workspaceId: string, conversationId: string): Promise<HandoffCard | null>;
}

export function createHandoffCards(deps: {
  db: Database;
  clock: Clock;
  writer: HandoffSummaryWriter | null;
}): HandoffCards {
  const cardDeps = (workspaceId: string) => ({
    store: deps.db.forWorkspace(workspaceId),
    now: () => deps.clock.now(),
    writer: deps.writer,
  });
  return {
    get: (workspaceId, conversationId) => deps.db.forWorkspace(workspaceId).handoffCards.get(conversationId),
    refresh: (workspaceId, conversationId) => refreshHandoffCard(cardDeps(workspaceId), conversationId),
  };
}

/** Enqueues the card's computation on every hand-off; returns the unsubscribe function. */
export function listenForHandoffs(deps: {
  bus: EventBus;
  db: Database;
  clock: Clock;
  wakeWorker: () => void;
}): () => void {
  return deps.bus.subscribe(async (event) => {
    if (event.name !== 'conversation.handed_off') return;
    const payload: JobPayloads['handoff.card'] = {
      workspaceId: event.workspaceId,
      conversationId: event.conversationId,
    };
    await deps.db.forWorkspace(event.workspaceId).jobs.enqueue({
      name: 'handoff.card',
      payload: { ...payload },
      runAt: deps.clock.now().toISOString(),
      // With Redis every process hears the event; the key makes the hand-off's card one job.
      idempotencyKey: `handoff.card:${event.conversationId}:${event.occurredAt}`,
    });
    deps.wakeWorker();
  });
}

export function handoffCardHandler(cards: HandoffCards) {
  return async (job: ClaimedJob) => {
    const payload = job.payload as unknown as JobPayloads['handoff.card'];
    await cards.refresh(payload.workspaceId, payload.conversationId);
  };
}
