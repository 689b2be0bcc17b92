// SLA clocks on the durable scheduler: ticket events become `sla.track` jobs (one per event, whichever
// processes hear it), and `sla.check` jobs fire warnings and breaches at their deadlines, then apply the
// breach's escalation. Handlers call core use cases and publish what they produced after commit.
import {
  type Clock,
  checkTicketSla,
  type DomainEvent,
  type EventBus,
  escalateSlaBreach,
  type JobPayloads,
  type SlaActivity,
  trackTicketSla,
  type UseCaseDeps,
} from '@zhike/core';
import type { ClaimedJob, Database } from '@zhike/db';
import type { Logger } from 'pino';
import type { JobHandler } from '../jobs/worker.ts';

interface SlaDeps {
  db: Database;
  bus: EventBus;
  clock: Clock;
  newId: () => string;
  log: Logger;
  wakeWorker: () => void;
}

/** What a ticket event means to its SLA clocks; null when nothing. */
export function slaActivityOf(
  event: DomainEvent,
): { ticketId: string; activity: SlaActivity; key: string } | null {
  switch (event.name) {
    case 'ticket.created':
      return { ticketId: event.ticketId, activity: { kind: 'created' }, key: 'created' };
    case 'ticket.status_changed':
      return {
        ticketId: event.ticketId,
        activity: { kind: 'status_changed', from: event.from, to: event.to },
        key: `status:${event.from}:${event.to}:${event.occurredAt}`,
      };
    case 'ticket.updated':
      // Targets follow the priority and category (SLA policies match on them); other edits do not matter.
      if (!event.priority && !event.changed.includes('category')) return null;
      return {
        ticketId: event.ticketId,
        activity: { kind: 'facts_changed' },
        key: `facts:${event.occurredAt}`,
      };
    case 'ticket.commented':
      // Internal notes are not answers; the customer's own replies restart the next-response clock.
      if (event.visibility !== 'public') return null;
      if (event.authorType !== 'user' && event.authorType !== 'customer') return null;
      return {
        ticketId: event.ticketId,
        activity: { kind: 'replied', by: event.authorType === 'user' ? 'agent' : 'customer' },
        key: `reply:${event.entryId}`,
      };
    default:
      return null;
  }
}

/** Turns ticket events into `sla.track` jobs. Returns the unsubscribe function. */
export function listenForSlaActivity(deps: SlaDeps): () => void {
  return deps.bus.subscribe(async (event) => {
    const found = slaActivityOf(event);
    if (!found) return;
    const payload: JobPayloads['sla.track'] = {
      workspaceId: event.workspaceId,
      ticketId: found.ticketId,
      activity: found.activity,
      at: event.occurredAt,
    };
    await deps.db.forWorkspace(event.workspaceId).jobs.enqueue({
      name: 'sla.track',
      payload: { ...payload },
      runAt: deps.clock.now().toISOString(),
      // With Redis every process hears the event; the key makes it one job.
      idempotencyKey: `sla.track:${found.ticketId}:${found.key}`,
    });
    deps.wakeWorker();
  });
}

export function slaJobHandlers(deps: SlaDeps): Record<'sla.track' | 'sla.check', JobHandler> {
  const useCaseDeps = (workspaceId: string): UseCaseDeps => ({
    store: deps.db.forWorkspace(workspaceId),
    clock: deps.clock,
    newId: deps.newId,
  });
  const publish = async (events: DomainEvent[]) => {
    if (events.length === 0) return;
    deps.wakeWorker();
    try {
      await deps.bus.publish(events);
    } catch (error) {
      deps.log.error({ err: error, events: events.map((e) => e.name) }, 'event publish failed');
    }
  };
  return {
    'sla.track': async (job: ClaimedJob) => {
      const { workspaceId, ticketId, activity, at } = job.payload as unknown as JobPayloads['sla.track'];
      const tracked = await trackTicketSla(useCaseDeps(workspaceId), { ticketId, activity, at });
      await publish(tracked.events);
      deps.wakeWorker();
    },
    'sla.check': async (job: ClaimedJob) => {
      const { workspaceId, ticketId } = job.payload as unknown as JobPayloads['sla.check'];
      const d = useCaseDeps(workspaceId);
      const checked = await checkTicketSla(d, { ticketId });
      await publish(checked.events);
      // A breach recorded by an earlier run that died before escalating is escalated now.
      if (checked.toEscalate > 0) await publish((await escalateSlaBreach(d, { ticketId })).events);
    },
  };
}
