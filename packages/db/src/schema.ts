// Table types as Kysely sees them (camelCase; CamelCasePlugin maps to snake_case columns).
// Portable on purpose: ids and timestamps are text (ISO 8601 UTC), booleans are 0/1, lists are JSON text.

import type { ColumnType, Generated } from 'kysely';
import type { AgentPresenceChangesTable, ConversationActivityTable } from './repositories/agentMetrics.ts';
import type { AssistSettingsTable } from './repositories/assistSettings.ts';
import type { BotTurnsTable } from './repositories/botTurns.ts';
import type { CampaignsTable, CampaignTargetsTable, DoNotCallTable } from './repositories/campaigns.ts';
import type { ComplaintsTable } from './repositories/complaints.ts';
import type { BudgetsTable, CostUsageTable } from './repositories/costs.ts';
import type { CustomerNotesTable, HandoffCardsTable } from './repositories/customer360.ts';
import type { KpiTargetsTable } from './repositories/kpiTargets.ts';
import type { TranslationSettingsTable, TranslationUsageTable } from './repositories/languages.ts';
import type {
  MetricClaimsTable,
  MetricFactsTable,
  MetricRollupsTable,
} from './repositories/metricRollups.ts';
import type {
  OutreachCampaignsTable,
  OutreachCouponsTable,
  OutreachRecipientsTable,
  OutreachSegmentsTable,
} from './repositories/outreach.ts';
import type {
  QualityAppealsTable,
  QualityResultsTable,
  QualityReviewsTable,
  QualityRulesetsTable,
} from './repositories/quality.ts';
import type { ReviewMailingsTable, ReviewMailSettingsTable } from './repositories/reviewMail.ts';
import type {
  SlaCalendarDaysTable,
  SlaCalendarsTable,
  SlaClocksTable,
  SlaPoliciesTable,
} from './repositories/sla.ts';
import type { SurveySettingsTable, SurveysTable } from './repositories/surveys.ts';
import type {
  TicketAssignmentRulesTable,
  TicketAttachmentsTable,
  TicketEntriesTable,
  TicketFieldDefinitionsTable,
  TicketSettingsTable,
  TicketWatchersTable,
} from './repositories/ticketTables.ts';
import type {
  CallsTable,
  CallTranscriptSegmentsTable,
  SpeechSettingsTable,
  VoiceUsageTable,
} from './repositories/voice.ts';

