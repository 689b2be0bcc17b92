// Someone starts or stops following a ticket: watchers are the people told of its changes (mentioned
// colleagues, the assignee and whoever commented become watchers on their own). The timeline says who.
import { DomainError, notFound } from '../errors.ts';
import type { UseCaseDeps } from '../ports.ts';
import type { TicketActor } from './openTicket.ts';

export interface WatchTicketInput {
  ticketId: string;
  userId: string;
  /** true: start following; false: stop. */
  watch: boolean;
  actor: TicketActor;
}

/** The watchers afterwards; adding one already there (or removing one who is not) changes nothing. */
export async function watchTicket(
  deps: UseCaseDeps,
  input: WatchTicketInput,
): Promise<{ watchers: string[] }> {
  return deps.store.transaction(async (tx) => {
    const ticket = await tx.tickets.get(input.ticketId);
    if (!ticket) throw notFound('ticket');
    if (input.watch && !(await tx.users.get(input.userId)))
      throw new DomainError('validation_failed', 'userId is not a user of this workspace');
    const now = deps.clock.now().toISOString();
    const changed = input.watch
      ? await tx.tickets.watchers.add(ticket.id, input.userId, now)
      : await tx.tickets.watchers.remove(ticket.id, input.userId);
    if (changed)
      await tx.tickets.addEntry({
        id: deps.newId(),
        ticketId: ticket.id,
        kind: 'watchers',
        authorType: input.actor.type,
        authorId: input.actor.id,
        body: null,
        data: input.watch ? { added: input.userId } : { removed: input.userId },
        mentions: [],
        messageId: null,
        sourceKey: null,
        createdAt: now,
      });
    return { watchers: await tx.tickets.watchers.list(ticket.id) };
  });
}
