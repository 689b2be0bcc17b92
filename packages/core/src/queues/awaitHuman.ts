// A conversation starts waiting for a human: it joins a queue with a priority, and keeps the routing
// decision that sent it there. Priority is only ever raised here: an agent's own higher priority stays.
import type { DomainEvent } from '../events.ts';
import type { Conversation, Priority, RoutingRecord } from '../model.ts';
import type { UseCaseDeps, WorkspaceRepositories } from '../ports.ts';
import { announceJoinedQueue } from './announceQueuePositions.ts';
import { dispatchJob } from './pickUp.ts';

export const priorityRank: Readonly<Record<Priority, number>> = { low: 0, normal: 1, high: 2, urgent: 3 };

export interface AwaitHumanInput {
  conversation: Conversation;
  /** null: the workspace's default queue. */
  queueId: string | null;
  priority: Priority;
  /** 0..100, orders the queue. */
  priorityScore: number;
  routing: RoutingRecord | null;
}

export async function awaitHuman(
  deps: UseCaseDeps,
  tx: WorkspaceRepositories,
  input: AwaitHumanInput,
): Promise<DomainEvent[]> {
  const { conversation } = input;
  const now = deps.clock.now().toISOString();
  const priority =
    priorityRank[input.priority] > priorityRank[conversation.priority]
      ? input.priority
      : conversation.priority;
  // A conversation someone already holds does not wait; one already waiting keeps its place in line.
  const waitingSince = conversation.assigneeId ? null : (conversation.waitingSince ?? now);
  const queueId = input.queueId ?? conversation.queueId;
  await tx.conversations.update(conversation.id, {
    handedOff: true,
    botActive: false,
    priority,
    priorityScore: Math.max(input.priorityScore, conversation.priorityScore),
    queueId,
    waitingSince,
    ...(input.routing ? { routing: input.routing } : {}),
    updatedAt: now,
  });
  // Joining the line now (not already in it): the wait opens and the customer hears their place.
  const joined =
    waitingSince && waitingSince !== conversation.waitingSince
      ? await announceJoinedQueue(deps, tx, { ...conversation, queueId, priority, waitingSince })
      : [];
  // The dispatcher offers it to an agent; the key makes a retried bot turn enqueue it once.
  if (waitingSince)
    await tx.jobs.enqueue(
      dispatchJob(conversation.workspaceId, `queued:${conversation.id}:${waitingSince}`, now),
    );
  return [
    ...joined,
    {
      name: 'conversation.queued',
      workspaceId: conversation.workspaceId,
      occurredAt: now,
      conversationId: conversation.id,
      queueId,
      priority,
    },
  ];
}
