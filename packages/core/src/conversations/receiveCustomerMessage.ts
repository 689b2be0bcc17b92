// A customer's message arrives on any channel: find or create the customer and their active conversation,
// store the message and the bot's durable turn in one transaction. Idempotent on the channel's key.

import { attachIdentityIn, toNewIdentity } from '../customers/attachIdentity.ts';
import { DomainError } from '../errors.ts';
import type { DomainEvent } from '../events.ts';
import type { JobPayloads } from '../jobs.ts';
import type { Attachment, Conversation, Customer, IdentityKind, Message } from '../model.ts';
import { type NewIdentity, UniqueViolation, type UseCaseDeps, type WorkspaceRepositories } from '../ports.ts';
import { answerSurveyIn } from '../surveys/answerSurvey.ts';
import { surveyReplyOf } from '../surveys/surveyReply.ts';
import { newConversation } from './newConversation.ts';

export interface ReceiveCustomerMessageInput {
  inboxId: string;
  /**
   * Who wrote, as the channel knows them (visitor id, external id, SMS sender, email From, OpenID).
   * `verified` (default false) only when the channel itself proved it; `source` defaults to the inbox's
   * channel. The value is normalised here (normaliseIdentity), so channels may pass it as received.
   */
  identity: { kind: IdentityKind; value: string; verified?: boolean; source?: string };
  /**
   * More identities the same message proves or claims (an API message's verified phone, a signed email).
   * Each is attached to the customer: a verified one that another verified customer holds merges the two,
   * anything less becomes a merge suggestion.
   */
  extraIdentities?: { kind: IdentityKind; value: string; verified: boolean; source?: string }[];
  profile?: { name?: string | null; email?: string | null; phone?: string | null };
  text: string;
  attachments?: Attachment[];
  idempotencyKey: string;
  clientMessageId?: string | null;
  /** The id to store the message under, when it was promised before (a message held by the intake). */
  messageId?: string;
  /**
   * The conversation the channel says this message continues (an email replying within a thread). Used
   * when it is this customer's in this inbox, even if another one is active; a resolved one reopens.
   */
  conversationId?: string | null;
  /**
   * The language the text is in, as the application detected it: stored on the message and, when
   * `languageConfident`, remembered on the customer (a one-word "ok" says little about who writes).
   */
  language?: string | null;
  languageConfident?: boolean;
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
  const result = await receiveOnce(deps, input);
  // A merge re-sealed the absorbed customer's data with the survivor's key; their own key guards nothing.
  for (const event of result.events)
    if (event.name === 'customer.merged') await deps.store.privacy.shredCustomerKeys(event.absorbedId);
  return result;
}

async function receiveOnce(
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

/**
 * The customer behind the message: whoever holds the channel identity, else whoever holds one of the
 * message's verified identities with proof of their own (an SMS from a phone verified on the widget), else
 * a new customer.
 */
async function findOrCreateCustomer(
  deps: UseCaseDeps,
  tx: WorkspaceRepositories,
  primary: NewIdentity,
  extras: readonly NewIdentity[],
  input: ReceiveCustomerMessageInput,
  now: string,
): Promise<Customer> {
  const own = await tx.customers.findByIdentity(primary.kind, primary.value);
  if (own) return own;
  for (const claim of [primary, ...extras]) {
    if (!claim.verified) continue;
    const holder = await tx.customers.identityHolder(claim.kind, claim.value);
    const known = holder?.verified ? await tx.customers.get(holder.customerId) : null;
    if (known) return known;
  }
  const created =
    (await tx.customers.create({
      id: deps.newId(),
      name: input.profile?.name ?? null,
      email: input.profile?.email ?? null,
      phone: input.profile?.phone ?? null,
      identity: primary,
      createdAt: now,
    })) ?? (await tx.customers.findByIdentity(primary.kind, primary.value));
  if (!created) throw new DomainError('conflict', 'customer could not be created');
  return created;
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

  const primary = toNewIdentity(input.identity, inbox.channel);
  const extras = (input.extraIdentities ?? []).map((claim) => toNewIdentity(claim, inbox.channel));
  let customer = await findOrCreateCustomer(deps, tx, primary, extras, input, now);
  await tx.customers.lock(customer.id);
  // Under the customer's lock a concurrent twin with the same key has either committed or not started.
  const late = await duplicateOf(tx, input.inboxId, input.idempotencyKey);
  if (late) return late;

  // Every identity the message carries ends up on the customer (found through another one, the channel
  // identity is new to them), merging with or suggesting whoever else holds it.
  let customerId = customer.id;
  for (const claim of [primary, ...extras]) {
    const held = customer.identities.find((i) => i.kind === claim.kind && i.value === claim.value);
    if (customerId === customer.id && held && (held.verified || !claim.verified)) continue;
    const attached = await attachIdentityIn(deps, tx, {
      customerId,
      identity: claim,
      defaultSource: inbox.channel,
    });
    customerId = attached.customerId;
    events.push(...attached.events);
  }
  if (customerId !== customer.id) {
    const survivor = await tx.customers.get(customerId);
    if (!survivor) throw new DomainError('conflict', 'merged customer vanished');
    customer = survivor;
  }

  // "1".."5" answering a survey sent here is its score: stored in the surveyed conversation as it is,
  // not a new question for the bot.
  const surveyReply = await surveyReplyOf(tx, customer.id, inbox.id, input.text, now);
  const threaded = input.conversationId ? await tx.conversations.get(input.conversationId) : null;
  let conversation =
    surveyReply?.conversation ??
    (threaded && threaded.customerId === customer.id && threaded.inboxId === inbox.id
      ? threaded
      : await tx.conversations.findActive(customer.id, inbox.id));
  if (surveyReply && conversation) {
    conversation = { ...conversation, updatedAt: now };
    await tx.conversations.update(conversation.id, { updatedAt: now });
  } else if (!conversation) {
    conversation = newConversation({
      id: deps.newId(),
      workspaceId: deps.store.workspaceId,
      inbox,
      customerId: customer.id,
      now,
    });
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
    const status =
      conversation.status === 'pending' || conversation.status === 'resolved' ? 'open' : conversation.status;
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
    id: input.messageId ?? deps.newId(),
    workspaceId: conversation.workspaceId,
    conversationId: conversation.id,
    inboxId: inbox.id,
    author: 'customer',
    authorUserId: null,
    text: input.text,
    attachments: input.attachments ?? [],
    idempotencyKey: input.idempotencyKey,
    clientMessageId: input.clientMessageId ?? null,
    language: input.language ?? null,
    ...(surveyReply ? { metadata: { surveyAnswer: { id: surveyReply.survey.id } } } : {}),
    createdAt: now,
  };
  await tx.messages.insert(message);
  // Written only when it changes: most messages repeat the language the customer is remembered by.
  if (
    input.language &&
    input.languageConfident &&
    (await tx.languages.customerLanguage(customer.id)) !== input.language
  ) {
    await tx.languages.rememberCustomerLanguage(customer.id, input.language);
  }
  if (surveyReply) {
    const answered = await answerSurveyIn(
      { clock: deps.clock, workspaceId: conversation.workspaceId },
      tx,
      surveyReply.survey,
      { score: surveyReply.score, via: 'reply' },
    );
    events.push(...answered.events);
  } else if (conversation.botActive) {
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
