// The `sla.check` job: at a clock's warning or due time, records the 75 % warning and the breach (each
// once: compare-and-set on the clock), decides what the breach does to the ticket, and books the next
// check. The escalation itself is applied by escalateSlaBreach, after this commits.
import type { DomainEvent } from '../events.ts';
import type { JobPayloads } from '../jobs.ts';
import type { UseCaseDeps, WorkspaceRepositories } from '../ports.ts';
import type { SlaEscalationPlan } from './repository.ts';
import { slaClocksOf } from './slaCalendarClock.ts';
import { dueAlerts, type SlaClock } from './slaClock.ts';
import { raisedPriority } from './slaPolicy.ts';

/** Books a check for the earliest warning or deadline still ahead of the ticket's running clocks. */
export async function scheduleSlaCheck(
  deps: UseCaseDeps,
  tx: WorkspaceRepositories,
  ticketId: string,
  clocks: readonly SlaClock[],
): Promise<string | null> {
  const times = clocks
    .filter((c) => c.runningSince && !c.stoppedAt)
    .flatMap((c) => [c.warnedAt ? null : c.warnAt, c.breachedAt ? null : c.dueAt])
    .filter((t): t is string => t !== null)
    .sort();
  const next = times[0];
  if (!next) return null;
  const payload: JobPayloads['sla.check'] = { workspaceId: deps.store.workspaceId, ticketId };
  // The key makes re-planning the same deadline (every activity re-plans) one job.
  await tx.jobs.enqueue({
    name: 'sla.check',
    payload: { ...payload },
    runAt: next,
    idempotencyKey: `sla.check:${ticketId}:${next}`,
  });
  return next;
}

export async function checkTicketSla(
  deps: UseCaseDeps,
  input: { ticketId: string },
): Promise<{ events: DomainEvent[]; toEscalate: number }> {
  return deps.store.transaction(async (tx) => {
    const ticket = await tx.tickets.get(input.ticketId);
    if (!ticket) return { events: [], toEscalate: 0 };
    const clockFor = await slaClocksOf(tx);
    const now = deps.clock.now();
    const at = now.toISOString();
    const clocks = await tx.sla.clocks.forTicket(ticket.id);
    const events: DomainEvent[] = [];
    const base = { workspaceId: deps.store.workspaceId, occurredAt: at, ticketId: ticket.id };
    for (const c of clocks) {
      const due = dueAlerts(c, clockFor(c.businessHours), now);
      const fields = { clockId: c.id, metric: c.metric, dueAt: c.dueAt ?? at, assigneeId: ticket.assigneeId };
      if (due.warn && (await tx.sla.clocks.markWarned(c.id, at))) {
        c.warnedAt = at;
        events.push({ ...base, name: 'ticket.sla_warning', ...fields });
      }
      if (!due.breach) continue;
      const policy = await tx.sla.policies.get(c.policyId);
      const plan: SlaEscalationPlan = {
        priority: policy?.escalation.raisePriority ? raisedPriority(ticket.priority) : null,
        assigneeId: policy?.escalation.reassignToUserId ?? null,
        notifySupervisors: policy?.escalation.notifySupervisors ?? true,
      };
      // The breach happened at the deadline, whenever the check ran.
      if (await tx.sla.clocks.markBreached(c.id, c.dueAt ?? at, plan)) {
        c.breachedAt = c.dueAt ?? at;
        events.push({
          ...base,
          name: 'ticket.sla_breached',
          ...fields,
          notifySupervisors: plan.notifySupervisors,
        });
      }
    }
    await scheduleSlaCheck(deps, tx, ticket.id, clocks);
    const toEscalate = (await tx.sla.clocks.forTicket(ticket.id)).filter(
      (c) => c.escalation && !c.escalatedAt,
    ).length;
    return { events, toEscalate };
  });
}
