// Agent assist's side of the domain events: a customer message in a conversation people hold gets
// reply suggestions pushed to the consoles of this process (computed here, never inline in the use case
// that stored the message), and whatever changes what the history teaches marks it for a rebuild.
import type { Conversation, DomainEvent, EventBus, EventOf } from '@zhike/core';
import type { Database } from '@zhike/db';
import type { Logger } from 'pino';
import type { GatewayHub } from '../gateway/hub.ts';
import type { ReplySuggestions } from './replySuggestions.ts';

export interface AssistListenerDeps {
  db: Database;
  bus: EventBus;
  hub: GatewayHub;
  suggestions: ReplySuggestions;
  log: Logger;
}

/** People have the conversation: handed off, assigned, or the bot is silent in it. */
export const heldByPeople = (c: Conversation): boolean =>
  c.handedOff || c.assigneeId !== null || !c.botActive;

export function startAssistListener(deps: AssistListenerDeps): () => void {
  async function pushSuggestions(event: EventOf<'message.created'>): Promise<void> {
    // Every process gets every event (Redis); only those holding a console of the workspace do the work.
    if (!deps.hub.hasConsoles(event.workspaceId)) return;
    const started = performance.now();
    const store = deps.db.forWorkspace(event.workspaceId);
    const conversation = await store.conversations.get(event.conversationId);
    if (!conversation || !heldByPeople(conversation) || conversation.status === 'resolved') return;
    const message = await store.messages.get(event.messageId);
    if (!message) return;
    const result = await deps.suggestions.forMessage(event.workspaceId, {
      conversation,
      message,
      agentId: conversation.assigneeId,
    });
    deps.hub.toConsoles(event.workspaceId, {
      type: 'suggestions',
      conversationId: conversation.id,
      messageId: message.id,
      suggestions: result.suggestions,
      // From the event reaching this process to the frame leaving (bench/assist measures end to end).
      latencyMs: Math.round(performance.now() - started),
    });
  }

  async function handle(event: DomainEvent): Promise<void> {
    switch (event.name) {
      case 'message.created':
        if (event.author === 'customer') await pushSuggestions(event);
        return;
      case 'conversation.status_changed':
        if (event.from === 'resolved' && event.to !== 'resolved') {
          await deps.db
            .forWorkspace(event.workspaceId)
            .assist.markReopened(event.conversationId, event.occurredAt);
          deps.suggestions.invalidate(event.workspaceId);
        }
        return;
      case 'conversation.resolved':
      case 'conversation.rated':
      case 'suggestion.feedback_recorded':
      case 'customer.merged':
        deps.suggestions.invalidate(event.workspaceId);
        return;
      default:
        return;
    }
  }

  return deps.bus.subscribe((event) =>
    handle(event).catch((err: unknown) => deps.log.error({ err, event: event.name }, 'agent assist failed')),
  );
}
