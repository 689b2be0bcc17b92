// A knowledge-base answer of a bot turn, written by the optional answer writer (an LLM) while the
// visitor watches it grow, or the plain passage when there is no writer or it declines. Runs before the
// turn's transaction: drafts are previews published as they come; only the turn's stored message is a
// fact, and it keeps the draft's id so the widget swaps one for the other.
import type { BotDecision } from '../bot/bot.ts';
import type { KnowledgeAnswerWriter } from '../bot/knowledgeAnswers.ts';
import type { DomainEvent } from '../events.ts';
import type { Conversation, Message, MessageMetadata } from '../model.ts';
import type { UseCaseDeps } from '../ports.ts';

export interface KnowledgeAnswerDeps {
  /** Absent: no LLM configured; knowledge answers are the passages' own text. */
  answerWriter?: KnowledgeAnswerWriter | null;
  /** Sends a draft to the visitor now (the event bus), ahead of any commit. */
  publishDraft?: (event: Extract<DomainEvent, { name: 'message.draft_updated' }>) => void;
}

export interface WrittenKnowledgeAnswer {
  /** Which of the decision's replies this replaces. */
  reply: number;
  id: string;
  text: string;
  metadata: MessageMetadata;
}

/** Earlier messages given to the writer for context (it masks what it sends out). */
const HISTORY_MESSAGES = 8;

const sourcesOf = (passages: NonNullable<BotDecision['knowledge']>['passages']) =>
  passages.map((p) => ({ id: p.id, kind: p.kind, title: p.title }));

export async function writeKnowledgeAnswer(
  deps: UseCaseDeps & KnowledgeAnswerDeps,
  input: { conversation: Conversation; message: Message; decision: BotDecision },
): Promise<WrittenKnowledgeAnswer | null> {
  const { conversation, message, decision } = input;
  const knowledge = decision.knowledge;
  const plain = knowledge ? decision.replies[knowledge.reply] : undefined;
  const top = knowledge?.passages[0];
  // Hand-offs, forms and actions never reach the writer: only a reply that is a knowledge answer does.
  if (!knowledge || plain === undefined || !top || decision.handoff) return null;
  const id = deps.newId();
  const asPassage = { reply: knowledge.reply, id, text: plain, metadata: { sources: sourcesOf([top]) } };
  if (!deps.answerWriter) return asPassage;

  const history = (await deps.store.messages.list(conversation.id, { limit: HISTORY_MESSAGES + 1 }))
    .filter((m) => m.id !== message.id && m.createdAt <= message.createdAt)
    .slice(-HISTORY_MESSAGES)
    .map((m) => ({ author: m.author, text: m.text }));
  let seq = 0;
  const answer = await deps.answerWriter.write({
    workspaceId: conversation.workspaceId,
    conversationId: conversation.id,
    question: message.text,
    passages: knowledge.passages,
    history,
    onDraft: (text) =>
      deps.publishDraft?.({
        name: 'message.draft_updated',
        workspaceId: conversation.workspaceId,
        occurredAt: deps.clock.now().toISOString(),
        conversationId: conversation.id,
        customerId: conversation.customerId,
        inboxId: conversation.inboxId,
        draftId: id,
        seq: ++seq,
        text,
      }),
  });
  if (answer.kind === 'declined') return asPassage;
  return {
    reply: knowledge.reply,
    id,
    text: answer.text,
    metadata: { sources: sourcesOf(knowledge.passages), generatedBy: 'llm' },
  };
}

/** The text, id and metadata a turn's reply is posted with. */
export function replyContent(
  written: WrittenKnowledgeAnswer | null,
  index: number,
  text: string,
): { text: string; id?: string; metadata?: MessageMetadata } {
  return written?.reply === index
    ? { text: written.text, id: written.id, metadata: written.metadata }
    : { text };
}
