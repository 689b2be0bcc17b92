// Applies what a breach decided for the ticket: a higher priority and/or another assignee. The plan holds
// absolute values (not "one step up"), and the clock is marked escalated after, so a retried job changes
// the ticket once. Supervisors hear of the breach from the `ticket.sla_breached` event itself.
import type { DomainEvent } from '../events.ts';
import type { UseCaseDeps } from '../ports.ts';
import { assignTicket } from '../tickets/assignTicket.ts';
import { ticketPriorities } from '../tickets/ticket.ts';
import { updateTicket } from '../tickets/updateTicket.ts';

const system = { type: 'system', id: null } as const;

export async function escalateSlaBreach(
  deps: UseCaseDeps,
  input: { ticketId: string },
): Promise<{ escalated: number; events: DomainEvent[] }> {
  const events: DomainEvent[] = [];
  let escalated = 0;
  const pending = (await deps.store.sla.clocks.forTicket(input.ticketId)).filter(
    (c) => c.escalation && !c.escalatedAt,
  );
  for (const clock of pending) {
    const plan = clock.escalation;
    if (!plan) continue;
    const ticket = await deps.store.tickets.get(input.ticketId);
    if (!ticket) return { escalated, events };
    const active = ticket.status !== 'closed';
    // Never lower a priority someone raised further meanwhile.
    if (
      active &&
      plan.priority &&
      ticketPriorities.indexOf(plan.priority) > ticketPriorities.indexOf(ticket.priority)
    )
      events.push(
        ...(await updateTicket(deps, { ticketId: ticket.id, priority: plan.priority, actor: system })).events,
      );
    if (active && plan.assigneeId && plan.assigneeId !== ticket.assigneeId)
      events.push(
        ...(await assignTicket(deps, { ticketId: ticket.id, assigneeId: plan.assigneeId, actor: system }))
          .events,
      );
    if (await deps.store.sla.clocks.markEscalated(clock.id, deps.clock.now().toISOString())) escalated += 1;
  }
  return { escalated, events };
}
