// Records a conversation's satisfaction survey result (1–5 and an optional comment), as an agent noted
// it or the shop's survey integration reported it. A later result replaces an earlier one.
import { DomainError, notFound } from '../errors.ts';
import type { DomainEvent } from '../events.ts';
import type { UseCaseDeps } from '../ports.ts';
import type { ConversationRating } from './suggestions.ts';

export const CSAT_COMMENT_MAX = 1000;

export interface RateConversationInput {
  conversationId: string;
  score: number;
  comment?: string | null;
}

export async function rateConversation(
  deps: UseCaseDeps,
  input: RateConversationInput,
): Promise<{ rating: ConversationRating; events: DomainEvent[] }> {
  if (!Number.isInteger(input.score) || input.score < 1 || input.score > 5)
    throw new DomainError('validation_failed', 'score must be a whole number from 1 to 5');
  const comment = input.comment?.trim() || null;
  if (comment && [...comment].length > CSAT_COMMENT_MAX)
    throw new DomainError('validation_failed', `comment must be at most ${CSAT_COMMENT_MAX} characters`);
  const conversation = await deps.store.conversations.get(input.conversationId);
  if (!conversation) throw notFound('conversation');
  const now = deps.clock.now().toISOString();
  const rating: ConversationRating = { score: input.score, comment, ratedAt: now };
  if (!(await deps.store.assist.rate(conversation.id, rating))) throw notFound('conversation');
  return {
    rating,
    events: [
      {
        name: 'conversation.rated',
        workspaceId: conversation.workspaceId,
        occurredAt: now,
        conversationId: conversation.id,
        score: input.score,
      },
    ],
  };
}
