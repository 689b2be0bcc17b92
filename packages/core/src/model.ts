// The business vocabulary: workspaces, inboxes (one per channel), customers, conversations, messages.
import type { MessageTranslation } from './languages/model.ts';

export type Locale = 'zh-CN' | 'en-US';
export type Role = 'owner' | 'admin' | 'supervisor' | 'agent';
/** widget and api are built in; sms, email and wechat inboxes are served by a provider adapter. */
export type ChannelType = 'widget' | 'api' | 'sms' | 'email' | 'wechat' | 'voice';
export type ConversationStatus = 'open' | 'pending' | 'resolved';
export type Priority = 'low' | 'normal' | 'high' | 'urgent';
export type { Ticket } from './tickets/ticket.ts';
export type MessageAuthor = 'customer' | 'bot' | 'agent' | 'system';
/**
 * How a customer is recognised on a channel: the widget's visitor id, the integrator's external id, a
 * phone, an email, or a WeChat OpenID (`<appId>:<openid>`, as OpenIDs are per official account).
 */
export type IdentityKind = 'visitor' | 'external' | 'phone' | 'email' | 'wechat';

export interface Workspace {
  id: string;
  slug: string;
  name: string;
  locale: Locale;
  createdAt: string;
}

export interface User {
  id: string;
  workspaceId: string;
  email: string;
  name: string;
  role: Role;
  createdAt: string;
}

export interface Inbox {
  id: string;
  workspaceId: string;
  name: string;
  channel: ChannelType;
  widgetToken: string | null;
  allowedOrigins: string[];
  webhookUrl: string | null;
  webhookSecret: string | null;
  greeting: string | null;
  /** The provider adapter serving this inbox (registry id, e.g. `twilio-sms`); null for widget and api. */
  adapter: string | null;
  /** The adapter's non-secret settings; secrets are sealed apart and never part of the inbox. */
  channelConfig: Record<string, unknown> | null;
  /** Names of the adapter's secret fields that hold a value (the values stay in the store). */
  secretsSet: string[];
  /** Unguessable id in the public webhook path `/hooks/<hookId>`; null for inboxes without one. */
  hookId: string | null;
  /** A disabled channel inbox takes no webhooks and sends nothing. */
  enabled: boolean;
  createdAt: string;
}

export interface CustomerIdentity {
  kind: IdentityKind;
  value: string;
  /** The channel proved it (an SMS sender, a signed widget identity); false when someone only typed it. */
  verified: boolean;
  /** Who asserted it: a channel type (widget, sms, api…), 'profile' (typed in chat or a form), 'agent'. */
  source: string | null;
}

/** An identity as a channel hands it over; verified only when the channel itself proved it. */
export interface IdentityClaim {
  kind: IdentityKind;
  value: string;
  verified?: boolean;
  source?: string;
}

/** Two customers who may be one person (an unverified identity both hold); an agent decides. */
export interface CustomerMergeSuggestion {
  id: string;
  /** The customer the identity was being attached to, and the one already holding it. */
  customerId: string;
  candidateId: string;
  identityKind: IdentityKind;
  status: 'open' | 'merged' | 'dismissed';
  createdAt: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
}

/** The record left by a merge: the absorbed id resolves to the survivor from then on. */
export interface CustomerMerge {
  id: string;
  survivorId: string;
  absorbedId: string;
  reason: 'verified_identity' | 'agent';
  suggestionId: string | null;
  /** A user id, or 'system' for automatic merges. */
  mergedBy: string;
  /** Rows moved to the survivor, per table. */
  moved: Record<string, number>;
  createdAt: string;
}

export interface Customer {
  id: string;
  workspaceId: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  identities: CustomerIdentity[];
  createdAt: string;
}

export interface Conversation {
  id: string;
  workspaceId: string;
  inboxId: string;
  customerId: string;
  channel: ChannelType;
  status: ConversationStatus;
  priority: Priority;
  tags: string[];
  assigneeId: string | null;
  handedOff: boolean;
  /** Once false, the bot never speaks in this conversation again (hand-off, agent reply, assignment). */
  botActive: boolean;
  /** The human queue the conversation was routed to (null: none chosen, the workspace's default). */
  queueId: string | null;
  /** 0..100; higher is served first within a queue (tier value, urgency, sentiment). */
  priorityScore: number;
  /** Set while the conversation waits for a human to pick it up; cleared on pickup. */
  waitingSince: string | null;
  /** Why the conversation went where it went (the latest routing decision). */
  routing: RoutingRecord | null;
  createdAt: string;
  updatedAt: string;
}

