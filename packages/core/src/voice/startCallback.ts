// An agent calls a customer back from the console: the customer is one of this workspace's (found by the
// conversation the agent works in, or by id), the number is one the customer is known by (their phone or
// a phone identity; never a number the client typed), and the line is one of the workspace's enabled
// voice inboxes. The call row is stored ringing, outbound, with the agent on it, in the conversation the
// agent called from (or a new one on the voice inbox); the server dials and moves it on from there.

import { newConversation } from '../conversations/newConversation.ts';
import { DomainError } from '../errors.ts';
import type { DomainEvent } from '../events.ts';
import type { Conversation, Customer, Inbox } from '../model.ts';
import type { UseCaseDeps } from '../ports.ts';
import type { VoiceCall } from './calls.ts';

export interface StartCallbackInput {
  callId: string;
  agentId: string;
  target: { conversationId: string } | { customerId: string };
  /** One of the customer's phones; the first known one when absent. */
  phone?: string;
  /** A voice inbox of the workspace; the first enabled one on `lineAdapter` when absent. */
  inboxId?: string;
  /** The adapter of inboxes that can place calls (the server's SIP voice adapter). */
  lineAdapter: string;
  startedAt: string;
}

export interface StartCallbackOutput {
  call: VoiceCall;
  conversation: Conversation;
  customer: Customer;
  inbox: Inbox;
  phone: string;
  events: DomainEvent[];
}

/** The numbers a customer can be called on, normalised, verified identities first, without repeats. */
export function customerPhones(customer: Pick<Customer, 'phone' | 'identities'>): string[] {
  const identities = customer.identities.filter((i) => i.kind === 'phone');
  const ordered = [
    ...identities.filter((i) => i.verified).map((i) => i.value),
    ...(customer.phone ? [customer.phone] : []),
    ...identities.filter((i) => !i.verified).map((i) => i.value),
  ];
  const phones: string[] = [];
  for (const raw of ordered) {
    const phone = normalisePhone(raw);
    if (phone && !phones.includes(phone)) phones.push(phone);
  }
  return phones;
}

function normalisePhone(raw: string): string | null {
  const phone = raw.replace(/[\s().-]/g, '');
  return /^\+?\d{3,20}$/.test(phone) ? phone : null;
}

export async function startCallback(
  deps: UseCaseDeps,
  input: StartCallbackInput,
): Promise<StartCallbackOutput> {
  if (await deps.store.voice.calls.get(input.callId))
    throw new DomainError('conflict', 'a call with this id exists already');
  return deps.store.transaction(async (tx) => {
    let conversation: Conversation | null = null;
    let customerId: string;
    if ('conversationId' in input.target) {
      conversation = await tx.conversations.get(input.target.conversationId);
      if (!conversation) throw new DomainError('not_found', 'conversation not found');
      customerId = conversation.customerId;
    } else customerId = input.target.customerId;
    const customer = await tx.customers.get(customerId);
    if (!customer) throw new DomainError('not_found', 'customer not found');

    const phones = customerPhones(customer);
    if (phones.length === 0) throw new DomainError('conflict', 'the customer has no phone number');
    const asked = input.phone === undefined ? null : normalisePhone(input.phone);
    if (input.phone !== undefined && (!asked || !phones.includes(asked)))
      throw new DomainError('validation_failed', 'the number is not one of the customer’s phones');
    const phone = asked ?? (phones[0] as string);

    const lines = (await tx.inboxes.list()).filter(
      (i) => i.channel === 'voice' && i.adapter === input.lineAdapter && i.enabled,
    );
    const inbox = input.inboxId ? lines.find((i) => i.id === input.inboxId) : lines[0];
    if (!inbox)
      throw new DomainError(
        input.inboxId ? 'not_found' : 'conflict',
        input.inboxId ? 'voice inbox not found' : 'the workspace has no voice inbox to call from',
      );

    const now = deps.clock.now().toISOString();
    const events: DomainEvent[] = [];
    if (!conversation) {
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
    }
    const created = await tx.voice.calls.create({
      id: input.callId,
      inboxId: inbox.id,
      conversationId: conversation.id,
      customerId: customer.id,
      direction: 'outbound',
      transport: 'sip',
      fromUri: `inbox:${inbox.id}`,
      toUri: `tel:${phone}`,
      state: 'ringing',
      startedAt: input.startedAt,
      answeredAt: null,
    });
    await tx.voice.calls.update(created.id, { agentId: input.agentId });
    const call: VoiceCall = { ...created, agentId: input.agentId };
    return { call, conversation, customer, inbox, phone, events };
  });
}