export interface WorkspacesTable {
  id: string;
  slug: string;
  name: string;
  locale: string;
  createdAt: string;
}
export interface UsersTable {
  id: string;
  workspaceId: string;
  email: string;
  name: string;
  role: string;
  passwordHash: string;
  createdAt: string;
  /** Blind index of the normalised email (login lookup); `email` itself is sealed. Migration 0011. */
  emailIndex: Generated<string | null>;
  /** Sealed base32 TOTP secret once two-factor is on; the pending one while enrolling. */
  totpSecret: Generated<string | null>;
  totpPendingSecret: Generated<string | null>;
  /** The TOTP step last accepted: a code at or before it is a replay. */
  totpLastStep: Generated<number | null>;
  totpEnabledAt: Generated<string | null>;
  /** JSON list of SHA-256 hashes of the unused recovery codes. */
  recoveryCodes: Generated<string | null>;
  /** Set when an admin deactivated the account (no sign-in, no session). */
  deactivatedAt: Generated<string | null>;
}
export interface SessionsTable {
  id: string;
  tokenHash: string;
  userId: string;
  workspaceId: string;
  csrfToken: string;
  createdAt: string;
  expiresAt: string;
  lastSeenAt: Generated<string | null>;
  /** Sealed JSON { ip, userAgent } of the device that signed in. */
  client: Generated<string | null>;
}
export interface ApiKeysTable {
  id: string;
  workspaceId: string;
  name: string;
  prefix: string;
  keyHash: string;
  createdAt: string;
  lastUsedAt: string | null;
}
export interface InboxesTable {
  id: string;
  workspaceId: string;
  name: string;
  channel: string;
  widgetToken: string | null;
  allowedOrigins: string;
  webhookUrl: string | null;
  webhookSecret: string | null;
  greeting: string | null;
  createdAt: string;
  /** Sealed HMAC secret shops sign widget identities with (migration 0015); null until first used. */
  identitySecret: Generated<string | null>;
  /** Migration 0017: the provider adapter (registry id), its settings (JSON), sealed secrets, hook id. */
  adapter: Generated<string | null>;
  channelConfig: Generated<string | null>;
  channelSecrets: Generated<string | null>;
  hookId: Generated<string | null>;
  disabledAt: Generated<string | null>;
}
export interface CustomersTable {
  id: string;
  workspaceId: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  createdAt: string;
  /** The shop's member level (0016); with spend, orders and tags it gives the tier. */
  memberLevel: ColumnType<string | null, string | null | undefined, string | null>;
  lifetimeSpendFen: ColumnType<number, number | undefined, number>;
  orderCount: ColumnType<number, number | undefined, number>;
  /** JSON list. */
  profileTags: ColumnType<string, string | undefined, string>;
  tier: ColumnType<string, string | undefined, string>;
  profileUpdatedAt: ColumnType<string | null, string | null | undefined, string | null>;
  /** Migration 0031: the customer's language, remembered from confident detections. */
  language: Generated<string | null>;
}
export interface CustomerIdentitiesTable {
  id: string;
  workspaceId: string;
  customerId: string;
  kind: string;
  /** The codec's lookup form: a keyed blind index once encrypted. */
  value: string;
  /** The identity value sealed for reading back; null on rows written before migration 0002. */
  sealedValue: Generated<string | null>;
  createdAt: string;
  /** 0/1: the channel proved it (SMS sender, signed widget identity); 0 = typed by someone. Migration 0015. */
  verified: Generated<number>;
  /** Who asserted it: the channel type (widget, sms, api…), 'profile', or 'agent'. */
  source: Generated<string | null>;
}
/** Migration 0015: a customer absorbed into another; the absorbed id resolves to the survivor. */
export interface CustomerMergesTable {
  id: string;
  workspaceId: string;
  survivorId: string;
  absorbedId: string;
  reason: string;
  suggestionId: string | null;
  mergedBy: string;
  moved: string;
  createdAt: string;
}
export interface CustomerMergeSuggestionsTable {
  id: string;
  workspaceId: string;
  customerId: string;
  candidateId: string;
  pairKey: string;
  identityKind: string;
  status: string;
  createdAt: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
}
export interface ConversationsTable {
  id: string;
  workspaceId: string;
  inboxId: string;
  customerId: string;
  channel: string;
  status: string;
  priority: string;
  tags: string;
  assigneeId: string | null;
  handedOff: number;
  botActive: number;
  createdAt: string;
  updatedAt: string;
  queueId: Generated<string | null>;
  priorityScore: Generated<number>;
  waitingSince: Generated<string | null>;
  /** JSON RoutingRecord. */
  routing: Generated<string | null>;
  /** Migration 0017: sealed JSON of the channel facts the replies need (email subject, Message-ID). */
  channelMeta: Generated<string | null>;
  /** Migration 0019: the survey result (1–5), the customer's comment (sealed, customer key), when given. */
  csatScore: Generated<number | null>;
  csatComment: Generated<string | null>;
  ratedAt: Generated<string | null>;
  /** Migration 0019: when a resolved conversation was last reopened (null: never). */
  reopenedAt: Generated<string | null>;
  /** Migration 0031: JSON ConversationTranslation, null until an agent or the default decides. */
  translation: Generated<string | null>;
}
export interface MessagesTable {
  id: string;
  workspaceId: string;
  conversationId: string;
  inboxId: string;
  author: string;
  authorUserId: string | null;
  text: string;
  attachments: string;
  idempotencyKey: string | null;
  clientMessageId: string | null;
  /** JSON MessageMetadata (knowledge sources of a bot answer) or null. Migration 0008. */
  metadata: Generated<string | null>;
  /** Migration 0031: the language tag of the text, and the sealed MessageTranslation. */
  language: Generated<string | null>;
  translation: Generated<string | null>;
  createdAt: string;
}
export interface JobsTable {
  id: string;
  workspaceId: string | null;
  name: string;
  payload: string;
  status: string;
  runAt: string;
  attempts: Generated<number>;
  maxAttempts: number;
  lastError: string | null;
  lockedUntil: string | null;
  /** Migration 0027: the worker holding the lease while running. */
  lockedBy: string | null;
  idempotencyKey: string | null;
  createdAt: string;
  updatedAt: string;
}
/** Migration 0041: API messages acknowledged before they are stored (`seq` orders them). */
export interface InboundIntakeTable {
  seq: Generated<number | string>;
  workspaceId: string;
  inboxId: string;
  messageId: string;
  idempotencyKey: string;
  /** Sealed JSON of the message as the core receives it. */
  payload: string;
  acceptedAt: string;
  attempts: Generated<number>;
  nextAttemptAt: string;
  lastError: string | null;
}
/** Migration 0041: a named task one process holds at a time, until `until` unless renewed. */
export interface LeasesTable {
  name: string;
  owner: string;
  until: string;
}
export interface FaqsTable {
  id: string;
  workspaceId: string;
  question: string;
  similar: string;
  answer: string;
  keywords: string;
  createdAt: string;
}

