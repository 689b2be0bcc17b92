// The seam every inbound customer message passes through before humans. The dialogue engine behind it
// (the server's template bot) changes; the seam does not.
import type { DomainEvent } from '../events.ts';
import type { MessageTranslation } from '../languages/model.ts';
import type { Locale } from '../model.ts';
import type { BotTurnSummary } from './turns.ts';

export interface BotInput {
  workspaceId: string;
  conversationId: string;
  customerId: string;
  /** The customer message this turn answers; ports key their side effects on it (idempotent retries). */
  messageId: string;
  locale: Locale;
  text: string;
  /** Files sent with the message (stored attachments); a form's photo slot takes their ids. */
  attachments?: { id: string; mimeType: string }[];
  now: Date;
  /** The conversation's dialogue state from the previous turn (plain JSON), null on the first turn. */
  state: unknown;
  /** The message's language as detected when it arrived (zh-Hans, yue, en…); absent when unknown. */
  language?: string | null;
}

export interface BotHandoff {
  /** Why humans take over: `customer_request`, `fallback`, `complaint`, `negative_sentiment`, `no_answer`… */
  reason: string;
  /** `urgent` for critical urgency (regulator, media or legal threats); the conversation takes it on. */
  priority: 'normal' | 'high' | 'urgent';
  /** What the customer is told; the workspace-language default when absent. */
  notice?: string;
}

/**
 * What the NLU made of the customer's message, carried with the bot's decision so routing reads the same
 * analysis the bot acted on (the NLU never runs twice for one message).
 */
export interface MessageAnalysis {
  /** The target understood (`faq:<id>` or an intent name); null when not confident enough to act. */
  intent: string | null;
  /** What the intent is, for people (the FAQ's question, the intent's first example). */
  intentLabel?: string | null;
  confidence: number;
  /** False when the classifier put the message outside what the bot knows. */
  inScope: boolean;
  sentiment: { polarity: 'positive' | 'negative' | 'neutral'; anger: number };
  urgency: { level: 'low' | 'normal' | 'high' | 'critical'; signals: string[] };
  /** zh-Hans, zh-Hant, yue, en or other. */
  language: string;
  /**
   * What the bot reads the message as — its own to answer, a person's, a complaint, or a grave one (a
   * threat or a safety problem) — with its hand-off model's vote; absent from analyses recorded before
   * it existed.
   */
  handoffKind?: 'routine' | 'person' | 'complaint' | 'grave';
}

export interface BotDecision {
  /** Bot messages to post, in order (may be empty). */
  replies: string[];
  handoff: BotHandoff | null;
  /** The dialogue state to store for the next turn (plain JSON). */
  state: unknown;
  /**
   * What the turn understood and did, recorded for analytics with the turn; null when no bot worked on
   * the message (none configured, or switched off), so there is no bot turn to count.
   */
  turn: BotTurnSummary | null;
  /**
   * Set when `replies[reply]` answers from the knowledge base: the passages retrieved for it, best first.
   * An LLM may rewrite that reply from these passages (runBotTurn); actions and forms never set this.
   */
  knowledge?: { reply: number; passages: KnowledgePassage[] } | null;
  /**
   * The NLU analysis of the message (also when the bot is switched off but configured); null when nothing
   * analysed it (no bot configured). Routing decides on it.
   */
  analysis?: MessageAnalysis | null;
  /** True when the workspace's bot is switched off (the hand-off is not the bot's choice). */
  botOff?: boolean;
  /** Whether humans are at work now (the bot settings' business hours); absent: always. */
  humansAvailable?: boolean;
  /** Facts the turn's actions committed already (a ticket a form opened), published with the turn's. */
  events?: DomainEvent[];
  /**
   * Set when the replies were translated into the customer's language: their language, and per reply
   * the bot's own wording for agents (null where a reply needed no translation).
   */
  replyLanguage?: string | null;
  replyTranslations?: (MessageTranslation | null)[];
}

/** A retrieved knowledge-base passage (plain JSON). */
export interface KnowledgePassage {
  /** FAQ entry or article passage id. */
  id: string;
  kind: 'faq' | 'article';
  /** The FAQ question or the article title. */
  title: string;
  text: string;
  score: number;
}

export interface Bot {
  decide(input: BotInput): Promise<BotDecision>;
  /**
   * The state a customer's new conversation starts from, given the final state of their latest other
   * conversation (another channel, or an earlier one): the facts they told, never a half-done step.
   * Null: start fresh. Absent: the bot carries nothing over.
   */
  carryOver?(previousState: unknown): unknown;
}
