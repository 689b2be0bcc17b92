// Surveys' and complaints' side of the domain events: a resolved conversation or a solved ticket gets its
// follow-up survey planned; the bot handing off for a complaint starts tracking one; a closed ticket
// closes the complaints it carried. Every process hears every event (Redis), so each step is idempotent
// (one survey per conversation or ticket, one complaint per source, closing only what is open).

import { type DomainEvent, type EventBus, isComplaintHandoff } from '@zhike/core';
import type { Database } from '@zhike/db';
import type { Logger } from 'pino';
import type { SurveyCommands } from './surveyCommands.ts';

export function listenForSurveys(deps: {
  bus: EventBus;
  db: Database;
  commands: SurveyCommands;
  log: Logger;
}): () => void {
  async function handle(event: DomainEvent): Promise<void> {
    switch (event.name) {
      case 'conversation.resolved':
        await deps.commands.scheduleSurvey(event.workspaceId, {
          trigger: 'conversation',
          conversationId: event.conversationId,
          ticketId: null,
          customerId: null,
          resolvedAt: event.occurredAt,
        });
        return;
      case 'ticket.status_changed': {
        if (event.to === 'closed')
          await deps.commands.closeComplaintsOfTicket(event.workspaceId, { ticketId: event.ticketId });
        if (event.to !== 'solved') return;
        const ticket = await deps.db.forWorkspace(event.workspaceId).tickets.get(event.ticketId);
        // A survey's own follow-up is not surveyed again: the complaint tracks that customer already.
        if (!ticket || ticket.source === 'survey') return;
        await deps.commands.scheduleSurvey(event.workspaceId, {
          trigger: 'ticket',
          conversationId: ticket.conversationId,
          ticketId: ticket.id,
          customerId: ticket.customerId,
          resolvedAt: event.occurredAt,
        });
        return;
      }
      case 'conversation.handed_off':
        if (isComplaintHandoff(event.reason))
          await deps.commands.flagComplaint(event.workspaceId, {
            conversationId: event.conversationId,
            openedBy: null,
            source: 'intent',
          });
        return;
      default:
        return;
    }
  }
  return deps.bus.subscribe((event) =>
    handle(event).catch((err: unknown) =>
      deps.log.error({ err, event: event.name }, 'survey listener failed'),
    ),
  );
}
