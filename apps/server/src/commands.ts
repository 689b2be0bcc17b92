// The application's verbs: each runs one core use case for a workspace, then publishes the events it
// produced (after commit) and nudges the job worker. Routes, jobs and gateways call these; they hold no
// business logic themselves.
import {
  type AgentStatus,
  type AssignConversationInput,
  type AttachIdentityInput,
  acceptOffer,
  announceQueuePositions,
  applyAutoAway,
  assignConversation,
  assignTicket,
  attachIdentity,
  type Bot,
  type Clock,
  type ConversationStatus,
  changeConversationStatus,
  changeTicketStatus,
  commentOnTicket,
  type DismissMergeSuggestionInput,
  type DomainEvent,
  declineOffer,
  dismissMergeSuggestion,
  dispatchQueue,
  type EventBus,
  expireOffer,
  type IdentifyCustomerInput,
  identifyCustomer,
  type KnowledgeAnswerWriter,
  type MergeCustomersInput,
  mergeCustomers,
  mergeTicket,
  type NameCustomerInput,
  nameCustomer,
  notifyTicketCustomer,
  type OverflowInput,
  openTicket,
  overflowConversation,
  type RateConversationInput,
  type ReceiveCustomerMessageInput,
  type RecommendedReplies,
  type RecordSuggestionFeedbackInput,
  type ReplyAsAgentInput,
  rateConversation,
  receiveCustomerMessage,
  recordAgentActivity,
  recordSuggestionFeedback,
  reopenOnCustomerReply,
  replyAsAgent,
  returnCallToBot,
  runBotTurn,
  type StartCallbackInput,
  type StartCallInput,
  setAgentStatus,
  startCall,
  startCallback,
  ticketForCustomerMessage,
  type UseCaseDeps,
  updateTicket,
} from '@zhike/core';
import type { Database } from '@zhike/db';
import { detectLanguage } from '@zhike/nlu';
import type { Logger } from 'pino';
import { type AuditActor, recordAudit } from './audit.ts';
import type { CostMeter } from './costs/costMeter.ts';
import type { Telemetry } from './observability/telemetry.ts';
import { CONFIDENT_LANGUAGE } from './translation/languages.ts';

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
  /** Meters billable bot interactions. */
  costs?: CostMeter;
  /** Counts received messages. */
  telemetry?: Telemetry;
}

