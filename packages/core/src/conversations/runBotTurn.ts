// The bot's turn after a customer message (run from the durable `bot.reply` job): answer, or hand off.
// Silent once humans are involved, and silent for a message that is no longer the latest customer turn.
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
  const workspace = await deps.store.workspace.get();
  const decision = await deps.bot.decide({
    workspaceId: workspace.id,
    conversationId: conversation.id,
    locale: workspace.locale,
    text: message.text,
  });
  return deps.store.transaction(async (tx) => {
    // Re-read inside the transaction: an agent may have stepped in while the bot was thinking.
    const current = await tx.conversations.get(conversation.id);
    const inbox = current && (await tx.inboxes.get(current.inboxId));
    if (!current || !inbox || !current.botActive) return { events: [], outcome: 'silent' as const };
    if (decision.kind === 'answer') {
      const { event } = await postOutgoingMessage(deps, tx, current, inbox, {
        author: 'bot',
        authorUserId: null,
        text: decision.text,
        idempotencyKey: `bot:${message.id}`,
      });
      return { events: [event], outcome: 'answered' as const };
    }
    const events = await handOffConversation(deps, tx, {
      conversation: current,
      inbox,
      locale: workspace.locale,
      reason: decision.reason,
    });
    return { events, outcome: 'handed_off' as const };
  });
}
