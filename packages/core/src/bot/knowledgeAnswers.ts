// The optional writer of knowledge-base answers (an LLM grounded in the retrieved passages). The domain
// only knows this port: what it is asked, that it streams drafts, and that it may decline.
import type { MessageAuthor } from '../model.ts';
import type { KnowledgePassage } from './bot.ts';

export interface KnowledgeAnswerRequest {
  workspaceId: string;
  conversationId: string;
  question: string;
  passages: readonly KnowledgePassage[];
  /** Earlier messages of the conversation, oldest first, without the question. */
  history: readonly { author: MessageAuthor; text: string }[];
  /** The answer so far, each time it grows; only text that already passed the writer's checks. */
  onDraft(text: string): void;
}

export type KnowledgeAnswer =
  | { kind: 'written'; text: string }
  /** Timed out, failed or failed its checks: the plain knowledge-base answer is sent instead. */
  | { kind: 'declined'; reason: string };

export interface KnowledgeAnswerWriter {
  /** Never rejects: any failure is `declined`. */
  write(request: KnowledgeAnswerRequest): Promise<KnowledgeAnswer>;
}
