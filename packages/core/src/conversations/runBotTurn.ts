// The bot's turn after a customer message (run from the durable `bot.reply` job): answer, ask, or hand
// off. Silent once humans are involved. The message id is the turn's key: a retried job whose turn was
// already committed does nothing, and its replies carry idempotency keys derived from it. Each turn is
// recorded (bot_turns) in the same transaction, for the bot's analytics. Routing decides on the first
// message, on the bot's hand-off and while the bot is off (planRouting): a queue target hands the
// conversation to people instead of the bot's answer, and the decision is recorded with the turn.
import type { Bot } from '../bot/bot.ts';
import type { DomainEvent } from '../events.ts';
import { recordBotTurnRollups } from '../metrics/recordRollups.ts';
import type { Conversation } from '../model.ts';
import type { UseCaseDeps } from '../ports.ts';
import { needsRouting, planRouting } from '../routing/planRouting.ts';
import { handOffConversation } from './handOffConversation.ts';
import { postOutgoingMessage } from './postOutgoingMessage.ts';
import { type KnowledgeAnswerDeps, replyContent, writeKnowledgeAnswer } from './writeKnowledgeAnswer.ts';

/** Another turn of the same conversation committed first; retrying runs this one on its state. */
export class BotTurnConflict extends Error {
  constructor(conversationId: string) {
    super(`a concurrent bot turn changed conversation ${conversationId}`);
    this.name = 'BotTurnConflict';
  }
}

/**
 * A customer's first turn in this conversation: what they told the bot in their latest other conversation
 * (on any channel; merged customers' included), as far as the bot carries it over.
 */
async function carriedOver(deps: UseCaseDeps & { bot: Bot }, conversation: Conversation): Promise<unknown> {
  if (!deps.bot.carryOver) return null;
  const others = (await deps.store.conversations.listByCustomer(conversation.customerId)).filter(
    (c) => c.id !== conversation.id,
  );
  // Newest first: the latest thing they said wins.
  for (const other of others.reverse()) {
    const state = await deps.store.botStates.get(other.id);
    if (state) return deps.bot.carryOver(state.state);
  }
  return null;
}

