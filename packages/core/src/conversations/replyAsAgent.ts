// An agent answers a customer. The bot falls silent for good, and an unassigned conversation becomes
// the replying agent's.
import { DomainError, notFound } from '../errors.ts';
import type { DomainEvent } from '../events.ts';
import type { MessageTranslation } from '../languages/model.ts';
import type { Attachment, Message } from '../model.ts';
import { UniqueViolation, type UseCaseDeps } from '../ports.ts';
import { recordPickup } from '../queues/pickUp.ts';
import { fillOnSend } from '../replies/fillReplyVariables.ts';
import { postOutgoingMessage } from './postOutgoingMessage.ts';

export interface ReplyAsAgentInput {
  conversationId: string;
  agentId: string;
  text: string;
  clientMessageId?: string | null;
  /** Files the agent uploaded (stored already; see the attachments repository). */
  attachments?: Attachment[];
  /**
   * Live translation: `text` is then the machine translation the customer receives, in `language`,
   * and `translation` holds what the agent wrote.
   */
  language?: string | null;
  translation?: MessageTranslation | null;
}

export interface ReplyAsAgentOutput {
  message: Message;
  duplicate: boolean;
  events: DomainEvent[];
}

export async function replyAsAgent(deps: UseCaseDeps, input: ReplyAsAgentInput): Promise<ReplyAsAgentOutput> {
  const key = input.clientMessageId ? `agent:${input.agentId}:${input.clientMessageId}` : null;
  const conversation = await deps.store.conversations.get(input.conversationId);
  if (!conversation) throw notFound('conversation');
  const findDuplicate = async () =>
    key ? deps.store.messages.findByIdempotencyKey(conversation.inboxId, key) : null;
  const earlier = await findDuplicate();
  if (earlier) return { message: earlier, duplicate: true, events: [] };
  // A canned reply or suggestion may still name the customer: filled only now (see PERSONAL_REPLY_VARIABLES).
  const text = input.text.includes('{{')
    ? fillOnSend(input.text, await deps.store.customers.get(conversation.customerId))
    : input.text;
  try {
    return await deps.store.transaction(async (tx) => {
      const current = await tx.conversations.get(input.conversationId);
      const inbox = current && (await tx.inboxes.get(current.inboxId));
      if (!current || !inbox) throw notFound('conversation');
      const now = deps.clock.now().toISOString();
      const events: DomainEvent[] = [];
      const { message, event } = await postOutgoingMessage(deps, tx, current, inbox, {
        author: 'agent',
        authorUserId: input.agentId,
        text,
        attachments: input.attachments ?? [],
        language: input.language ?? null,
        translation: input.translation ?? null,
        idempotencyKey: key,
        clientMessageId: input.clientMessageId ?? null,
      });
      const assigneeId = current.assigneeId ?? input.agentId;
      await tx.conversations.update(current.id, { botActive: false, assigneeId, updatedAt: now });
      if (current.assigneeId === null) {
        // Replying is picking up: the offer (to this agent or another) settles and the wait ends.
        events.push(...(await recordPickup(tx, current, assigneeId, now)));
        if (current.waitingSince) await tx.conversations.update(current.id, { waitingSince: null });
        events.push({
          name: 'conversation.assigned',
          workspaceId: current.workspaceId,
          occurredAt: now,
          conversationId: current.id,
          assigneeId,
        });
      }
      events.push(event);
      return { message, duplicate: false, events };
    });
  } catch (error) {
    if (!(error instanceof UniqueViolation)) throw error;
    const original = await findDuplicate();
    if (!original) throw new DomainError('conflict', 'concurrent reply');
    return { message: original, duplicate: true, events: [] };
  }
}
