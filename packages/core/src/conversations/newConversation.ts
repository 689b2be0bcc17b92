// A conversation as it starts on an inbox: open, with the bot, unassigned, not yet routed.
import type { Conversation, Inbox } from '../model.ts';

export function newConversation(input: {
  id: string;
  workspaceId: string;
  inbox: Pick<Inbox, 'id' | 'channel'>;
  customerId: string;
  now: string;
}): Conversation {
  return {
    id: input.id,
    workspaceId: input.workspaceId,
    inboxId: input.inbox.id,
    customerId: input.customerId,
    channel: input.inbox.channel,
    status: 'open',
    priority: 'normal',
    tags: [],
    assigneeId: null,
    handedOff: false,
    botActive: true,
    queueId: null,
    priorityScore: 0,
    waitingSince: null,
    routing: null,
    createdAt: input.now,
    updatedAt: input.now,
  };
}
