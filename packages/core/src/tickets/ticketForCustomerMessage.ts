// A customer message in an inbox that files tickets (an email inbox with `createTickets`): the first
// message of a thread opens a ticket linked to its conversation; later ones are the customer's replies on
// the ticket still in play (its timeline and SLA see them; the reopen rule in reopenOnCustomerReply.ts
// decides whether it reopens). Once the conversation's tickets are all closed, the next message opens a
// new one, as a closed ticket is final. Idempotent per message: a redelivered event does nothing twice.
import type { DomainEvent } from '../events.ts';
import type { UseCaseDeps } from '../ports.ts';
import { openTicket } from './openTicket.ts';
import { withSurvivors } from './reopenOnCustomerReply.ts';
import { TICKET_LIMITS, type TicketPriority, type TicketSource } from './ticket.ts';

export interface TicketForCustomerMessageInput {
  conversationId: string;
  messageId: string;
  source: TicketSource;
  defaults: { type: string; category: string | null; priority: TicketPriority };
}

export interface TicketForCustomerMessageOutput {
  ticketId: string | null;
  /** opened: a new ticket; replied: the message was added to the ticket in play. */
  outcome: 'opened' | 'replied' | 'none';
  events: DomainEvent[];
}

/** The subject a message gives a ticket: its first non-empty line (a first mail starts with its subject). */
export const subjectOfMessage = (text: string): string => {
  const line =
    text
      .split('\n')
      .find((l) => l.trim())
      ?.trim() ?? '';
  return [...line].slice(0, TICKET_LIMITS.subjectLength).join('');
};

export async function ticketForCustomerMessage(
  deps: UseCaseDeps,
  input: TicketForCustomerMessageInput,
): Promise<TicketForCustomerMessageOutput> {
  const none: TicketForCustomerMessageOutput = { ticketId: null, outcome: 'none', events: [] };
  const message = await deps.store.messages.get(input.messageId);
  if (message?.author !== 'customer' || message.conversationId !== input.conversationId) return none;
  // A survey's score ("5") is about the service, not a new request or a reply on the ticket.
  if (message.metadata?.surveyAnswer) return none;
  const tickets = await deps.store.tickets.list({ limit: 20, conversationId: input.conversationId });
  // The message that opened a ticket is already its first line: nothing to add.
  const openedBy = `message:${input.messageId}`;
  if (await deps.store.tickets.findBySourceKey(openedBy)) return none;
  // A duplicate merged away sends the reply to the ticket it went into.
  const inPlay = (await withSurvivors(deps.store.tickets, tickets)).find((t) => t.status !== 'closed');

  if (!inPlay) {
    const text = message.text.trim();
    const result = await openTicket(deps, {
      subject: subjectOfMessage(text) || input.defaults.type,
      description: text ? [...text].slice(0, TICKET_LIMITS.bodyLength).join('') : null,
      type: input.defaults.type,
      category: input.defaults.category,
      priority: input.defaults.priority,
      conversationId: input.conversationId,
      source: input.source,
      actor: { type: 'system', id: null },
      sourceKey: openedBy,
    });
    return { ticketId: result.ticket.id, outcome: result.created ? 'opened' : 'none', events: result.events };
  }

  return deps.store.transaction(async (tx) => {
    const now = deps.clock.now().toISOString();
    const id = deps.newId();
    const text = message.text.trim();
    const body = text ? [...text].slice(0, TICKET_LIMITS.bodyLength).join('') : null;
    const entry = await tx.tickets.addEntry({
      id,
      ticketId: inPlay.id,
      kind: 'reply',
      authorType: 'customer',
      authorId: inPlay.customerId,
      body,
      data: {},
      mentions: [],
      messageId: message.id,
      sourceKey: `customer-reply:${message.id}:${inPlay.id}`,
      createdAt: now,
    });
    // Written before (a redelivered event): nothing new to tell.
    if (entry.id !== id) return { ticketId: inPlay.id, outcome: 'none' as const, events: [] };
    await tx.tickets.update(inPlay.id, { updatedAt: now });
    const events: DomainEvent[] = [
      {
        name: 'ticket.commented',
        workspaceId: deps.store.workspaceId,
        occurredAt: now,
        ticketId: inPlay.id,
        entryId: entry.id,
        visibility: 'public',
        authorType: 'customer',
        authorId: entry.authorId,
        mentions: [],
      },
    ];
    return { ticketId: inPlay.id, outcome: 'replied' as const, events };
  });
}
