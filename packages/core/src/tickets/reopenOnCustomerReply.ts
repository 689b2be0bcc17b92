// A customer writing again in a ticket's conversation moves it back to people: a ticket solved within the
// workspace's reopen window reopens, one pending on the customer's answer opens. A closed ticket stays
// closed (the message is a new request).
import { DomainError } from '../errors.ts';
import type { DomainEvent } from '../events.ts';
import type { UseCaseDeps } from '../ports.ts';
import { changeTicketStatus } from './changeTicketStatus.ts';

const DAY_MS = 86_400_000;

export async function reopenOnCustomerReply(
  deps: UseCaseDeps,
  input: { conversationId: string; customerId: string; messageId: string },
): Promise<{ reopened: string[]; events: DomainEvent[] }> {
  const waiting = await deps.store.tickets.list({
    limit: 20,
    conversationId: input.conversationId,
    status: ['solved', 'pending'],
  });
  if (waiting.length === 0) return { reopened: [], events: [] };
  const { reopenDays } = await deps.store.tickets.settings.get();
  const cutoff = deps.clock.now().getTime() - reopenDays * DAY_MS;
  const reopened: string[] = [];
  const events: DomainEvent[] = [];
  for (const ticket of waiting) {
    const due =
      (ticket.status === 'solved' && ticket.solvedAt !== null && Date.parse(ticket.solvedAt) >= cutoff) ||
      (ticket.status === 'pending' && ticket.pendingReason === 'customer');
    if (!due || ticket.mergedIntoId) continue;
    try {
      const result = await changeTicketStatus(deps, {
        ticketId: ticket.id,
        status: 'open',
        actor: { type: 'customer', id: input.customerId },
        sourceKey: `reply:${input.messageId}:${ticket.id}`,
      });
      if (result.events.length > 0) reopened.push(ticket.id);
      events.push(...result.events);
    } catch (error) {
      // Another process (every one hears the message) or an agent moved it first.
      if (!(error instanceof DomainError && error.code === 'conflict')) throw error;
    }
  }
  return { reopened, events };
}
