// Shared by every writer of bot, agent and system messages: store the message, its outbox jobs and
// the conversation's new timestamp together, and describe what happened.
import type { DomainEvent } from '../events.ts';
import type { MessageTranslation } from '../languages/model.ts';
import type { Attachment, Conversation, Inbox, Message, MessageAuthor, MessageMetadata } from '../model.ts';
import type { UseCaseDeps, WorkspaceRepositories } from '../ports.ts';
import { outboundJobs } from './outbound.ts';

export async function postOutgoingMessage(
  deps: UseCaseDeps,
  tx: WorkspaceRepositories,
  conversation: Conversation,
  inbox: Inbox,
  input: {
    author: Exclude<MessageAuthor, 'customer'>;
    authorUserId: string | null;
    text: string;
    attachments?: Attachment[];
    idempotencyKey?: string | null;
    clientMessageId?: string | null;
    /** A streamed bot answer keeps its draft's id, so the widget replaces the draft with it. */
    id?: string;
    metadata?: MessageMetadata | null;
    /** The language the text is in, when known (a translated reply: the customer's). */
    language?: string | null;
    /** Under live translation, the agents' version (see MessageTranslation). */
    translation?: MessageTranslation | null;
  },
): Promise<{ message: Message; event: DomainEvent }> {
  const now = deps.clock.now().toISOString();
  const message: Message = {
    id: input.id ?? deps.newId(),
    workspaceId: conversation.workspaceId,
    conversationId: conversation.id,
    inboxId: conversation.inboxId,
    author: input.author,
    authorUserId: input.authorUserId,
    text: input.text,
    attachments: input.attachments ?? [],
    idempotencyKey: input.idempotencyKey ?? null,
    clientMessageId: input.clientMessageId ?? null,
    ...(input.metadata ? { metadata: input.metadata } : {}),
    ...(input.language ? { language: input.language } : {}),
    ...(input.translation ? { translation: input.translation } : {}),
    createdAt: now,
  };
  await tx.messages.insert(message);
  for (const job of outboundJobs(inbox, conversation, message, deps.newId)) await tx.jobs.enqueue(job);
  await tx.conversations.update(conversation.id, { updatedAt: now });
  return {
    message,
    event: {
      name: 'message.created',
      workspaceId: conversation.workspaceId,
      occurredAt: now,
      conversationId: conversation.id,
      messageId: message.id,
      customerId: conversation.customerId,
      inboxId: conversation.inboxId,
      channel: conversation.channel,
      author: input.author,
    },
  };
}
