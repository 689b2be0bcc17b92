// The bot's contract with its host: what a turn takes, what it returns, the ports it acts through,
// and the per-conversation state (plain JSON, stored by the server between turns).
import type { Entity, Language, SentimentAnalysis, Urgency } from '@zhike/nlu';
import type { HandoffKind } from './handoffReading.ts';
import type { BusinessHours } from './hours.ts';
import type { Candidate } from './understand.ts';

export interface Order {
  number: string;
  status: string;
  carrier?: string | null;
  trackingNumber?: string | null;
  /** Last 4 digits of the phone on the order, for verifying the customer before revealing details. */
  phoneLast4?: string | null;
  items?: { name: string; quantity?: number }[];
  total?: string | number | null;
}

/**
 * Thrown by `lookupOrder` when the order source cannot answer right now (the merchant's API timed out,
 * failed after retries, or answered something its mapping cannot read). Not the same as "no such
 * order": the bot must not tell the customer their number is wrong.
 */
export class OrderLookupUnavailable extends Error {
  constructor(message = 'order lookup unavailable') {
    super(message);
    this.name = 'OrderLookupUnavailable';
  }
}

/** One of the customer's own tickets, as the bot may tell them of it. */
export interface CustomerTicket {
  number: string;
  subject: string;
  status: 'new' | 'open' | 'pending' | 'solved' | 'closed';
  /** Whose move it is while pending. */
  pendingReason: 'customer' | 'third_party' | null;
  /** The name of the person handling it, as customers see it; null while nobody has it. */
  assigneeName: string | null;
  /** The running SLA deadline still ahead (resolution, else a response); null when none. */
  due: { metric: 'first_response' | 'next_response' | 'resolution'; at: string } | null;
}

/** The customer's tickets worth telling them of: still being worked on, or solved lately. */
export interface CustomerTickets {
  /** Capped by the host; active ones first. */
  tickets: CustomerTicket[];
  /** How many more there are than listed. */
  more: number;
  /** The shop's time zone (IANA), in which due times are told. */
  timeZone: string;
}

export interface BotPorts {
  /** null = no such order; throws OrderLookupUnavailable when the source cannot answer. */
  lookupOrder(number: string): Promise<Order | null>;
  /** The tickets of this customer (the one the conversation is with), never anyone else's. */
  lookupTickets(customerId: string): Promise<CustomerTickets>;
  createTicket(ticket: {
    type: string;
    fields: Record<string, string>;
    customerId: string;
    subject?: string;
    category?: string;
    priority?: 'low' | 'normal' | 'high' | 'urgent';
  }): Promise<{ number: string }>;
  createCallback(callback: { phone: string; note: string; customerId: string }): Promise<{ number: string }>;
}

export interface TurnCustomer {
  id: string;
  name?: string | null;
  phone?: string | null;
  /** Already verified on this channel (e.g. a signed-in shop account): no phone check before order details. */
  verified?: boolean;
}

export interface TurnInput {
  text: string;
  /** Files sent with the message (uploaded and stored already): an optional photo slot takes their ids. */
  attachments?: { id: string; mimeType: string }[];
  now: Date;
  customer: TurnCustomer;
  /** When humans are available; absent means always. */
  businessHours?: BusinessHours | null;
}

export type ReplyKind = 'answer' | 'ask' | 'confirm' | 'clarify' | 'handoff' | 'info';

export interface Reply {
  text: string;
  kind: ReplyKind;
}

export interface Handoff {
  reason: string;
  priority: 'normal' | 'high';
}

export interface Understanding {
  /** The target understood (`faq:<id>` or an intent name), null when not confident enough to act. */
  intent: string | null;
  confidence: number;
  /** False when the classifier put the message out of scope (nothing the bot knows about). */
  inScope: boolean;
  candidates: Candidate[];
  entities: Entity[];
  sentiment: SentimentAnalysis;
  urgency: Urgency;
  /**
   * The message's language (zh-Hans, zh-Hant, yue, en, ja, ko, vi, th, ms, ru, other; see `detectLanguage`):
   * routing may send it to people who read it.
   */
  language: Language;
  /** The hand-off reading the turn acted on: the bot's to answer, a person's, or a complaint. */
  handoff: HandoffKind;
}

/**
 * A piece of the knowledge base the turn drew on, as plain JSON (hosts store it, show it to agents as
 * the answer's source, or ground a generated answer on it).
 */
export interface KnowledgePassage {
  /** The FAQ entry's id, or `<article id>#<n>` for an article's n-th passage. */
  id: string;
  kind: 'faq' | 'article';
  /** The FAQ's question, or the article's title (`title · section heading` when under a heading). */
  title: string;
  /** The FAQ's answer or the passage's plain text, the owner's variables and customer placeholders filled. */
  text: string;
  /** The bot's combined score for it (0..1; classifier and retrieval). */
  score: number;
  /** Articles: the page on the shop's site it comes from; null otherwise. */
  url: string | null;
}

export interface TurnKnowledge {
  /**
   * At most 3, best first; on a knowledge answer the entry answered comes first (even when the customer
   * picked it from a clarifying question).
   */
  passages: KnowledgePassage[];
}

export interface TurnResult {
  replies: Reply[];
  state: DialogueState;
  handoff: Handoff | null;
  understanding: Understanding;
  /**
   * Set when the bot answered from the knowledge base, or did not understand (clarified or handed off
   * after repeated misses) and the knowledge base holds candidates; null when a dialogue intent (order
   * lookup, form, hand-off request, small talk) or a pending step handled the turn.
   */
  knowledge: TurnKnowledge | null;
}

/** A step the bot is waiting on; the next message is read as its answer first. */
export type PendingStep =
  | { kind: 'clarify'; options: string[] }
  | { kind: 'order_number'; intent: string; attempts: number }
  | { kind: 'verify'; intent: string; orderNumber: string; attempts: number }
  | {
      kind: 'form';
      form: string;
      values: Record<string, string>;
      /** Slot being asked for, or null while waiting for the confirmation. */
      awaiting: string | null;
      attempts: number;
    }
  | { kind: 'callback'; reason: string; phone: string | null; question: string | null }
  /** A person was offered (e.g. no ticket found): yes hands off, no closes, anything else moves on. */
  | { kind: 'offer_handoff'; reason: string };

export interface DialogueState {
  version: 1;
  /** Facts the customer gave in this conversation (order_number, phone, form slots), never asked twice. */
  memory: Record<string, string>;
  /** Orders whose phone check the customer passed in this conversation. */
  verifiedOrders: string[];
  /** Consecutive turns the bot could not understand. */
  fallbacks: number;
  lastIntent: string | null;
  pending: PendingStep | null;
  handedOff: boolean;
}

export function initialDialogueState(): DialogueState {
  return {
    version: 1,
    memory: {},
    verifiedOrders: [],
    fallbacks: 0,
    lastIntent: null,
    pending: null,
    handedOff: false,
  };
}