export interface WorkspaceKeysTable {
  workspaceId: string;
  keyId: string;
  /** '' for the workspace's own keys. */
  subjectId: string;
  purpose: string;
  version: number;
  masterKeyId: string;
  wrapped: string;
  createdAt: string;
}
export interface AuditLogTable {
  seq: number;
  id: string;
  workspaceId: string | null;
  at: string;
  actorType: string;
  actorId: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  /** JSON object of ids, counts and setting names; never personal data. */
  details: string;
  prevHash: string;
  hash: string;
}
export interface AuditCheckpointsTable {
  seq: number;
  hash: string;
  createdAt: string;
}
/** One row per chain ('' = the global audit chain): the last appended entry. */
export interface AuditHeadsTable {
  chain: string;
  seq: number;
  hash: string;
}

export interface OrdersTable {
  id: string;
  workspaceId: string;
  /** Upper-case; unique per workspace. */
  number: string;
  status: string;
  carrier: string | null;
  trackingNumber: string | null;
  /** Sealed. */
  phone: string | null;
  /** JSON list of { name, quantity }. */
  items: string;
  total: string | null;
  /** Migration 0028: the coupon used, for re-engagement attribution. */
  couponCode: Generated<string | null>;
  createdAt: string;
  updatedAt: string;
}
export interface TicketsTable {
  id: string;
  workspaceId: string;
  number: string;
  type: string;
  /** Sealed JSON object (reason text, phone… are personal data). */
  fields: string;
  status: string;
  conversationId: string | null;
  customerId: string | null;
  sourceKey: string | null;
  createdAt: string;
  /** Sealed (migration 0024 on). */
  subject: Generated<string>;
  /** Sealed. */
  description: string | null;
  category: string | null;
  priority: Generated<string>;
  pendingReason: string | null;
  source: Generated<string>;
  assigneeId: string | null;
  queueId: string | null;
  /** Sealed JSON object. */
  customFields: string | null;
  /** JSON list. */
  orderNumbers: Generated<string>;
  mergedIntoId: string | null;
  createdBy: string | null;
  /** null on rows from before 0024 (then createdAt). */
  updatedAt: string | null;
  solvedAt: string | null;
  closedAt: string | null;
  notifiedStatus: string | null;
}
export interface CallbacksTable {
  id: string;
  workspaceId: string;
  number: string;
  /** Sealed. */
  phone: string;
  /** Sealed. */
  note: string;
  status: string;
  conversationId: string | null;
  customerId: string | null;
  sourceKey: string | null;
  createdAt: string;
}
export interface BotStatesTable {
  workspaceId: string;
  conversationId: string;
  /** Sealed JSON (the dialogue remembers phones, order numbers, reasons). */
  state: string;
  lastMessageId: string;
  updatedAt: string;
}
export interface BotSettingsTable {
  workspaceId: string;
  templateId: string;
  variables: string;
  businessHours: string | null;
  orderNumberPattern: string | null;
  version: number;
  updatedAt: string;
}
/** Migration 0009: the setup wizard's outcome and the bot's on/off switch. */
export interface WorkspaceSetupTable {
  workspaceId: string;
  botEnabled: Generated<number>;
  completedAt: string | null;
  updatedAt: string;
}

