// Edits what a ticket is about: subject, type, category, priority, custom fields, linked orders.
import { DomainError, notFound } from '../errors.ts';
import type { DomainEvent } from '../events.ts';
import type { UseCaseDeps } from '../ports.ts';
import { validateCustomFields } from './customFields.ts';
import type { TicketActor } from './openTicket.ts';
import type { TicketPatch } from './repository.ts';
import { type CustomFieldValue, TICKET_LIMITS, type Ticket, type TicketPriority } from './ticket.ts';

export interface UpdateTicketInput {
  ticketId: string;
  subject?: string;
  type?: string;
  category?: string | null;
  priority?: TicketPriority;
  /** Merged into the ticket's values; an empty string clears a field. */
  customFields?: Record<string, CustomFieldValue>;
  orderNumbers?: string[];
  actor: TicketActor;
}

const invalid = (message: string) => new DomainError('validation_failed', message);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export async function updateTicket(
  deps: UseCaseDeps,
  input: UpdateTicketInput,
): Promise<{ ticket: Ticket; events: DomainEvent[] }> {
  return deps.store.transaction(async (tx) => {
    const ticket = await tx.tickets.get(input.ticketId);
    if (!ticket) throw notFound('ticket');
    if (ticket.status === 'closed') throw new DomainError('conflict', 'a closed ticket cannot be edited');
    const next: Partial<Ticket> = {};
    if (input.subject !== undefined) {
      const subject = input.subject.trim();
      if (!subject || [...subject].length > TICKET_LIMITS.subjectLength)
        throw invalid('subject is empty or too long');
      next.subject = subject;
    }
    if (input.type !== undefined) next.type = input.type;
    if (input.category !== undefined) next.category = input.category?.trim() || null;
    if (input.priority !== undefined) next.priority = input.priority;
    if (input.customFields !== undefined)
      next.customFields = validateCustomFields(await tx.tickets.fieldDefinitions.list(), input.customFields, {
        current: ticket.customFields,
        requireAll: false,
      });
    if (input.orderNumbers !== undefined) {
      const numbers = [...new Set(input.orderNumbers.map((n) => n.trim().toUpperCase()).filter(Boolean))];
      if (numbers.length > TICKET_LIMITS.orderNumbers) throw invalid('too many linked orders');
      next.orderNumbers = numbers;
    }
    const changed = (Object.keys(next) as (keyof Ticket)[]).filter((k) => !same(next[k], ticket[k]));
    if (changed.length === 0) return { ticket, events: [] };
    const now = deps.clock.now().toISOString();
    const patch: TicketPatch = { updatedAt: now };
    for (const key of changed) Object.assign(patch, { [key]: next[key] });
    if (!(await tx.tickets.update(ticket.id, patch, ticket.status)))
      throw new DomainError('conflict', 'the ticket changed meanwhile; reload it');
    const priority = changed.includes('priority')
      ? { from: ticket.priority, to: next.priority as TicketPriority }
      : null;
    await tx.tickets.addEntry({
      id: deps.newId(),
      ticketId: ticket.id,
      kind:
        priority && changed.length === 1
          ? 'priority'
          : changed.includes('orderNumbers') && changed.length === 1
            ? 'orders'
            : 'fields',
      authorType: input.actor.type,
      authorId: input.actor.id,
      body: null,
      // Names of what changed, and the non-personal values (priority, type, category, orders).
      data: {
        changed,
        ...(priority ? { priority } : {}),
        ...(changed.includes('type') ? { type: next.type } : {}),
        ...(changed.includes('category') ? { category: next.category } : {}),
        ...(changed.includes('orderNumbers') ? { orderNumbers: next.orderNumbers } : {}),
      },
      mentions: [],
      messageId: null,
      sourceKey: null,
      createdAt: now,
    });
    const events: DomainEvent[] = [
      {
        name: 'ticket.updated',
        workspaceId: deps.store.workspaceId,
        occurredAt: now,
        ticketId: ticket.id,
        changed,
        priority,
      },
    ];
    return { ticket: { ...ticket, ...next, updatedAt: now }, events };
  });
}
