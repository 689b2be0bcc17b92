// The tickets' side of the domain events: a customer message in a ticket's conversation reopens a ticket
// solved a short while ago, or one waiting on the customer. In an inbox that files tickets (an email inbox
// with `createTickets`), the message first opens a ticket for a new thread or is added to the ticket in
// play. Every process hears every event; tickets open once per message (source key), replies are written
// once per message, and the status change is compare-and-set, so only one process moves the ticket. Best
// effort like every listener.
import { type EventBus, type TicketPriority, ticketPriorities } from '@zhike/core';
import type { Database } from '@zhike/db';
import type { Logger } from 'pino';
import type { Commands } from '../commands.ts';

/** What an inbox's settings say about filing tickets; null when it does not. */
export function ticketFiling(config: Record<string, unknown> | null) {
  if (config?.createTickets !== true) return null;
  const category = typeof config.ticketCategory === 'string' ? config.ticketCategory.trim() || null : null;
  const priority: TicketPriority = ticketPriorities.find((p) => p === config.ticketPriority) ?? 'normal';
  return { type: 'question', category, priority };
}

export function startTicketListener(deps: {
  bus: EventBus;
  db: Database;
  commands: Commands;
  log: Logger;
}): () => void {
  return deps.bus.subscribe(async (event) => {
    if (event.name !== 'message.created' || event.author !== 'customer') return;
    try {
      const inbox = await deps.db.forWorkspace(event.workspaceId).inboxes.get(event.inboxId);
      const filing = ticketFiling(inbox?.channelConfig ?? null);
      if (filing)
        await deps.commands.tickets.forCustomerMessage(event.workspaceId, {
          conversationId: event.conversationId,
          messageId: event.messageId,
          source: event.channel === 'email' ? 'email' : 'system',
          defaults: filing,
        });
    } catch (err) {
      deps.log.warn({ err, conversationId: event.conversationId }, 'tickets: filing the message failed');
    }
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
