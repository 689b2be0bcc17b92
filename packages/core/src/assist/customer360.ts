// Agent assist vocabulary (issue 7): the notes agents keep on a customer, and the hand-off card that
// tells the agent taking over a bot conversation what the bot already learnt and did.

/** A note an agent wrote about a customer; the body is personal data (sealed with the customer's key). */
export interface CustomerNote {
  id: string;
  customerId: string;
  authorUserId: string;
  body: string;
  createdAt: string;
}

export interface CustomerNotesRepository {
  /** The customer's notes that are not deleted, newest first. */
  list(customerId: string, limit: number): Promise<CustomerNote[]>;
  get(id: string): Promise<CustomerNote | null>;
  add(note: CustomerNote): Promise<void>;
  /** Marks the note deleted and drops its body; false when there was no such live note. */
  delete(id: string, at: string): Promise<boolean>;
}

/** What the bot understood in one turn of a conversation, for the hand-off card. */
export interface HandoffIntent {
  /** `faq:<id>` or the intent's name. */
  target: string;
  label: string | null;
  /** 0..1, the best of the turns that understood it. */
  confidence: number;
  turns: number;
}

export type SentimentDirection = 'improving' | 'worsening' | 'steady';

export interface HandoffSentiment {
  /** One score per customer message (-1 … 1), oldest first. */
  points: { messageId: string; score: number; at: string }[];
  direction: SentimentDirection;
}

export interface HandoffBotAnswer {
  messageId: string;
  text: string;
  sources: { id: string; kind: 'faq' | 'article'; title: string }[];
  generated: boolean;
  at: string;
}

export type HandoffSummaryKind = 'llm' | 'extractive';

export interface HandoffSummary {
  kind: HandoffSummaryKind;
  text: string;
  /** Set when an LLM is configured but failed, so the extractive summary stands in. */
  fallbackReason: string | null;
  language: 'zh' | 'en';
}

/** Everything the agent taking over needs at a glance; stored when the conversation is handed off. */
export interface HandoffCard {
  conversationId: string;
  customerId: string;
  handedOffAt: string | null;
  reason: string | null;
  intents: HandoffIntent[];
  sentiment: HandoffSentiment;
  /** What the customer told the bot (order number, reason, phone…), by slot name; unmasked at rest. */
  slots: Record<string, string>;
  botAnswers: HandoffBotAnswer[];
  summary: HandoffSummary;
  computedAt: string;
}

export interface HandoffCardsRepository {
  get(conversationId: string): Promise<HandoffCard | null>;
  /** Replaces the conversation's card. */
  save(card: HandoffCard): Promise<void>;
}

/** A bot turn as the hand-off card and the customer 360 read it (the customer's words opened). */
export interface ConversationTurn {
  conversationId: string;
  messageId: string;
  outcome: string;
  target: string | null;
  targetLabel: string | null;
  confidence: number;
  handoffReason: string | null;
  question: string;
  at: string;
}
