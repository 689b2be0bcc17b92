// Give a conversation to an agent (or back to the queue). Assignment silences the bot.
import { DomainError, forbidden, notFound } from '../errors.ts';
import type { DomainEvent } from '../events.ts';
import { can, type Permission } from '../permissions.ts';
import type { UseCaseDeps } from '../ports.ts';
import { dispatchJob, recordPickup } from '../queues/pickUp.ts';

export interface AssignConversationInput {
  conversationId: string;
  assigneeId: string | null;
  actor: { userId: string; permissions: ReadonlySet<Permission> };
}

export async function assignConversation(
  deps: UseCaseDeps,
  input: AssignConversationInput,
): Promise<{ events: DomainEvent[] }> {
  const selfService = input.assigneeId === input.actor.userId;
  if (
    !can(input.actor.permissions, selfService ? 'conversations.assign_self' : 'conversations.assign_others')
  ) {
    throw forbidden('you may only assign conversations to yourself');
  }
  return deps.store.transaction(async (tx) => {
    const conversation = await tx.conversations.get(input.conversationId);
    if (!conversation) throw notFound('conversation');
    if (input.assigneeId !== null && !(await tx.users.get(input.assigneeId))) {
      throw new DomainError('validation_failed', 'assignee is not a member of this workspace');
    }
    if (conversation.assigneeId === input.assigneeId) return { events: [] };
    const now = deps.clock.now().toISOString();
    // Self-assigning or being assigned takes the conversation out of line like accepting its offer.
    const pickup =
      input.assigneeId !== null ? await recordPickup(tx, conversation, input.assigneeId, now) : [];
    // Given back to the queue, or moved off an agent: the dispatcher has a slot and maybe a conversation.
    if (input.assigneeId === null || conversation.assigneeId !== null)
      await tx.jobs.enqueue(dispatchJob(conversation.workspaceId, `assigned:${conversation.id}:${now}`, now));
    await tx.conversations.update(conversation.id, {
      assigneeId: input.assigneeId,
      botActive: input.assigneeId === null ? conversation.botActive : false,
      // Picked up: the wait is over. Given back while humans own it: it waits again, from now.
      waitingSince: input.assigneeId !== null ? null : conversation.handedOff ? now : null,
      updatedAt: now,
    });
    return {
      events: [
        ...pickup,
        {
          name: 'conversation.assigned',
          workspaceId: conversation.workspaceId,
          occurredAt: now,
          conversationId: conversation.id,
          assigneeId: input.assigneeId,
        },
      ],
    };
  });
}
