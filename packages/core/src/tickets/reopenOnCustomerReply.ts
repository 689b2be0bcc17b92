// A customer writing again in a ticket's conversation moves it back to people: a ticket solved within the
// workspace's reopen window reopens, one pending on the customer's answer opens. A closed ticket stays
// closed (the message is a new request).
import { DomainError } from '../errors.ts';
import type { DomainEvent } from '../events.ts';
import type { UseCaseDeps } from '../ports.ts';
import { changeTicketStatus } from './changeTicketStatus.ts';
import type { TicketsRepository } from './repository.ts';
import type { Ticket } from './ticket.ts';

const DAY_MS = 86_400_000;

/** The tickets, with each merged duplicate replaced by the ticket it was merged into (once each). */
export async function withSurvivors(repo: Pick<TicketsRepository, 'get'>, tickets: readonly Ticket[]) {
  const out = new Map<string, Ticket>();
  for (const ticket of tickets) {
    let current: Ticket | null = ticket;
    // Merges do not chain (a merged ticket is closed and cannot be merged into), but stay bounded anyway.
    for (let hops = 0; current?.mergedIntoId && hops < 5; hops++)
      current = await repo.get(current.mergedIntoId);
    if (current && !current.mergedIntoId) out.set(current.id, current);
  }
  return [...out.values()];
}

export async function reopenOnCustomerReply(
  deps: UseCaseDeps,
  input: { conversationId: string; customerId: string; messageId: string },
): Promise<{ reopened: string[]; events: DomainEvent[] }> {
  const own = await deps.store.tickets.list({ limit: 20, conversationId: input.conversationId });
  // A duplicate merged away stands for the ticket it went into: the customer writing in the duplicate's
  // conversation is writing about the survivor.
  const waiting = (await withSurvivors(deps.store.tickets, own)).filter(
    (t) => t.status === 'solved' || t.status === 'pending',
  );
  if (waiting.length === 0) return { reopened: [], events: [] };
  // Answering the survey about a solved ticket ("5") is not the customer writing about it again.
  if ((await deps.store.messages.get(input.messageId))?.metadata?.surveyAnswer)
    return { reopened: [], events: [] };
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
