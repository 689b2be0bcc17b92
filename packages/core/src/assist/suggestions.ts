// Agent assist: what a reply suggestion is, what an agent did with the ones shown, a conversation's
// survey result, and what storage offers for them. The ranking lives in rankSuggestions.ts.

export type SuggestionSourceKind = 'knowledge' | 'template' | 'history';

export interface SuggestionSource {
  kind: SuggestionSourceKind;
  /** FAQ entry or `<article>#<n>` passage, reply template id, or the history cluster's id. */
  id: string;
  /** What the console shows as its origin: the FAQ question, the template's title, a past reply's gist. */
  label: string;
}

export interface Suggestion {
  /** 1-based, in the order shown (pinned compliance suggestions first). */
  rank: number;
  /** Variables filled for this conversation; those it could not fill stay as written. */
  text: string;
  missingVariables: string[];
  source: SuggestionSource;
  /** Compliance wording whose intent matches: shown first and highlighted. */
  pinned: boolean;
  /** 0..1, comparable across sources. */
  score: number;
}

export interface RecommendedReplies {
  conversationId: string;
  /** The customer message the suggestions answer. */
  messageId: string;
  /** The intent they were ranked for (null: the NLU found none). */
  intent: string | null;
  suggestions: Suggestion[];
}

/** How a shown suggestion is remembered: enough to count hits, never the text itself. */
export interface ShownSuggestion {
  rank: number;
  kind: SuggestionSourceKind;
  sourceId: string;
  textHash: string;
  pinned: boolean;
}

export const suggestionActions = ['accepted', 'edited', 'ignored'] as const;
export type SuggestionAction = (typeof suggestionActions)[number];

export interface SuggestionFeedback {
  id: string;
  conversationId: string;
  messageId: string;
  userId: string;
  intent: string | null;
  suggestions: ShownSuggestion[];
  action: SuggestionAction;
  chosenRank: number | null;
  sentMessageId: string | null;
  /** Edited: the share of the suggestion the agent changed (0..1); null otherwise. */
  editRatio: number | null;
  latencyMs: number | null;
  createdAt: string;
}

export interface ConversationRating {
  score: number;
  comment: string | null;
  ratedAt: string;
}

/**
 * An agent's reply in a resolved conversation, with the customer message it answered: what source (c)
 * learns from. Only conversations that ended well are returned (rated 4–5, or unrated and never reopened).
 */
export interface HistoryReply {
  conversationId: string;
  customerMessageId: string;
  customerText: string;
  replyMessageId: string;
  replyText: string;
  repliedAt: string;
  /** null: unrated (resolved and never reopened). */
  csatScore: number | null;
  /** What the agent did with suggestions for that customer message, if recorded. */
  feedback: SuggestionAction | null;
  /** The customer's name then, so it can be generalised out of the reply. */
  customerName: string | null;
}

export interface AssistRepository {
  /** Records the survey result; false when the workspace has no such conversation. */
  rate(conversationId: string, rating: ConversationRating): Promise<boolean>;
  rating(conversationId: string): Promise<ConversationRating | null>;
  /** Marks a resolved conversation as reopened (its replies then count as unproven unless rated well). */
  markReopened(conversationId: string, at: string): Promise<void>;
  /** Idempotent per (message, agent): false when the agent's verdict on the message was recorded already. */
  recordFeedback(feedback: SuggestionFeedback): Promise<boolean>;
  /** Newest first, `created_at` in [from, to). */
  feedback(range: { from: string; to: string; limit: number }): Promise<SuggestionFeedback[]>;
  /** Replies of resolved conversations that ended well, oldest first, at most `limit` of the newest. */
  historyReplies(options: { limit: number }): Promise<HistoryReply[]>;
}