/** The explanation a routing decision leaves on its conversation, shown to agents in the console. */
export interface RoutingRecord {
  /** The rule that decided (null: no rule matched and the workspace default applied). */
  ruleId: string | null;
  ruleName: string | null;
  /** Where it went: the bot, or a human queue. */
  target: 'bot' | 'queue';
  queueId: string | null;
  priority: Priority;
  priorityScore: number;
  /** The facts the rules saw (intent, confidence, sentiment, urgency, language, channel, tier, tags …). */
  inputs: Record<string, string | number | boolean | string[] | null>;
  /** Tags and notifications the matched rules added. */
  tags: string[];
  notified: string[];
  decidedAt: string;
}

export interface Attachment {
  /** An uploaded file stored encrypted by this server (downloaded by id); absent for links. */
  id?: string;
  name: string;
  mimeType: string;
  size: number;
  url?: string;
}

export interface Message {
  id: string;
  workspaceId: string;
  conversationId: string;
  inboxId: string;
  author: MessageAuthor;
  authorUserId: string | null;
  text: string;
  attachments: Attachment[];
  /** Unique per (workspace, inbox); set by the channel so a retried send is recognised. */
  idempotencyKey: string | null;
  clientMessageId: string | null;
  /** What agents may see about how a bot message came about; never shown to the customer. */
  metadata?: MessageMetadata | null;
  /** The language the text is in (detected for customer messages); absent or null when unknown. */
  language?: string | null;
  /** The other side's version under live translation (see MessageTranslation). */
  translation?: MessageTranslation | null;
  createdAt: string;
}

/** A knowledge-base passage a bot answer drew on. */
export interface MessageSource {
  id: string;
  kind: 'faq' | 'article';
  title: string;
}

export interface MessageMetadata {
  /** The knowledge-base passages a bot answer came from, best first. */
  sources?: MessageSource[];
  /** Set when a language model wrote the answer from those passages (absent: the passage text itself). */
  generatedBy?: 'llm';
  /** A note for agents only (e.g. a missed pickup): never shown or sent to the customer. */
  internal?: boolean;
  /** A follow-up survey's invitation: the widget shows it as a rating card. */
  survey?: { id: string };
  /** A customer's digit reply that answered this survey: a score, not news for the bot or a ticket. */
  surveyAnswer?: { id: string };
}

export interface Faq {
  id: string;
  question: string;
  similar: string[];
  answer: string;
  keywords: string[];
}

/** An order in the shop's built-in orders table (the embedded default for the bot's order lookup). */
export interface Order {
  number: string;
  status: string;
  carrier: string | null;
  trackingNumber: string | null;
  /** The phone on the order; the bot checks its last 4 digits before revealing details. */
  phone: string | null;
  items: { name: string; quantity?: number }[];
  total: string | null;
  /** The coupon the customer used (migration 0028), for re-engagement attribution; absent = unknown. */
  couponCode?: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A call-back task: outside business hours the bot takes a phone and a question instead of a hand-off. */
export interface CallbackTask {
  id: string;
  number: string;
  phone: string;
  note: string;
  status: 'open';
  conversationId: string | null;
  customerId: string | null;
  createdAt: string;
}

export interface BusinessHours {
  /** IANA zone, default Asia/Shanghai. */
  timeZone?: string;
  /** days: 0 = Sunday … 6 = Saturday; open/close "HH:MM", close may be "24:00". */
  periods: { days: number[]; open: string; close: string }[];
}

/** How a workspace's bot is built: which industry template, the owner's values, hours, order numbers. */
export interface BotSettings {
  templateId: string;
  variables: Record<string, string>;
  /** null = humans always available. */
  businessHours: BusinessHours | null;
  /** Regex source for the shop's order numbers; null = the NLU default. */
  orderNumberPattern: string | null;
  /** Bumped on every change; the compiled bot is cached per workspace and version. */
  version: number;
  updatedAt: string;
}