/** Migration 0010: consent history, retention policies, purge markers, encrypted attachments. */
export interface CustomerConsentsTable {
  id: string;
  workspaceId: string;
  customerId: string;
  purpose: string;
  status: string;
  source: string;
  recordedBy: string;
  at: string;
}
export interface RetentionPoliciesTable {
  workspaceId: string;
  transcriptsDays: number | null;
  recordingsDays: number | null;
  attachmentsDays: number | null;
  updatedAt: string;
}
export interface ConversationPurgesTable {
  workspaceId: string;
  conversationId: string;
  messagesPurged: number;
  purgedAt: string;
}
export interface AttachmentsTable {
  id: string;
  workspaceId: string;
  conversationId: string;
  customerId: string;
  messageId: string | null;
  uploadedBy: string;
  /** Sealed with the customer's key. */
  name: string;
  /** The file's own AES key, sealed with the customer's key: erasing the customer shreds the file. */
  fileKey: string;
  mimeType: string;
  size: number;
  createdAt: string;
}

export interface KnowledgeFaqsTable {
  id: string;
  workspaceId: string;
  question: string;
  /** JSON list of strings. */
  similarQuestions: string;
  answer: string;
  /** JSON list of strings: retrieval hints. */
  keywords: string;
  /** JSON list of strings. */
  tags: string;
  /** 0/1. */
  enabled: number;
  /** The template FAQ id this entry was seeded from; null for the owner's own entries. */
  origin: string | null;
  /** 0/1: the owner changed a template entry's content, so template syncs leave it alone. */
  edited: number;
  version: number;
  createdAt: string;
  updatedAt: string;
}
export interface KnowledgeArticlesTable {
  id: string;
  workspaceId: string;
  title: string;
  /** Markdown. */
  body: string;
  tags: string;
  sourceUrl: string | null;
  enabled: number;
  version: number;
  createdAt: string;
  updatedAt: string;
}
/** One row per workspace: the knowledge base's version and the template it was last synced with. */
export interface KnowledgeStateTable {
  workspaceId: string;
  version: number;
  templateId: string | null;
  templateLocale: string | null;
  templateDigest: string | null;
  /** JSON list of template FAQ ids the owner deleted; syncs do not bring them back. */
  dismissedOrigins: string;
  updatedAt: string;
}

