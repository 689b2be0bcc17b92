// Gives a ticket to a person and/or a team (or takes it away). A new ticket someone now holds is open.
import { DomainError, notFound } from '../errors.ts';
import type { DomainEvent } from '../events.ts';
import type { UseCaseDeps } from '../ports.ts';
import { notifyCustomerJob, type TicketActor } from './openTicket.ts';
import type { TicketPatch } from './repository.ts';
import type { Ticket } from './ticket.ts';

export interface AssignTicketInput {
  ticketId: string;
  assigneeId: string | null;
  /** undefined keeps the team. */
  queueId?: string | null;
  actor: TicketActor;
}

export async function assignTicket(
  deps: UseCaseDeps,
  input: AssignTicketInput,
): Promise<{ ticket: Ticket; events: DomainEvent[] }> {
  return deps.store.transaction(async (tx) => {
    const ticket = await tx.tickets.get(input.ticketId);
    if (!ticket) throw notFound('ticket');
    if (ticket.status === 'closed') throw new DomainError('conflict', 'a closed ticket cannot be reassigned');
    if (input.assigneeId && !(await tx.users.get(input.assigneeId))) throw notFound('assignee');
    if (input.queueId && !(await tx.queues.get(input.queueId))) throw notFound('team');
    const queueId = input.queueId === undefined ? ticket.queueId : input.queueId;
    if (ticket.assigneeId === input.assigneeId && ticket.queueId === queueId) return { ticket, events: [] };
    const now = deps.clock.now().toISOString();
    const patch: TicketPatch = { assigneeId: input.assigneeId, queueId, updatedAt: now };
    const opens = ticket.status === 'new' && input.assigneeId !== null;
    if (opens) patch.status = 'open';
    if (!(await tx.tickets.update(ticket.id, patch, ticket.status)))
      throw new DomainError('conflict', 'the ticket changed meanwhile; reload it');
    await tx.tickets.addEntry({
      id: deps.newId(),
      ticketId: ticket.id,
      kind: 'assignment',
      authorType: input.actor.type,
      authorId: input.actor.id,
      body: null,
      data: { from: ticket.assigneeId, to: input.assigneeId, queueFrom: ticket.queueId, queueTo: queueId },
      mentions: [],
      messageId: null,
      sourceKey: null,
      createdAt: now,
    });
    if (input.assigneeId) await tx.tickets.watchers.add(ticket.id, input.assigneeId, now);
    if (opens) await tx.jobs.enqueue(notifyCustomerJob(deps.store.workspaceId, ticket.id, now));
    const base = { workspaceId: deps.store.workspaceId, occurredAt: now, ticketId: ticket.id };
    const events: DomainEvent[] = [
      { ...base, name: 'ticket.assigned', assigneeId: input.assigneeId, queueId, ruleId: null },
    ];
    if (opens)
      events.push({
        ...base,
        name: 'ticket.status_changed',
        from: 'new',
        to: 'open',
        pendingReason: null,
        actorType: input.actor.type,
        actorId: input.actor.id,
      });
    return { ticket: { ...ticket, ...patch }, events };
  });
}
