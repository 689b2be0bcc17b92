// What the domain needs from the outside world. packages/db implements the store; the server wires it.

import type { TopicSourcesRepository } from './analytics/topicSources.ts';
import type { AssistSettingsRepository } from './assist/assistImpact.ts';
import type {
  ConversationTurn,
  CustomerNotesRepository,
  HandoffCardsRepository,
} from './assist/customer360.ts';
import type { AssistRepository } from './assist/suggestions.ts';
import type { AuditTrailRepository } from './audit/auditTrail.ts';
import type { DialogueRepository } from './bot/dialogueVersions.ts';
import type { WorkspaceSetupRepository } from './bot/setupStatus.ts';
import type { BotAnalyticsRange, BotTurnMetrics, NewBotTurn, UnansweredTurn } from './bot/turns.ts';
import type { CampaignsRepository } from './campaigns/repository.ts';
import type { ChannelsRepository } from './channels/deliveries.ts';
import type { ComplaintsRepository } from './complaints/complaints.ts';
import type { ConnectorsRepository } from './connectors/orderLookupConnector.ts';
import type { IntakeRepository } from './conversations/intake.ts';
import type { CostsRepository } from './costs/model.ts';
import type { KnowledgeRepository } from './knowledge/knowledge.ts';
import type { LanguagesRepository } from './languages/model.ts';
import type { AgentMetricSums } from './metrics/agentMetrics.ts';
import type { ConversationActivity, PresenceChange } from './metrics/conversationActivity.ts';
import type { KpiTargetsRepository, MetricRollupsRepository } from './metrics/kpi.ts';
import type {
  BotSettings,
  CallbackTask,
  ChannelType,
  Conversation,
  ConversationStatus,
  Customer,
  CustomerMerge,
  CustomerMergeSuggestion,
  Faq,
  IdentityKind,
  Inbox,
  Message,
  MessageAuthor,
  Order,
  User,
  Workspace,
} from './model.ts';
import type { OutreachRepository } from './outreach/repository.ts';
import type { AttachmentsRepository, PrivacyRepository } from './privacy/privacy.ts';
import type { QualityRepository } from './quality/results.ts';
import type {
  AgentsRepository,
  OffersRepository,
  QueuesRepository,
  WaitsRepository,
} from './queues/queues.ts';
import type { ReplyTemplatesRepository } from './replies/replyTemplates.ts';
import type { ReviewMailRepository } from './reviews/reviewMail.ts';
import type { CustomerProfilesRepository, RoutingRepository } from './routing/routingStore.ts';
import type { SlaRepository } from './sla/repository.ts';
import type { SurveysRepository } from './surveys/surveys.ts';
import type { TicketsRepository } from './tickets/repository.ts';
import type { VoiceRepository } from './voice/calls.ts';

export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

export interface ConversationSummary extends Conversation {
  assigneeName: string | null;
  customerName: string | null;
  /** The customer's API-channel (external) identity, if any. */
  customerExternalId: string | null;
  /** The customer's phone on file (callers and SMS senders are known by it), if any. */
  customerPhone: string | null;
  lastMessage: { author: MessageAuthor; text: string; createdAt: string } | null;
}

/** An identity to store: the value already normalised (normaliseIdentity). */
export interface NewIdentity {
  kind: IdentityKind;
  value: string;
  verified: boolean;
  source: string | null;
}

export interface IdentityHolder {
  customerId: string;
  verified: boolean;
}

export interface ConversationFilter {
  /** undefined = everyone's, null = unassigned. */
  assigneeId?: string | null;
  status?: ConversationStatus;
  limit: number;
  after?: { updatedAt: string; id: string };
}

export type JobStatus = 'pending' | 'running' | 'done' | 'failed';

