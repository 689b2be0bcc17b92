// A call comes in: find the caller (by the phone number the network presented, which proves nothing, so
// the identity is unverified; a browser call by its visitor id; an anonymous caller as a new customer of
// this call only), open a conversation for the call on its inbox and store the call row, in one
// transaction. Every call is a conversation of its own: its transcript, recording and hand-off belong
// together, and an earlier call still open in the queue is a different matter.

import { newConversation } from '../conversations/newConversation.ts';
import { toNewIdentity } from '../customers/attachIdentity.ts';
import { DomainError } from '../errors.ts';
import type { DomainEvent } from '../events.ts';
import type { Conversation, Customer, IdentityKind } from '../model.ts';
import type { UseCaseDeps, WorkspaceRepositories } from '../ports.ts';
import type { CallDirection, CallTransport, VoiceCall } from './calls.ts';

export interface StartCallInput {
  callId: string;
  inboxId: string;
  direction: CallDirection;
  transport: CallTransport;
  from: { uri: string; phone?: string; displayName?: string };
  /** For a call we placed, the customer is this party (its phone identifies them). */
  to: { uri: string; phone?: string; displayName?: string };
  startedAt: string;
}

export interface StartCallOutput {
  call: VoiceCall;
  conversation: Conversation;
  customer: Customer;
  events: DomainEvent[];
}

/** Who the caller is as the channel presents them. */
export function callerIdentity(input: Pick<StartCallInput, 'callId' | 'transport' | 'from'>): {
  kind: IdentityKind;
  value: string;
} {
  const phone = input.from.phone?.replace(/[^\d+]/g, '') ?? '';
  if (/^\+?\d{5,20}$/.test(phone)) return { kind: 'phone', value: phone };
  if (input.transport === 'webrtc' && input.from.uri.trim())
    return { kind: 'visitor', value: input.from.uri.trim() };
  // Withheld or unusable caller id: a customer of this call alone, never pooled with other anonymous calls.
  return { kind: 'visitor', value: `call:${input.callId}` };
}

export async function startCall(deps: UseCaseDeps, input: StartCallInput): Promise<StartCallOutput> {
  const existing = await deps.store.voice.calls.get(input.callId);
  if (existing) throw new DomainError('conflict', 'a call with this id exists already');
  return deps.store.transaction((tx) => startInTransaction(deps, tx, input));
}

async function startInTransaction(
  deps: UseCaseDeps,
  tx: WorkspaceRepositories,
  input: StartCallInput,
): Promise<StartCallOutput> {
  const inbox = await tx.inboxes.get(input.inboxId);
  if (!inbox) throw new DomainError('not_found', 'inbox not found');
  if (!inbox.enabled) throw new DomainError('conflict', 'the inbox is disabled');
  const now = deps.clock.now().toISOString();
  // The customer is whoever is not us: the caller of an inbound call, the called party of an outbound one.
  const party = input.direction === 'outbound' ? input.to : input.from;
  const identity = toNewIdentity(
    { ...callerIdentity({ ...input, from: party }), verified: false },
    inbox.channel,
  );
  const displayName = party.displayName?.trim().slice(0, 100) || null;
  let customer = await tx.customers.findByIdentity(identity.kind, identity.value);
  if (!customer) {
    customer =
      (await tx.customers.create({
        id: deps.newId(),
        name: displayName,
        email: null,
        phone: identity.kind === 'phone' ? identity.value : null,
        identity,
        createdAt: now,
      })) ?? (await tx.customers.findByIdentity(identity.kind, identity.value));
  }
  if (!customer) throw new DomainError('conflict', 'customer could not be created');
  await tx.customers.lock(customer.id);

  const conversation: Conversation = newConversation({
    id: deps.newId(),
    workspaceId: deps.store.workspaceId,
    inbox,
    customerId: customer.id,
    now,
  });
  await tx.conversations.create(conversation);
  const call = await tx.voice.calls.create({
    id: input.callId,
    inboxId: inbox.id,
    conversationId: conversation.id,
    customerId: customer.id,
    direction: input.direction,
    transport: input.transport,
    fromUri: input.from.uri.slice(0, 500),
    toUri: input.to.uri.slice(0, 500),
    state: 'bot',
    startedAt: input.startedAt,
    answeredAt: now,
  });
  const events: DomainEvent[] = [
    {
      name: 'conversation.created',
      workspaceId: conversation.workspaceId,
      occurredAt: now,
      conversationId: conversation.id,
      customerId: customer.id,
      inboxId: inbox.id,
    },
  ];
  return { call, conversation, customer, events };
}
