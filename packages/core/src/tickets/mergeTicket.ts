// Merges a duplicate ticket into the one that carries on: the duplicate is closed with a timeline entry
// pointing at the survivor, the survivor records where it came from, and what people work with moves
// over — watchers, linked orders, open complaints, and the conversation when the survivor has none.
//
// The duplicate's comments are referenced, not copied: its timeline stays where it happened (the entries
// are sealed with its customer's key, and copying would duplicate personal text under another ticket),
// and the survivor's detail lists its merged duplicates one click away. The customer is not told of the
// duplicate's closing (merged tickets are skipped by the notifier and it is marked as told); they hear
// about the survivor. Tickets of different customers are refused unless `force`: a duplicate usually
// comes from the same person, and merging two people's problems by mistake hides one of them.
import { DomainError, notFound } from '../errors.ts';
import type { DomainEvent } from '../events.ts';
import type { UseCaseDeps } from '../ports.ts';
import type { TicketActor } from './openTicket.ts';
import { TICKET_LIMITS, type Ticket } from './ticket.ts';

export interface MergeTicketInput {
  /** The duplicate, which gets closed. */
  ticketId: string;
  /** The ticket that carries on. */
  intoId: string;
  /** Merge even when the two tickets are for different customers. */
  force?: boolean;
  /** Why, kept on the duplicate's closing entry. */
  note?: string | null;
  actor: TicketActor;
}

export interface MergeTicketOutput {
  ticket: Ticket;
  into: Ticket;
  events: DomainEvent[];
}

export async function mergeTicket(deps: UseCaseDeps, input: MergeTicketInput): Promise<MergeTicketOutput> {
  if (input.ticketId === input.intoId)
    throw new DomainError('validation_failed', 'a ticket cannot be merged into itself');
  const note = input.note?.trim() || null;
  if (note && [...note].length > TICKET_LIMITS.bodyLength)
    throw new DomainError('validation_failed', 'note is too long');
  return deps.store.transaction(async (tx) => {
    const [source, target] = await Promise.all([
      tx.tickets.get(input.ticketId),
      tx.tickets.get(input.intoId),
    ]);
    if (!source) throw notFound('ticket');
    if (!target) throw notFound('target ticket');
    if (source.mergedIntoId) throw new DomainError('conflict', 'this ticket was merged already');
    if (source.status === 'closed') throw new DomainError('conflict', 'a closed ticket cannot be merged');
    if (target.mergedIntoId || target.status === 'closed')
      throw new DomainError('conflict', 'the target ticket is closed; merge into an active one');
    if (source.customerId && target.customerId && source.customerId !== target.customerId && !input.force)
      throw new DomainError(
        'conflict',
        'the tickets are for different customers; merge anyway with force: true',
      );
    const now = deps.clock.now().toISOString();

    const closed = await tx.tickets.update(
      source.id,
      { status: 'closed', pendingReason: null, closedAt: now, mergedIntoId: target.id, updatedAt: now },
      source.status,
    );
    if (!closed) throw new DomainError('conflict', 'the ticket changed meanwhile; reload it');
    // Told already, as far as the notifier is concerned: a retried job never announces the closing.
    await tx.tickets.markNotified(source.id, 'closed');

    const orderNumbers = [...new Set([...target.orderNumbers, ...source.orderNumbers])].slice(
      0,
      TICKET_LIMITS.orderNumbers,
    );
    // The conversation comes along only when the survivor has none and it is the same customer's.
    const conversationId =
      !target.conversationId && source.conversationId && source.customerId === target.customerId
        ? source.conversationId
        : target.conversationId;
    const carried = {
      orderNumbers: orderNumbers.length !== target.orderNumbers.length,
      conversation: conversationId !== target.conversationId,
    };
    await tx.tickets.update(target.id, {
      updatedAt: now,
      ...(carried.orderNumbers ? { orderNumbers } : {}),
      ...(carried.conversation ? { conversationId } : {}),
    });
    const watchers = await tx.tickets.watchers.list(source.id);
    for (const userId of watchers) await tx.tickets.watchers.add(target.id, userId, now);
    // Open complaints follow the work: closing the duplicate must not close them unconfirmed.
    for (const complaint of await tx.complaints.openForTicket(source.id))
      await tx.complaints.linkTicket(complaint.id, target.id);

    const entry = (ticketId: string, data: Record<string, unknown>, body: string | null, key: string) =>
      tx.tickets.addEntry({
        id: deps.newId(),
        ticketId,
        kind: 'merge',
        authorType: input.actor.type,
        authorId: input.actor.id,
        body,
        data,
        mentions: [],
        messageId: null,
        sourceKey: key,
        createdAt: now,
      });
    await entry(
      source.id,
      { mergedIntoId: target.id, intoNumber: target.number, from: source.status, to: 'closed' },
      note,
      `merge:${source.id}:into`,
    );
    await entry(
      target.id,
      {
        mergedFromId: source.id,
        fromNumber: source.number,
        conversationId: carried.conversation ? conversationId : null,
        orderNumbers: carried.orderNumbers ? orderNumbers : null,
        watchers,
      },
      null,
      `merge:${source.id}:from`,
    );

    const base = { workspaceId: deps.store.workspaceId, occurredAt: now };
    const events: DomainEvent[] = [
      // The duplicate's SLA clocks stop like on any closing.
      {
        ...base,
        name: 'ticket.status_changed',
        ticketId: source.id,
        from: source.status,
        to: 'closed',
        pendingReason: null,
        actorType: input.actor.type,
        actorId: input.actor.id,
      },
      { ...base, name: 'ticket.merged', ticketId: source.id, intoTicketId: target.id },
    ];
    return {
      ticket: {
        ...source,
        status: 'closed',
        pendingReason: null,
        closedAt: now,
        mergedIntoId: target.id,
        updatedAt: now,
      },
      into: { ...target, orderNumbers, conversationId, updatedAt: now },
      events,
    };
  });
}
