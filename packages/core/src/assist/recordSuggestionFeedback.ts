// The learning loop's input: what an agent did with the suggestions for one customer message. The
// suggestions are recomputed here rather than taken from the console, so what is recorded as shown is
// what the server ranks, and an edited reply's distance is measured against the suggestion's real text.
import { DomainError, notFound } from '../errors.ts';
import type { DomainEvent } from '../events.ts';
import type { UseCaseDeps } from '../ports.ts';
import type { RecommendedReplies, SuggestionAction, SuggestionFeedback } from './suggestions.ts';
import { editRatio, textHash } from './textSimilarity.ts';

export interface RecordSuggestionFeedbackInput {
  conversationId: string;
  messageId: string;
  userId: string;
  action: SuggestionAction;
  rank?: number | null;
  sentMessageId?: string | null;
  /** How long the suggestions took to reach the agent, as the console saw it. */
  latencyMs?: number | null;
}

const invalid = (message: string) => new DomainError('validation_failed', message);

export async function recordSuggestionFeedback(
  deps: UseCaseDeps & { recommend: () => Promise<RecommendedReplies> },
  input: RecordSuggestionFeedbackInput,
): Promise<{ feedback: SuggestionFeedback; recorded: boolean; events: DomainEvent[] }> {
  const conversation = await deps.store.conversations.get(input.conversationId);
  if (!conversation) throw notFound('conversation');
  const chose = input.action !== 'ignored';
  if (chose && (input.rank == null || !input.sentMessageId))
    throw invalid(`${input.action} needs the rank used and the sent message`);
  if (!chose && input.rank != null) throw invalid('ignored suggestions have no rank');
  const message = await deps.store.messages.get(input.messageId);
  if (!message || message.conversationId !== conversation.id || message.author !== 'customer')
    throw invalid('messageId is not a customer message of this conversation');
  const sent = input.sentMessageId ? await deps.store.messages.get(input.sentMessageId) : null;
  if (input.sentMessageId && (!sent || sent.conversationId !== conversation.id || sent.author !== 'agent'))
    throw invalid('sentMessageId is not an agent reply in this conversation');

  const recommended = await deps.recommend();
  const chosen = chose ? recommended.suggestions.find((s) => s.rank === input.rank) : undefined;
  if (chose && !chosen) throw invalid(`there is no suggestion ranked ${input.rank}`);
  const now = deps.clock.now().toISOString();
  const feedback: SuggestionFeedback = {
    id: deps.newId(),
    conversationId: conversation.id,
    messageId: message.id,
    userId: input.userId,
    intent: recommended.intent,
    suggestions: recommended.suggestions.map((s) => ({
      rank: s.rank,
      kind: s.source.kind,
      sourceId: s.source.id,
      textHash: textHash(s.text),
      pinned: s.pinned,
    })),
    action: input.action,
    chosenRank: chosen?.rank ?? null,
    sentMessageId: sent?.id ?? null,
    editRatio: chosen && sent ? Math.round(editRatio(chosen.text, sent.text) * 1000) / 1000 : null,
    latencyMs: input.latencyMs == null ? null : Math.max(0, Math.round(input.latencyMs)),
    createdAt: now,
  };
  const recorded = await deps.store.assist.recordFeedback(feedback);
  return {
    feedback,
    recorded,
    events: recorded
      ? [
          {
            name: 'suggestion.feedback_recorded',
            workspaceId: conversation.workspaceId,
            occurredAt: now,
            conversationId: conversation.id,
            messageId: message.id,
            userId: input.userId,
            action: input.action,
          },
        ]
      : [],
  };
}