/** A job row of the workspace as people see it (the payload stays inside). */
export interface JobRecord {
  id: string;
  name: string;
  status: JobStatus;
  attempts: number;
  maxAttempts: number;
  runAt: string;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface NewJob {
  name: string;
  payload: Record<string, unknown>;
  runAt: string;
  /** Unique across all jobs; a second enqueue with the same key is ignored. */
  idempotencyKey?: string;
}

export interface ApiKeyRecord {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
}

export type InboxPatch = Partial<
  Pick<Inbox, 'name' | 'allowedOrigins' | 'webhookUrl' | 'greeting' | 'channelConfig' | 'enabled'>
> & {
  /** The adapter's secrets, whole (the caller merges what it keeps); sealed by the store. */
  secrets?: Record<string, string>;
};

/** A provider-channel inbox (SMS, email, WeChat) being created. */
export interface NewChannelInbox {
  id: string;
  name: string;
  channel: ChannelType;
  adapter: string;
  channelConfig: Record<string, unknown>;
  secrets: Record<string, string>;
  hookId: string;
  createdAt: string;
}
export type ConversationPatch = Partial<
  Pick<
    Conversation,
    | 'status'
    | 'priority'
    | 'tags'
    | 'assigneeId'
    | 'handedOff'
    | 'botActive'
    | 'queueId'
    | 'priorityScore'
    | 'waitingSince'
    | 'routing'
    | 'updatedAt'
  >
>;

export type NewOrder = Omit<Order, 'createdAt' | 'updatedAt'>;

export type { NewTicket } from './tickets/repository.ts';

export interface NewCallbackTask {
  phone: string;
  note: string;
  conversationId: string | null;
  customerId: string | null;
  sourceKey: string | null;
  createdAt: string;
}

/** Every method is already restricted to one workspace; there is no way to name another. */
export interface WorkspaceRepositories {
  workspace: { get(): Promise<Workspace> };
  users: {
    /** Oldest first; `active` leaves out deactivated users. */
    list(filter?: { active?: boolean }): Promise<User[]>;
    get(id: string): Promise<User | null>;
  };
  inboxes: {
    list(): Promise<Inbox[]>;
    get(id: string): Promise<Inbox | null>;
    update(id: string, patch: InboxPatch): Promise<Inbox | null>;
    /** The secret shops sign widget identities with (see widgetIdentity.ts); null until first set. */
    identitySecret(id: string): Promise<string | null>;
    /**
     * Stores (sealed) a new secret; false when there is no such inbox, or (with `onlyIfUnset`) when it
     * already had one, e.g. set by a concurrent first read.
     */
    setIdentitySecret(id: string, secret: string, options?: { onlyIfUnset?: boolean }): Promise<boolean>;
    create(input: NewChannelInbox): Promise<Inbox>;
    /** The adapter's secrets of a channel inbox, opened; only for the server's calls to the provider. */
    channelSecrets(id: string): Promise<Record<string, string>>;
  };
  customers: {
    /** A merged-away id resolves to the customer it was merged into. */
    get(id: string): Promise<Customer | null>;
    findByIdentity(kind: IdentityKind, value: string): Promise<Customer | null>;
    /** Who holds the identity (value already normalised), if anyone. */
    identityHolder(kind: IdentityKind, value: string): Promise<IdentityHolder | null>;
    /** Returns null when another writer created the same identity first. */
    create(input: {
      id: string;
      name: string | null;
      email: string | null;
      phone: string | null;
      identity: NewIdentity;
      createdAt: string;
    }): Promise<Customer | null>;
    /**
     * Adds the identity to the customer unless someone holds it already (this customer or another);
     * returns the holder either way. A verified claim upgrades the customer's own unverified identity.
     */
    addIdentity(customerId: string, identity: NewIdentity, createdAt: string): Promise<IdentityHolder>;
    /** Sets profile fields; undefined leaves a field as it is. */
    updateProfile(
      id: string,
      patch: { name?: string | null; email?: string | null; phone?: string | null },
    ): Promise<void>;
    /** Serialises concurrent writers for one customer until the transaction ends (no-op on SQLite). */
    lock(id: string): Promise<void>;
  };
  /** Merges of customers found to be one person, and the suggestions agents decide on. */
  customerMerges: {
    /**
     * Moves everything of `absorbedId` (identities, conversations, tickets, call-backs, consents, files,
     * bot memory…) to `survivorId`, re-sealed with the survivor's key; fills the survivor's empty profile
     * fields; deletes the absorbed customer and records the merge. Then the absorbed customer's keys can go.
     */
    merge(input: Omit<CustomerMerge, 'moved'>): Promise<CustomerMerge>;
    /** The customer an absorbed id was merged into (directly or through later merges). */
    survivorOf(absorbedId: string): Promise<string | null>;
    /** One suggestion per pair of customers; `created` false when the pair already had one. */
    suggest(input: Omit<CustomerMergeSuggestion, 'status' | 'resolvedAt' | 'resolvedBy'>): Promise<{
      suggestion: CustomerMergeSuggestion;
      created: boolean;
    }>;
    getSuggestion(id: string): Promise<CustomerMergeSuggestion | null>;
    /** Open suggestions, newest first; with `customerId`, only those naming that customer. */
    openSuggestions(options: { customerId?: string; limit: number }): Promise<CustomerMergeSuggestion[]>;
    /** Closes an open suggestion; false when it was not open any more. */
    resolveSuggestion(id: string, status: 'merged' | 'dismissed', by: string, at: string): Promise<boolean>;
  };
  conversations: {
    get(id: string): Promise<Conversation | null>;
    summary(id: string): Promise<ConversationSummary | null>;
    list(filter: ConversationFilter): Promise<ConversationSummary[]>;
    /** The customer's latest conversation in the inbox that is not resolved. */
    findActive(customerId: string, inboxId: string): Promise<Conversation | null>;
    latest(customerId: string, inboxId: string): Promise<Conversation | null>;
    /** All of the customer's conversations on every inbox, oldest first. */
    listByCustomer(customerId: string): Promise<Conversation[]>;
    create(conversation: Conversation): Promise<void>;
    update(id: string, patch: ConversationPatch): Promise<void>;
  };
  messages: {
    get(id: string): Promise<Message | null>;
    /** Oldest first: the latest `limit` messages, or those before `before`. */
    list(conversationId: string, options: { before?: string; limit: number }): Promise<Message[]>;
    /** Oldest first: everything after `afterId` (or from the start). */
    listAfter(conversationId: string, afterId: string | null, limit: number): Promise<Message[]>;
    /**
     * One timeline across channels: the messages of all the customer's conversations, oldest first,
     * those after the message `after` (or from the start).
     */
    listForCustomer(customerId: string, options: { after?: string; limit: number }): Promise<Message[]>;
    findByIdempotencyKey(inboxId: string, key: string): Promise<Message | null>;
    insert(message: Message): Promise<void>;
    countByAuthor(conversationId: string, author: MessageAuthor): Promise<number>;
  };
  /** API messages acknowledged before they are stored, held sealed until the drain stores them. */
  intake: IntakeRepository;
  jobs: {
    enqueue(job: NewJob): Promise<void>;
    /** Newest first; `beforeId` continues a page. */
    list(filter: {
      status?: JobStatus;
      name?: string;
      beforeId?: string;
      limit: number;
    }): Promise<JobRecord[]>;
    get(id: string): Promise<JobRecord | null>;
    /** Makes a failed job due again with a fresh set of attempts; null when it is not failed (or absent). */
    retry(id: string, at: string): Promise<JobRecord | null>;
    /** Retries every failed job of that name; how many. */
    retryFailed(name: string, at: string): Promise<number>;
  };
  faqs: { list(): Promise<Faq[]> };
  orders: {
    /** Order numbers are matched case-insensitively (stored upper-case). */
    get(number: string): Promise<Order | null>;
    /** Newest first. */
    list(options: { limit: number }): Promise<Order[]>;
    /** Creates the order or replaces every field of the one with the same number; true when created. */
    upsert(order: NewOrder, at: string): Promise<boolean>;
  };
  /** Tickets with their timeline, watchers, attachments, custom fields, assignment rules, settings. */
  tickets: TicketsRepository;
  callbacks: {
    /** Idempotent per `sourceKey`, like tickets. */
    create(input: NewCallbackTask): Promise<CallbackTask>;
    list(options: { limit: number }): Promise<CallbackTask[]>;
  };
  /** Per-conversation dialogue state of the bot, with the customer message its last turn answered. */
  botStates: {
    get(conversationId: string): Promise<{ state: unknown; lastMessageId: string } | null>;
    /**
     * Stores the state of the turn answering `lastMessageId`, only if the stored turn is still
     * `expectedLastMessageId` (null = none yet); false when a concurrent turn got there first.
     */
    save(input: {
      conversationId: string;
      state: unknown;
      lastMessageId: string;
      expectedLastMessageId: string | null;
      at: string;
    }): Promise<boolean>;
  };
  /** One row per bot turn (what it understood and did), for analytics; see bot/turns.ts. */
  botTurns: {
    /** Idempotent per message: false when the message's turn was already recorded. */
    record(turn: NewBotTurn): Promise<boolean>;
    metrics(range: BotAnalyticsRange): Promise<BotTurnMetrics>;
    /**
     * Questions the bot could not answer, newest first, not dismissed: fallbacks, hand-offs for want of
     * an answer, and clarifying questions after which the conversation was handed off.
     */
    unanswered(range: BotAnalyticsRange, limit: number): Promise<UnansweredTurn[]>;
    /** Hides turns from the unanswered list; returns how many were newly dismissed. */
    dismiss(turnIds: readonly string[], at: string): Promise<number>;
    /** The turns of these conversations, oldest first (for the hand-off card and the customer 360). */
    forConversations(conversationIds: readonly string[]): Promise<ConversationTurn[]>;
    /** The first intent or FAQ the bot recognised in the conversation (null: none yet). */
    firstTarget(conversationId: string): Promise<string | null>;
  };
  botSettings: {
    get(): Promise<BotSettings | null>;
    /** Stores the settings with the next version number. */
    save(settings: Omit<BotSettings, 'version' | 'updatedAt'>, at: string): Promise<BotSettings>;
  };
  /** The setup wizard's record and the bot's on/off switch. */
  setup: WorkspaceSetupRepository;
  /** The owner's dialogue overrides, versioned. */
  dialogue: DialogueRepository;
  auditTrail: AuditTrailRepository;
  /** The knowledge base the bot answers from (FAQ entries, articles). */
  knowledge: KnowledgeRepository;
  /** Connectors to the shop's own systems (the order lookup). */
  connectors: ConnectorsRepository;
  /** Consent history, retention policy, a customer's export and erasure (PIPL arts. 44–47). */
  privacy: PrivacyRepository;
  /** Provider channels: outbound deliveries and their status, email threads. */
  channels: ChannelsRepository;
  /** Files sent in conversations (stored encrypted on disk; these are their rows). */
  attachments: AttachmentsRepository;
  /** Routing rules and tier settings. */
  routing: RoutingRepository;
  /** What the shop knows about each customer's value (member level, spend, orders, tags) and the tier. */
  customerProfiles: CustomerProfilesRepository;
  /** Human queues (skill groups), the workspace's queue settings and the dispatcher's lock. */
  queues: QueuesRepository;
  /** Agents' skills, languages, capacity and presence. */
  agents: AgentsRepository;
  /** Offers of waiting conversations to agents. */
  offers: OffersRepository;
  /** Each stretch a conversation waits for a human, with what the customer was told and how it ended. */
  queueWaits: WaitsRepository;
  /** Canned replies agents insert with `/shortcut`, compliance wording among them. */
  replyTemplates: ReplyTemplatesRepository;
  /** Survey results, what agents did with reply suggestions, and the past replies suggestions learn from. */
  assist: AssistRepository;
  /** The activity and presence history agent metrics are computed from, and their sums over a range. */
  agentMetrics: AgentMetricsRepository;
  /** Agents' notes on customers (sealed with the customer's key). */
  customerNotes: CustomerNotesRepository;
  /** The hand-off card of each handed-off conversation, stored so it opens instantly. */
  handoffCards: HandoffCardsRepository;
  /** Calls, their transcripts and recordings, voice usage and the speech provider settings. */
  voice: VoiceRepository;
  /** Message and customer languages, live translation per conversation, translation settings and usage. */
  languages: LanguagesRepository;
  /** Billable usage per day and unit, and the monthly budget (cost metering). */
  costs: CostsRepository;
  /** The KPI rollups: counts and totals per hour and dimension, each event counted once. */
  metricRollups: MetricRollupsRepository;
  /** Customers' words over a period (messages, callers' words to agents), unsealed, for topics and emotion. */
  topicSources: TopicSourcesRepository;
  /** Quality inspection: rulesets, results, the review queue and appeals. */
  quality: QualityRepository;
  /** The weekly review's mailing settings and what each week's mailing came to. */
  reviewMail: ReviewMailRepository;
  /** Whether reply suggestions are offered, and when they were last turned on. */
  assistSettings: AssistSettingsRepository;
  /** The KPI targets the workspace set in place of the brief's. */
  kpiTargets: KpiTargetsRepository;
  /** Outbound call campaigns, their targets and the do-not-call list. */
  campaigns: CampaignsRepository;
  /** Business calendar, SLA policies and ticket SLA clocks. */
  sla: SlaRepository;
  /** Follow-up surveys: settings, each survey and its answer, the CSAT summary. */
  surveys: SurveysRepository;
  /** Complaints tracked until closed, the board and the closure KPI. */
  complaints: ComplaintsRepository;
  /** Re-engagement campaigns: segments, offers, coupons, recipients. */
  outreach: OutreachRepository;
  apiKeys: {
    list(): Promise<ApiKeyRecord[]>;
    create(input: ApiKeyRecord & { keyHash: string }): Promise<void>;
    delete(id: string): Promise<boolean>;
  };
}

export interface AgentMetricsRepository {
  /** The conversation's activity rows, oldest first. */
  activity(conversationId: string): Promise<ConversationActivity[]>;
  /** Rows of one kind written from `from` to `to` (ISO, end exclusive), newest first, at most `limit`. */
  activityIn(
    kind: ConversationActivity['kind'],
    from: string,
    to: string,
    limit: number,
  ): Promise<ConversationActivity[]>;
  /** Idempotent per (conversation, kind, instant): false when the row was there already. */
  recordActivity(row: ConversationActivity): Promise<boolean>;
  /** Idempotent per (agent, instant). */
  recordPresence(change: PresenceChange): Promise<boolean>;
  /** Sums over the range's days; with `userId`, that agent's rows only (queues and days included). */
  sums(range: BotAnalyticsRange, options: { userId?: string }): Promise<AgentMetricSums>;
}

export interface WorkspaceStore extends WorkspaceRepositories {
  readonly workspaceId: string;
  /** Runs fn atomically. A unique-index violation surfaces as UniqueViolation. */
  transaction<T>(fn: (tx: WorkspaceRepositories) => Promise<T>): Promise<T>;
}

/** Raised by stores when a unique index refuses a row (e.g. a concurrent duplicate send). */
export class UniqueViolation extends Error {
  constructor(readonly constraint: string) {
    super(`unique violation: ${constraint}`);
    this.name = 'UniqueViolation';
  }
}

export interface UseCaseDeps {
  store: WorkspaceStore;
  clock: Clock;
  newId: () => string;
}
