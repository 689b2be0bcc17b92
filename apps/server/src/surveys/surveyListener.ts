// Surveys' and complaints' side of the domain events: a resolved conversation gets its follow-up survey
// planned; the bot handing off for a complaint starts tracking one. Every process hears every event
// (Redis), so both steps are idempotent (one survey per conversation, one complaint per conversation).
import type { DomainEvent, EventBus } from '@zhike/core';
import type { Logger } from 'pino';
import type { SurveyCommands } from './surveyCommands.ts';

export function listenForSurveys(deps: { bus: EventBus; commands: SurveyCommands; log: Logger }): () => void {
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
      case 'conversation.handed_off':
        if (event.reason === 'complaint')
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
