// Listener use case: turns one domain event into the activity row agent metrics need (or nothing). It
// runs after the change committed, possibly in several processes at once (Redis delivers every event to
// every process), so each row is keyed by (conversation, kind, instant) and a repeat writes nothing.
import type { DomainEvent } from '../events.ts';
import type { UseCaseDeps } from '../ports.ts';
import {
  type ConversationActivity,
  customerWaitingSince,
  firstResponseOf,
  handleTimeOf,
} from './conversationActivity.ts';

/** Messages read back to find the customer message an agent answers when nobody handed it off. */
const WAITING_LOOKBACK = 50;

/** The events this listener acts on; everything else is ignored without a query. */
export const activityEventNames = [
  'conversation.handed_off',
  'conversation.queued',
  'conversation.assigned',
  'conversation.status_changed',
  'conversation.resolved',
  'message.created',
  'agent.status_changed',
] as const satisfies readonly DomainEvent['name'][];

export async function recordConversationActivity(
  deps: Pick<UseCaseDeps, 'store'>,
  event: DomainEvent,
): Promise<ConversationActivity | null> {
  const { store } = deps;
  if (event.name === 'agent.status_changed') {
    await store.agentMetrics.recordPresence({
      userId: event.userId,
      status: event.status,
      at: event.occurredAt,
    });
    return null;
  }
  const row = async (
    conversationId: string,
    fields: Pick<ConversationActivity, 'kind' | 'userId'> &
      Partial<Pick<ConversationActivity, 'startedAt' | 'durationMs'>>,
  ): Promise<ConversationActivity | null> => {
    const conversation = await store.conversations.get(conversationId);
    if (!conversation) return null;
    const activity: ConversationActivity = {
      conversationId,
      queueId: conversation.queueId,
      at: event.occurredAt,
      startedAt: null,
      durationMs: null,
      ...fields,
    };
    return (await store.agentMetrics.recordActivity(activity)) ? activity : null;
  };

  switch (event.name) {
    case 'conversation.handed_off':
    case 'conversation.queued':
      return row(event.conversationId, { kind: 'waiting', userId: null });
    case 'conversation.assigned':
      return row(event.conversationId, { kind: 'assigned', userId: event.assigneeId });
    case 'conversation.status_changed':
      return event.from === 'resolved' && event.to !== 'resolved'
        ? row(event.conversationId, { kind: 'reopened', userId: null })
        : null;
    case 'conversation.resolved': {
      const history = await store.agentMetrics.activity(event.conversationId);
      const handled = handleTimeOf(history, event.occurredAt);
      return row(event.conversationId, {
        kind: 'resolved',
        userId: handled?.userId ?? null,
        startedAt: handled?.startedAt ?? null,
        durationMs: handled?.durationMs ?? null,
      });
    }
    case 'message.created': {
      if (event.author !== 'agent') return null;
      const message = await store.messages.get(event.messageId);
      if (!message?.authorUserId || message.metadata?.internal) return null;
      const history = await store.agentMetrics.activity(event.conversationId);
      const earlier = await store.messages.list(event.conversationId, {
        before: event.messageId,
        limit: WAITING_LOOKBACK,
      });
      const first = firstResponseOf(
        history,
        { at: message.createdAt },
        customerWaitingSince(earlier.filter((m) => !m.metadata?.internal)),
      );
      if (!first) return null;
      return row(event.conversationId, { kind: 'first_reply', userId: message.authorUserId, ...first });
    }
    default:
      return null;
  }
}
