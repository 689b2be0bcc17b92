// The bot's turn after a customer message (run from the durable `bot.reply` job): answer, ask, or hand
// off. Silent once humans are involved. The message id is the turn's key: a retried job whose turn was
// already committed does nothing, and its replies carry idempotency keys derived from it.
import type { Bot } from '../bot/bot.ts';
import type { DomainEvent } from '../events.ts';
import type { UseCaseDeps } from '../ports.ts';
import { handOffConversation } from './handOffConversation.ts';
import { postOutgoingMessage } from './postOutgoingMessage.ts';

export async function runBotTurn(
  deps: UseCaseDeps & { bot: Bot },
  input: { conversationId: string; messageId: string },
): Promise<{ events: DomainEvent[]; outcome: 'answered' | 'handed_off' | 'silent' }> {
  const conversation = await deps.store.conversations.get(input.conversationId);
  const message = await deps.store.messages.get(input.messageId);
  if (!conversation || !message || !conversation.botActive) return { events: [], outcome: 'silent' };
  const previous = await deps.store.botStates.get(conversation.id);
  if (previous?.lastMessageId === message.id) return { events: [], outcome: 'silent' };
  const workspace = await deps.store.workspace.get();
  const decision = await deps.bot.decide({
    workspaceId: workspace.id,
    conversationId: conversation.id,
    customerId: conversation.customerId,
    messageId: message.id,
    locale: workspace.locale,
    text: message.text,
    now: deps.clock.now(),
    state: previous?.state ?? null,
  });
  return deps.store.transaction(async (tx) => {
    // Re-read inside the transaction: an agent may have stepped in while the bot was thinking.
    const current = await tx.conversations.get(conversation.id);
    const inbox = current && (await tx.inboxes.get(current.inboxId));
    if (!current || !inbox || !current.botActive) return { events: [], outcome: 'silent' as const };
    const events: DomainEvent[] = [];
    for (const [index, text] of decision.replies.entries()) {
      const { event } = await postOutgoingMessage(deps, tx, current, inbox, {
        author: 'bot',
        authorUserId: null,
        text,
        idempotencyKey: index === 0 ? `bot:${message.id}` : `bot:${message.id}:${index}`,
      });
      events.push(event);
    }
    await tx.botStates.save(current.id, decision.state, message.id, deps.clock.now().toISOString());
    if (!decision.handoff) return { events, outcome: 'answered' as const };
    events.push(
      ...(await handOffConversation(deps, tx, {
        conversation: current,
        inbox,
        locale: workspace.locale,
        reason: decision.handoff.reason,
        priority: decision.handoff.priority,
        ...(decision.handoff.notice ? { notice: decision.handoff.notice } : {}),
      })),
    );
    return { events, outcome: 'handed_off' as const };
  });
}