/** The message's language, detected here unless the channel knew it (a call's ASR language). */
function withLanguage(input: ReceiveCustomerMessageInput): ReceiveCustomerMessageInput {
  if (input.language !== undefined || input.text.trim() === '') return input;
  const guess = detectLanguage(input.text);
  if (guess.language === 'other') return { ...input, language: null };
  return { ...input, language: guess.language, languageConfident: guess.confidence >= CONFIDENT_LANGUAGE };
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
  /** Runs a use case for the workspace and publishes what it produced. */
  const run =
    <I, O extends { events: DomainEvent[] }>(useCase: (deps: UseCaseDeps, input: I) => Promise<O>) =>
    async (workspaceId: string, input: I): Promise<O> => {
      const result = await useCase(deps(workspaceId), input);
      await publish(result.events);
      return result;
    };
  /** Every merge leaves an audit entry: automatic ones name the system, confirmed ones the user. */
  const auditMerges = async (events: readonly DomainEvent[], actor: AuditActor) => {
    for (const e of events) {
      if (e.name !== 'customer.merged') continue;
      await recordAudit(d, {
        workspaceId: e.workspaceId,
        actor,
        action: 'customer.merged',
        target: { type: 'customer', id: e.survivorId },
        details: { absorbedCustomerId: e.absorbedId, mergeId: e.mergeId, reason: e.reason },
      });
    }
  };
  const identityActor: AuditActor = { type: 'system', id: 'identity' };
  return {
    async receiveCustomerMessage(workspaceId: string, input: ReceiveCustomerMessageInput) {
      const result = await receiveCustomerMessage(deps(workspaceId), withLanguage(input));
      // Counted here, where this process stored it, rather than by a listener on message.created: with
      // Redis every process hears every event, and each would count the message again.
      if (!result.duplicate) d.telemetry?.messageReceived(result.conversation.channel);
      await auditMerges(result.events, identityActor);
      await publish(result.events);
      return result;
    },
    async attachIdentity(workspaceId: string, input: AttachIdentityInput) {
      const result = await attachIdentity(deps(workspaceId), input);
      if (result.outcome === 'merged')
        await d.db.forWorkspace(workspaceId).privacy.shredCustomerKeys(input.customerId);
      await auditMerges(result.events, identityActor);
      await publish(result.events);
      return result;
    },
    async identifyCustomer(workspaceId: string, input: IdentifyCustomerInput) {
      const result = await identifyCustomer(deps(workspaceId), input);
      await auditMerges(result.events, identityActor);
      await publish(result.events);
      return result;
    },
    async mergeCustomers(workspaceId: string, input: MergeCustomersInput, actor: AuditActor) {
      const result = await mergeCustomers(deps(workspaceId), input);
      await auditMerges(result.events, actor);
      await publish(result.events);
      return result;
    },
    async dismissMergeSuggestion(workspaceId: string, input: DismissMergeSuggestionInput) {
      const suggestion = await dismissMergeSuggestion(deps(workspaceId), input);
      await recordAudit(d, {
        workspaceId,
        actor: { type: 'user', id: input.userId },
        action: 'customer.merge_dismissed',
        target: { type: 'customer', id: suggestion.customerId },
        details: { suggestionId: suggestion.id, candidateCustomerId: suggestion.candidateId },
      });
      return suggestion;
    },
    async replyAsAgent(workspaceId: string, input: ReplyAsAgentInput) {
      const result = await replyAsAgent(deps(workspaceId), input);
      await publish(result.events);
      return result;
    },
    /** A satisfaction survey result (agent or the shop's survey tool). */
    async rateConversation(workspaceId: string, input: RateConversationInput) {
      const result = await rateConversation(deps(workspaceId), input);
      await publish(result.events);
      return result.rating;
    },
    /** The learning loop: `recommend` recomputes the suggestions the agent was shown. */
    async recordSuggestionFeedback(
      workspaceId: string,
      input: RecordSuggestionFeedbackInput,
      recommend: () => Promise<RecommendedReplies>,
    ) {
      const result = await recordSuggestionFeedback({ ...deps(workspaceId), recommend }, input);
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
    /** Offers waiting conversations to agents, then tells the customers in line where they stand. */
    async dispatchQueue(workspaceId: string) {
      const result = await dispatchQueue(deps(workspaceId));
      await publish(result.events);
      const announced = await announceQueuePositions(deps(workspaceId));
      await publish(announced.events);
      return result;
    },
    async acceptOffer(workspaceId: string, input: { offerId: string; userId: string }) {
      const result = await acceptOffer(deps(workspaceId), input);
      await publish(result.events);
      return result;
    },
    async declineOffer(workspaceId: string, input: { offerId: string; userId: string }) {
      const result = await declineOffer(deps(workspaceId), input);
      await publish(result.events);
    },
    async expireOffer(workspaceId: string, input: { offerId: string }) {
      const result = await expireOffer(deps(workspaceId), input);
      await publish(result.events);
      return result.expired;
    },
    async overflowConversation(workspaceId: string, input: OverflowInput) {
      const result = await overflowConversation(deps(workspaceId), input);
      await publish(result.events);
      return result.applied;
    },
    async setAgentStatus(workspaceId: string, input: { userId: string; status: AgentStatus }) {
      const result = await setAgentStatus(deps(workspaceId), input);
      await publish(result.events);
      return result.profile;
    },
    async recordAgentActivity(workspaceId: string, input: { userId: string }) {
      const result = await recordAgentActivity(deps(workspaceId), input);
      await publish(result.events);
    },
    async applyAutoAway(workspaceId: string, input: { userId: string }) {
      const result = await applyAutoAway(deps(workspaceId), input);
      await publish(result.events);
    },
    /** An agent hands a caller back to the voice bot: the conversation leaves the queue, the bot speaks again. */
    async returnCallToBot(workspaceId: string, input: { conversationId: string }) {
      const result = await returnCallToBot(deps(workspaceId), input);
      await publish(result.events);
    },
    /** A call comes in: its customer, conversation and call row (voice/voiceCalls.ts drives the rest). */
    async startCall(workspaceId: string, input: StartCallInput) {
      const result = await startCall(deps(workspaceId), input);
      await publish(result.events);
      return result;
    },
    /** An agent calls a customer back: the call row, ringing, in the customer's conversation. */
    async startCallback(workspaceId: string, input: StartCallbackInput) {
      const result = await startCallback(deps(workspaceId), input);
      await publish(result.events);
      return result;
    },
    tickets: {
      open: run(openTicket),
      changeStatus: run(changeTicketStatus),
      assign: run(assignTicket),
      update: run(updateTicket),
      comment: run(commentOnTicket),
      merge: run(mergeTicket),
      forCustomerMessage: run(ticketForCustomerMessage),
      notifyCustomer: run(notifyTicketCustomer),
      reopenOnCustomerReply: run(reopenOnCustomerReply),
    },
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
      if (result.botTurn) await d.costs?.record(workspaceId, 'bot_interaction', 1);
      return result.outcome;
    },
  };
}

export type Commands = ReturnType<typeof createCommands>;
