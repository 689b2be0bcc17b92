// A customer's message arrives on any channel: find or create the customer and their active conversation,
// store the message and the bot's durable turn in one transaction. Idempotent on the channel's key.
import { DomainError } from '../errors.ts';
import type { DomainEvent } from '../events.ts';
import type { JobPayloads } from '../jobs.ts';
import type { Attachment, Conversation, IdentityKind, Message } from '../model.ts';
import { UniqueViolation, type UseCaseDeps, type WorkspaceRepositories } from '../ports.ts';

export interface ReceiveCustomerMessageInput {
  inboxId: string;
  identity: { kind: IdentityKind; value: string };
  profile?: { name?: string | null; email?: string | null; phone?: string | null };
  text: string;
  attachments?: Attachment[];
  idempotencyKey: string;
  clientMessageId?: string | null;
}

export interface ReceiveCustomerMessageOutput {
  conversation: Conversation;
  message: Message;
  duplicate: boolean;
  events: DomainEvent[];
}

async function duplicateOf(
  tx: WorkspaceRepositories,
  inboxId: string,
  key: string,
): Promise<ReceiveCustomerMessageOutput | null> {
  const existing = await tx.messages.findByIdempotencyKey(inboxId, key);
  if (!existing) return null;
  const conversation = await tx.conversations.get(existing.conversationId);
  if (!conversation) throw new DomainError('conflict', 'message without conversation');
  return { conversation, message: existing, duplicate: true, events: [] };
}

export async function receiveCustomerMessage(
  deps: UseCaseDeps,
  input: ReceiveCustomerMessageInput,
): Promise<ReceiveCustomerMessageOutput> {
  try {
    return await deps.store.transaction((tx) => receiveInTransaction(deps, tx, input));
  } catch (error) {
    // Two writers raced with the same key: the unique index let exactly one win; answer with its message.
    if (!(error instanceof UniqueViolation)) throw error;
    const original = await duplicateOf(deps.store, input.inboxId, input.idempotencyKey);
    if (original) return original;
    // A race on creating the customer or conversation: the retry finds them.
    return await deps.store.transaction((tx) => receiveInTransaction(deps, tx, input));
  }
}

async function receiveInTransaction(
  deps: UseCaseDeps,
  tx: WorkspaceRepositories,
  input: ReceiveCustomerMessageInput,
): Promise<ReceiveCustomerMessageOutput> {
  const early = await duplicateOf(tx, input.inboxId, input.idempotencyKey);
  if (early) return early;

  const inbox = await tx.inboxes.get(input.inboxId);
  if (!inbox) throw new DomainError('not_found', 'inbox not found');
  const now = deps.clock.now().toISOString();
  const events: DomainEvent[] = [];

  let customer = await tx.customers.findByIdentity(input.identity.kind, input.identity.value);
  if (!customer) {
    customer =
      (await tx.customers.create({
        id: deps.newId(),
        name: input.profile?.name ?? null,
        email: input.profile?.email ?? null,
        phone: input.profile?.phone ?? null,
        identity: input.identity,
        createdAt: now,
      })) ?? (await tx.customers.findByIdentity(input.identity.kind, input.identity.value));
    if (!customer) throw new DomainError('conflict', 'customer could not be created');
  }
  await tx.customers.lock(customer.id);
  // Under the customer's lock a concurrent twin with the same key has either committed or not started.
  const late = await duplicateOf(tx, input.inboxId, input.idempotencyKey);
  if (late) return late;

  let conversation = await tx.conversations.findActive(customer.id, inbox.id);
  if (!conversation) {
    conversation = {
      id: deps.newId(),
      workspaceId: deps.store.workspaceId,
      inboxId: inbox.id,
      customerId: customer.id,
      channel: inbox.channel,
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
      createdAt: now,
      updatedAt: now,
    };
    await tx.conversations.create(conversation);
    events.push({
      name: 'conversation.created',
      workspaceId: conversation.workspaceId,
      occurredAt: now,
      conversationId: conversation.id,
      customerId: customer.id,
      inboxId: inbox.id,
    });
  } else {
    const status = conversation.status === 'pending' ? 'open' : conversation.status;
    if (status !== conversation.status) {
      events.push({
        name: 'conversation.status_changed',
        workspaceId: conversation.workspaceId,
        occurredAt: now,
        conversationId: conversation.id,
        from: conversation.status,
        to: status,
      });
    }
    conversation = { ...conversation, status, updatedAt: now };
    await tx.conversations.update(conversation.id, { status, updatedAt: now });
  }

  const message: Message = {
    id: deps.newId(),
    workspaceId: conversation.workspaceId,
    conversationId: conversation.id,
    inboxId: inbox.id,
    author: 'customer',
    authorUserId: null,
    text: input.text,
    attachments: input.attachments ?? [],
    idempotencyKey: input.idempotencyKey,
    clientMessageId: input.clientMessageId ?? null,
    createdAt: now,
  };
  await tx.messages.insert(message);
  if (conversation.botActive) {
    const payload: JobPayloads['bot.reply'] = {
      workspaceId: conversation.workspaceId,
      conversationId: conversation.id,
      messageId: message.id,
    };
    await tx.jobs.enqueue({
      name: 'bot.reply',
      payload: { ...payload },
      runAt: now,
      idempotencyKey: `bot:${message.id}`,
    });
  }
  events.push({
    name: 'message.created',
    workspaceId: conversation.workspaceId,
    occurredAt: now,
    conversationId: conversation.id,
    messageId: message.id,
    customerId: customer.id,
    inboxId: inbox.id,
    channel: conversation.channel,
    author: 'customer',
  });
  return { conversation, message, duplicate: false, events };
}