/** Migration 0007: connectors to the shop's systems; `secrets` is sealed JSON { header name: value }. */
export interface ConnectorsTable {
  id: string;
  workspaceId: string;
  kind: string;
  /** 0/1. */
  enabled: number;
  /** JSON settings without secret values. */
  settings: string;
  secrets: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** Migration 0012: the owner's dialogue overrides, one row per saved version. */
export interface DialogueVersionsTable {
  id: string;
  workspaceId: string;
  version: number;
  templateId: string;
  locale: string;
  /** The overrides document as JSON. */
  document: string;
  authorUserId: string | null;
  restoredFrom: number | null;
  createdAt: string;
}

export interface ReplyTemplatesTable {
  id: string;
  workspaceId: string;
  /** Lower-case; unique among the workspace's live (not archived) templates. */
  shortcut: string;
  title: string;
  body: string;
  /** JSON list of intent ids; empty = any intent. */
  intents: string;
  compliance: number;
  locale: string;
  /** The industry template (`<id>/<locale>`) it was seeded from, until someone edits it. */
  source: string | null;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  archivedAt: string | null;
}
export interface RoutingRulesTable {
  id: string;
  workspaceId: string;
  position: number;
  name: string;
  enabled: number;
  /** JSON list of conditions. */
  conditions: string;
  /** JSON actions. */
  actions: string;
  origin: string;
  createdAt: string;
  updatedAt: string;
}
export interface RoutingSettingsTable {
  workspaceId: string;
  /** JSON TierSettings. */
  tiers: string;
  seededTemplate: string | null;
  updatedAt: string;
}
/** Migration 0017: one row per outbound message part sent through a provider channel. */
export interface MessageDeliveriesTable {
  id: string;
  workspaceId: string;
  messageId: string;
  inboxId: string;
  part: number;
  providerMessageId: string | null;
  status: string;
  error: string | null;
  attempts: number;
  passive: number;
  /** Migration 0027: handed to the provider at this time, its answer not recorded yet. */
  sendingAt: string | null;
  createdAt: string;
  updatedAt: string;
}
/** Migration 0017: a channel thread reference (blind index) → its conversation. */
export interface ChannelThreadsTable {
  workspaceId: string;
  inboxId: string;
  refHash: string;
  conversationId: string;
  createdAt: string;
}
/** Migration 0014: human queues, agents' profiles and presence, offers, waits, per-workspace settings. */
export interface QueuesTable {
  id: string;
  workspaceId: string;
  key: string;
  name: string;
  /** JSON list of strings. */
  requiredSkills: string;
  language: string | null;
  strategy: string;
  pickupTimeoutSeconds: number;
  overflowPolicy: string;
  overflowAfterSeconds: number;
  position: number;
  lastOfferedUserId: string | null;
  createdAt: string;
  updatedAt: string;
}
export interface QueueMembersTable {
  workspaceId: string;
  queueId: string;
  userId: string;
  createdAt: string;
}
export interface AgentProfilesTable {
  workspaceId: string;
  userId: string;
  /** JSON lists of strings. */
  skills: string;
  languages: string;
  capacity: number;
  status: string;
  statusChangedAt: string;
  lastActivityAt: string;
  /** 0/1. */
  autoAway: number;
  updatedAt: string;
}
export interface ConversationOffersTable {
  id: string;
  workspaceId: string;
  conversationId: string;
  customerId: string;
  queueId: string | null;
  userId: string;
  status: string;
  offeredAt: string;
  expiresAt: string;
  respondedAt: string | null;
}
export interface QueueWaitsTable {
  id: string;
  workspaceId: string;
  conversationId: string;
  customerId: string;
  queueId: string | null;
  startedAt: string;
  endedAt: string | null;
  outcome: string | null;
  announcedPosition: number | null;
  announcedWaitSeconds: number | null;
  announcedAt: string | null;
}
export interface QueueSettingsTable {
  workspaceId: string;
  autoAwayMinutes: number;
  seededTemplate: string | null;
  dispatchSeq: number;
  updatedAt: string;
}

/** Migration 0019: what an agent did with the reply suggestions for one customer message. */
export interface SuggestionFeedbackTable {
  id: string;
  workspaceId: string;
  conversationId: string;
  messageId: string;
  userId: string;
  intent: string | null;
  /** JSON ShownSuggestion[] (rank, source kind and id, text hash; never the text). */
  suggestions: string;
  action: string;
  chosenRank: number | null;
  sentMessageId: string | null;
  /** Thousandths (0..1000) of the suggestion the agent changed before sending. */
  editRatio: number | null;
  latencyMs: number | null;
  createdAt: string;
}
export interface DB {
  workspaces: WorkspacesTable;
  users: UsersTable;
  sessions: SessionsTable;
  apiKeys: ApiKeysTable;
  inboxes: InboxesTable;
  customers: CustomersTable;
  customerIdentities: CustomerIdentitiesTable;
  customerMerges: CustomerMergesTable;
  customerMergeSuggestions: CustomerMergeSuggestionsTable;
  conversations: ConversationsTable;
  messages: MessagesTable;
  jobs: JobsTable;
  inboundIntake: InboundIntakeTable;
  leases: LeasesTable;
  faqs: FaqsTable;
  workspaceKeys: WorkspaceKeysTable;
  auditLog: AuditLogTable;
  auditCheckpoints: AuditCheckpointsTable;
  auditHeads: AuditHeadsTable;
  orders: OrdersTable;
  tickets: TicketsTable;
  callbacks: CallbacksTable;
  botStates: BotStatesTable;
  botSettings: BotSettingsTable;
  botTurns: BotTurnsTable;
  connectors: ConnectorsTable;
  knowledgeFaqs: KnowledgeFaqsTable;
  knowledgeArticles: KnowledgeArticlesTable;
  knowledgeState: KnowledgeStateTable;
  workspaceSetup: WorkspaceSetupTable;
  customerConsents: CustomerConsentsTable;
  retentionPolicies: RetentionPoliciesTable;
  conversationPurges: ConversationPurgesTable;
  attachments: AttachmentsTable;
  dialogueVersions: DialogueVersionsTable;
  routingRules: RoutingRulesTable;
  replyTemplates: ReplyTemplatesTable;
  routingSettings: RoutingSettingsTable;
  messageDeliveries: MessageDeliveriesTable;
  channelThreads: ChannelThreadsTable;
  queues: QueuesTable;
  queueMembers: QueueMembersTable;
  agentProfiles: AgentProfilesTable;
  conversationOffers: ConversationOffersTable;
  queueWaits: QueueWaitsTable;
  queueSettings: QueueSettingsTable;
  suggestionFeedback: SuggestionFeedbackTable;
  conversationActivity: ConversationActivityTable;
  agentPresenceChanges: AgentPresenceChangesTable;
  customerNotes: CustomerNotesTable;
  handoffCards: HandoffCardsTable;
  calls: CallsTable;
  callTranscriptSegments: CallTranscriptSegmentsTable;
  voiceUsage: VoiceUsageTable;
  speechSettings: SpeechSettingsTable;
  translationSettings: TranslationSettingsTable;
  translationUsage: TranslationUsageTable;
  costUsage: CostUsageTable;
  budgets: BudgetsTable;
  metricRollups: MetricRollupsTable;
  metricClaims: MetricClaimsTable;
  metricFacts: MetricFactsTable;
  reviewMailSettings: ReviewMailSettingsTable;
  reviewMailings: ReviewMailingsTable;
  assistSettings: AssistSettingsTable;
  kpiTargets: KpiTargetsTable;
  qualityRulesets: QualityRulesetsTable;
  qualityResults: QualityResultsTable;
  qualityReviews: QualityReviewsTable;
  qualityAppeals: QualityAppealsTable;
  campaigns: CampaignsTable;
  campaignTargets: CampaignTargetsTable;
  outreachSegments: OutreachSegmentsTable;
  outreachCampaigns: OutreachCampaignsTable;
  outreachCoupons: OutreachCouponsTable;
  outreachRecipients: OutreachRecipientsTable;
  doNotCall: DoNotCallTable;
  slaCalendars: SlaCalendarsTable;
  slaCalendarDays: SlaCalendarDaysTable;
  slaPolicies: SlaPoliciesTable;
  slaClocks: SlaClocksTable;
  ticketEntries: TicketEntriesTable;
  ticketWatchers: TicketWatchersTable;
  ticketAttachments: TicketAttachmentsTable;
  ticketFieldDefinitions: TicketFieldDefinitionsTable;
  ticketAssignmentRules: TicketAssignmentRulesTable;
  ticketSettings: TicketSettingsTable;
  surveySettings: SurveySettingsTable;
  surveys: SurveysTable;
  complaints: ComplaintsTable;
}