export async function runBotTurn(
  deps: UseCaseDeps & { bot: Bot } & KnowledgeAnswerDeps,
  input: { conversationId: string; messageId: string },
): Promise<{
  events: DomainEvent[];
  outcome: 'answered' | 'handed_off' | 'silent';
  /** True when a bot worked on the message and its turn was stored (a billable bot interaction). */
  botTurn?: boolean;
}> {
  const conversation = await deps.store.conversations.get(input.conversationId);
  const message = await deps.store.messages.get(input.messageId);
  if (!conversation || !message || !conversation.botActive) return { events: [], outcome: 'silent' };
  const previous = await deps.store.botStates.get(conversation.id);
  const answered =
    previous?.lastMessageId === message.id ||
    (await deps.store.messages.findByIdempotencyKey(conversation.inboxId, `bot:${message.id}`)) !== null;
  if (answered) return { events: [], outcome: 'silent' };
  const workspace = await deps.store.workspace.get();
  const start = previous ? previous.state : await carriedOver(deps, conversation);
  const decision = await deps.bot.decide({
    workspaceId: workspace.id,
    conversationId: conversation.id,
    customerId: conversation.customerId,
    messageId: message.id,
    locale: workspace.locale,
    text: message.text,
    attachments: message.attachments.flatMap((a) => (a.id ? [{ id: a.id, mimeType: a.mimeType }] : [])),
    now: deps.clock.now(),
    state: start ?? null,
    language: message.language ?? null,
  });
  const routing = needsRouting(conversation, decision)
    ? await planRouting(deps.store, { conversation, decision, now: deps.clock.now() })
    : null;
  const routedToQueue = routing !== null && routing.record.target === 'queue' && !decision.handoff;
  // Routed to people: the bot's answer is not sent, so no model writes it.
  const written = routedToQueue
    ? null
    : await writeKnowledgeAnswer(deps, { conversation, message, decision });
  const turn = await deps.store.transaction(async (tx) => {
    // Re-read inside the transaction: an agent may have stepped in while the bot was thinking.
    const current = await tx.conversations.get(conversation.id);
    const inbox = current && (await tx.inboxes.get(current.inboxId));
    if (!current || !inbox || !current.botActive) return { events: [], outcome: 'silent' as const };
    // Two turns of one conversation must not both build on the same state (e.g. two quick messages
    // claimed in one worker batch): the loser throws, its job is retried and runs on the winner's state.
    const saved = await tx.botStates.save({
      conversationId: current.id,
      state: decision.state,
      lastMessageId: message.id,
      expectedLastMessageId: previous?.lastMessageId ?? null,
      at: deps.clock.now().toISOString(),
    });
    if (!saved) throw new BotTurnConflict(conversation.id);
    // Recorded with the turn it describes: analytics never count a turn that rolled back, nor miss one.
    if (decision.turn) {
      const at = deps.clock.now().toISOString();
      const outcome = routedToQueue ? ('handed_off' as const) : decision.turn.outcome;
      const recorded = await tx.botTurns.record({
        ...decision.turn,
        conversationId: current.id,
        customerId: current.customerId,
        messageId: message.id,
        channel: current.channel,
        question: message.text,
        outcome,
        handoffReason: routedToQueue ? 'routing' : (decision.handoff?.reason ?? null),
        handoffPriority: routedToQueue ? null : (decision.handoff?.priority ?? null),
        at,
      });
      if (recorded)
        await recordBotTurnRollups(tx, {
          conversation: current,
          messageId: message.id,
          outcome,
          target: decision.turn.target,
          at,
        });
    }
    const events: DomainEvent[] = [];
    if (routing) {
      const { record, notify } = routing;
      const tags = record.tags.filter((t) => !current.tags.includes(t));
      const update = {
        routing: record,
        ...(tags.length > 0 ? { tags: [...current.tags, ...tags] } : {}),
        updatedAt: deps.clock.now().toISOString(),
      };
      await tx.conversations.update(current.id, update);
      Object.assign(current, update);
      if (notify.userIds.length > 0 || notify.supervisors)
        events.push({
          name: 'conversation.routing_notified',
          workspaceId: current.workspaceId,
          occurredAt: update.updatedAt,
          conversationId: current.id,
          ruleId: record.ruleId,
          userIds: notify.userIds,
          supervisors: notify.supervisors,
        });
    }
    if (routing && routedToQueue) {
      events.push(
        ...(await handOffConversation(deps, tx, {
          conversation: current,
          inbox,
          locale: workspace.locale,
          reason: 'routing',
          priority: routing.record.priority,
          queueId: routing.record.queueId,
          priorityScore: routing.record.priorityScore,
          routing: routing.record,
        })),
      );
      return { events, outcome: 'handed_off' as const };
    }
    for (const [index, text] of decision.replies.entries()) {
      const { event } = await postOutgoingMessage(deps, tx, current, inbox, {
        author: 'bot',
        authorUserId: null,
        ...replyContent(written, index, text),
        language: decision.replyLanguage ?? null,
        translation: decision.replyTranslations?.[index] ?? null,
        idempotencyKey: index === 0 ? `bot:${message.id}` : `bot:${message.id}:${index}`,
      });
      events.push(event);
    }
    if (!decision.handoff) {
      // The bot keeps the conversation; its place in a queue later starts from this score.
      if (routing) await tx.conversations.update(current.id, { priorityScore: routing.record.priorityScore });
      return { events, outcome: 'answered' as const };
    }
    events.push(
      ...(await handOffConversation(deps, tx, {
        conversation: current,
        inbox,
        locale: workspace.locale,
        reason: decision.handoff.reason,
        priority: routing ? routing.record.priority : decision.handoff.priority,
        ...(routing
          ? {
              queueId: routing.record.queueId,
              priorityScore: routing.record.priorityScore,
              routing: routing.record,
            }
          : {}),
        ...(decision.handoff.notice ? { notice: decision.handoff.notice } : {}),
      })),
    );
    return { events, outcome: 'handed_off' as const };
  });
  // What the turn's actions committed already (a ticket a form opened) is news whatever the turn did.
  return {
    ...turn,
    events: [...(decision.events ?? []), ...turn.events],
    botTurn: turn.outcome !== 'silent' && decision.turn !== null,
  };
}
