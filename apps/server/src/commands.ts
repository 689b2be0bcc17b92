// The application's verbs: each runs one core use case for a workspace, then publishes the events it
// produced (after commit) and nudges the job worker. Routes, jobs and gateways call these; they hold no
// business logic themselves.
import {
  type AssignConversationInput,
  assignConversation,
  type Bot,
  type Clock,
  type ConversationStatus,
  changeConversationStatus,
  type DomainEvent,
  type EventBus,
  type KnowledgeAnswerWriter,
  type NameCustomerInput,
  nameCustomer,
  type ReceiveCustomerMessageInput,
  type ReplyAsAgentInput,
  receiveCustomerMessage,
  replyAsAgent,
  runBotTurn,
  type UseCaseDeps,
} from '@zhike/core';
import type { Database } from '@zhike/db';
import type { Logger } from 'pino';

export interface CommandDeps {
  db: Database;
  bus: EventBus;
  clock: Clock;
  newId: () => string;
  bot: Bot;
  /** The optional LLM that writes knowledge answers (streamed to the widget as drafts). */
  answerWriter?: KnowledgeAnswerWriter | null;
  log: Logger;
  wakeWorker: () => void;
}

export function createCommands(d: CommandDeps) {
  const deps = (workspaceId: string): UseCaseDeps => ({
    store: d.db.forWorkspace(workspaceId),
    clock: d.clock,
    newId: d.newId,
  });
  const publish = async (events: DomainEvent[]) => {
    if (events.length === 0) return;
    d.wakeWorker();
    try {
      await d.bus.publish(events);
    } catch (error) {
      // The change is committed; a lost real-time nudge must not turn into a failed request.
      d.log.error({ err: error, events: events.map((e) => e.name) }, 'event publish failed');
    }
  };
  return {
    async receiveCustomerMessage(workspaceId: string, input: ReceiveCustomerMessageInput) {
      const result = await receiveCustomerMessage(deps(workspaceId), input);
      await publish(result.events);
      return result;
    },
    async replyAsAgent(workspaceId: string, input: ReplyAsAgentInput) {
      const result = await replyAsAgent(deps(workspaceId), input);
      await publish(result.events);
      return result;
    },
    async assignConversation(workspaceId: string, input: AssignConversationInput) {
      const result = await assignConversation(deps(workspaceId), input);
      await publish(result.events);
    },
    async changeConversationStatus(
      workspaceId: string,
      input: { conversationId: string; status: ConversationStatus },
    ) {
      const result = await changeConversationStatus(deps(workspaceId), input);
      await publish(result.events);
    },
    /** No events: a name alone changes no conversation. */
    nameCustomer: (workspaceId: string, input: NameCustomerInput) => nameCustomer(deps(workspaceId), input),
    async runBotTurn(workspaceId: string, input: { conversationId: string; messageId: string }) {
      // Drafts go out in order, as they come, and before the stored answer that replaces them.
      let drafts = Promise.resolve();
      const publishDraft = (event: DomainEvent) => {
        drafts = drafts
          .then(() => d.bus.publish([event]))
          .catch((err: unknown) => d.log.warn({ err }, 'draft publish failed'));
      };
      const result = await runBotTurn(
        { ...deps(workspaceId), bot: d.bot, answerWriter: d.answerWriter ?? null, publishDraft },
        input,
      ).finally(() => drafts);
      await publish(result.events);
      return result.outcome;
    },
  };
}

export type Commands = ReturnType<typeof createCommands>;
