// Every conversation and call is scored when it ends: a resolved conversation or an ended call becomes a
// durable `quality.inspect` job. Every process hears every event (Redis), so the job's key — the subject
// and the moment it ended — makes one job of them; a conversation reopened and resolved again ends at
// another moment and is scored again.
import type { Clock, DomainEvent, EventBus, JobPayloads } from '@zhike/core';
import type { Database } from '@zhike/db';
import type { Logger } from 'pino';

export function inspectionOf(event: DomainEvent): JobPayloads['quality.inspect'] | null {
  if (event.name === 'conversation.resolved')
    return {
      workspaceId: event.workspaceId,
      subject: 'conversation',
      subjectId: event.conversationId,
      endedAt: event.occurredAt,
    };
  if (event.name === 'call.ended')
    return {
      workspaceId: event.workspaceId,
      subject: 'call',
      subjectId: event.callId,
      endedAt: event.occurredAt,
    };
  return null;
}

export function listenForQualityInspection(deps: {
  bus: EventBus;
  db: Database;
  clock: Clock;
  log: Logger;
  wakeWorker: () => void;
}): () => void {
  return deps.bus.subscribe(async (event) => {
    const payload = inspectionOf(event);
    if (!payload) return;
    try {
      await deps.db.forWorkspace(payload.workspaceId).jobs.enqueue({
        name: 'quality.inspect',
        payload: { ...payload },
        runAt: deps.clock.now().toISOString(),
        idempotencyKey: `quality.inspect:${payload.subject}:${payload.subjectId}:${payload.endedAt}`,
      });
      deps.wakeWorker();
    } catch (err) {
      deps.log.error({ err, event: event.name }, 'quality inspection not queued');
    }
  });
}
