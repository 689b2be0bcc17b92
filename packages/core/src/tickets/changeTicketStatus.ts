// Moves a ticket along its lifecycle (new → open → pending → solved → closed; solved reopens), with the
// pending reason and an optional note on how it was solved. A concurrent move makes this one a conflict.
import { DomainError, notFound } from '../errors.ts';
import type { DomainEvent } from '../events.ts';
import type { UseCaseDeps } from '../ports.ts';
import { notifyCustomerJob, type TicketActor } from './openTicket.ts';
import type { TicketPatch } from './repository.ts';
import {
  canMoveTicket,
  type PendingReason,
  TICKET_LIMITS,
  type Ticket,
  type TicketStatus,
} from './ticket.ts';

export interface ChangeTicketStatusInput {
  ticketId: string;
  status: TicketStatus;
  /** Required when moving to pending. */
  pendingReason?: PendingReason | null;
  /** An internal note kept with the change (e.g. how it was solved). */
  note?: string | null;
  actor: TicketActor;
  /** Same key, same change (a retried job). */
  sourceKey?: string | null;
}

export async function changeTicketStatus(
  deps: UseCaseDeps,
  input: ChangeTicketStatusInput,
): Promise<{ ticket: Ticket; events: DomainEvent[] }> {
  const note = input.note?.trim() || null;
  if (note && [...note].length > TICKET_LIMITS.bodyLength)
    throw new DomainError('validation_failed', 'note is too long');
  if (input.status === 'pending' && !input.pendingReason)
    throw new DomainError('validation_failed', 'a pending ticket needs a reason (customer or third_party)');
  const pendingReason = input.status === 'pending' ? (input.pendingReason ?? null) : null;
  return deps.store.transaction(async (tx) => {
    const ticket = await tx.tickets.get(input.ticketId);
    if (!ticket) throw notFound('ticket');
    if (ticket.status === input.status && ticket.pendingReason === pendingReason)
      return { ticket, events: [] };
    if (ticket.status !== input.status && !canMoveTicket(ticket.status, input.status))
      throw new DomainError('conflict', `a ${ticket.status} ticket cannot become ${input.status}`);
    const now = deps.clock.now().toISOString();
    const patch: TicketPatch = { status: input.status, pendingReason, updatedAt: now };
    if (input.status === 'solved') patch.solvedAt = now;
    if (input.status === 'closed') patch.closedAt = now;
    if (input.status === 'open' && ticket.status === 'solved') patch.solvedAt = null;
    if (!(await tx.tickets.update(ticket.id, patch, ticket.status)))
      throw new DomainError('conflict', 'the ticket changed meanwhile; reload it');
    const entryKey = input.sourceKey ? `status:${input.sourceKey}` : null;
    await tx.tickets.addEntry({
      id: deps.newId(),
      ticketId: ticket.id,
      kind: 'status',
      authorType: input.actor.type,
      authorId: input.actor.id,
      body: note,
      data: { from: ticket.status, to: input.status, pendingReason },
      mentions: [],
      messageId: null,
      sourceKey: entryKey,
      createdAt: now,
    });
    await tx.jobs.enqueue(notifyCustomerJob(deps.store.workspaceId, ticket.id, now));
    const events: DomainEvent[] = [
      {
        name: 'ticket.status_changed',
        workspaceId: deps.store.workspaceId,
        occurredAt: now,
        ticketId: ticket.id,
        from: ticket.status,
        to: input.status,
        pendingReason,
        actorType: input.actor.type,
        actorId: input.actor.id,
      },
    ];
    return { ticket: { ...ticket, ...patch, status: input.status, pendingReason }, events };
  });
}
