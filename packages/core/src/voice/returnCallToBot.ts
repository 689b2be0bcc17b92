// An agent hands a caller back to the voice bot ("transfer to the assistant"): the conversation stops
// waiting for people (its offer lapses, the wait ends as left), nobody holds it, and the bot may speak
// again, so the next thing the caller says gets the bot's answer as on any channel.
import { DomainError } from '../errors.ts';
import type { DomainEvent } from '../events.ts';
import type { UseCaseDeps } from '../ports.ts';
import { abandonWait, dispatchJob } from '../queues/pickUp.ts';

export async function returnCallToBot(
  deps: UseCaseDeps,
  input: { conversationId: string },
): Promise<{ events: DomainEvent[] }> {
  return deps.store.transaction(async (tx) => {
    const conversation = await tx.conversations.get(input.conversationId);
    if (!conversation) throw new DomainError('not_found', 'conversation not found');
    const at = deps.clock.now().toISOString();
    const events = conversation.waitingSince ? await abandonWait(tx, conversation, at) : [];
    await tx.conversations.update(conversation.id, {
      handedOff: false,
      botActive: true,
      assigneeId: null,
      waitingSince: null,
      updatedAt: at,
    });
    // The others in line move up.
    if (conversation.waitingSince)
      await tx.jobs.enqueue(
        dispatchJob(conversation.workspaceId, `back_to_bot:${conversation.id}:${at}`, at),
      );
    if (conversation.assigneeId)
      events.push({
        name: 'conversation.assigned',
        workspaceId: conversation.workspaceId,
        occurredAt: at,
        conversationId: conversation.id,
        assigneeId: null,
      });
    return { events };
  });
}
