// The tickets' side of the domain events: a customer message in a ticket's conversation reopens a ticket
// solved a short while ago, or one waiting on the customer. Every process hears every event; the status
// change is compare-and-set, so only one of them moves the ticket. Best effort like every listener.
import type { EventBus } from '@zhike/core';
import type { Logger } from 'pino';
import type { Commands } from '../commands.ts';

export function startTicketListener(deps: { bus: EventBus; commands: Commands; log: Logger }): () => void {
  return deps.bus.subscribe(async (event) => {
    if (event.name !== 'message.created' || event.author !== 'customer') return;
    try {
      await deps.commands.tickets.reopenOnCustomerReply(event.workspaceId, {
        conversationId: event.conversationId,
        customerId: event.customerId,
        messageId: event.messageId,
      });
    } catch (err) {
      deps.log.warn({ err, conversationId: event.conversationId }, 'tickets: reopen on reply failed');
    }
  });
}
