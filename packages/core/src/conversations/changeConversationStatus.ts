// Resolve, park (pending) or reopen a conversation.
import { notFound } from '../errors.ts';
import type { DomainEvent } from '../events.ts';
import type { ConversationStatus } from '../model.ts';
import type { UseCaseDeps } from '../ports.ts';
import { abandonWait, dispatchJob } from '../queues/pickUp.ts';

export async function changeConversationStatus(
  deps: UseCaseDeps,
  input: { conversationId: string; status: ConversationStatus },
): Promise<{ events: DomainEvent[] }> {
  return deps.store.transaction(async (tx) => {
    const conversation = await tx.conversations.get(input.conversationId);
    if (!conversation) throw notFound('conversation');
    if (conversation.status === input.status) return { events: [] };
    const now = deps.clock.now().toISOString();
    await tx.conversations.update(conversation.id, { status: input.status, updatedAt: now });
    const base = { workspaceId: conversation.workspaceId, occurredAt: now, conversationId: conversation.id };
    const events: DomainEvent[] = [
      { ...base, name: 'conversation.status_changed', from: conversation.status, to: input.status },
    ];
    if (input.status === 'resolved') {
      events.push({ ...base, name: 'conversation.resolved' });
      // Resolved while waiting: it leaves the line. Resolved while held: its agent has a free slot.
      if (conversation.waitingSince && !conversation.assigneeId) {
        events.push(...(await abandonWait(tx, conversation, now)));
        await tx.conversations.update(conversation.id, { waitingSince: null });
      }
      await tx.jobs.enqueue(dispatchJob(conversation.workspaceId, `resolved:${conversation.id}:${now}`, now));
    }
    return { events };
  });
}
