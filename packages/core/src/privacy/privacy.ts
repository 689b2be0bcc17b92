// The privacy vocabulary (PIPL arts. 44–47): marketing consent, retention policies, encrypted attachments,
// and what a customer's export and erasure consist of.

import type { CustomerNote } from '../assist/customer360.ts';
import type { ConversationRating } from '../assist/suggestions.ts';
import type { CallbackTask, Conversation, Customer, Message, Ticket } from '../model.ts';
import type { TicketEntry } from '../tickets/ticket.ts';

/** What a customer may (or may not) be contacted for outside a conversation they started. */
export const consentPurposes = [
  'marketing_sms',
  'marketing_email',
  'marketing_wechat',
  'marketing_call',
] as const;
export type ConsentPurpose = (typeof consentPurposes)[number];
export type ConsentStatus = 'granted' | 'withdrawn';

/** One change of a customer's answer; the history is kept, the newest row per purpose counts. */
export interface ConsentRecord {
  id: string;
  customerId: string;
  purpose: ConsentPurpose;
  status: ConsentStatus;
  /** Where the answer came from: `widget`, `console`, `import`, `sms_reply`… */
  source: string;
  /** `user:<id>`, `api_key:<id>`, `customer` */
  recordedBy: string;
  at: string;
}

/** Days to keep each kind of data; null = keep. */
export interface RetentionPolicy {
  transcriptsDays: number | null;
  recordingsDays: number | null;
  attachmentsDays: number | null;
  updatedAt: string | null;
}

export const keepEverything: RetentionPolicy = {
  transcriptsDays: null,
  recordingsDays: null,
  attachmentsDays: null,
  updatedAt: null,
};

export type AttachmentUploader = 'customer' | 'agent';

/** A file sent in a conversation, stored encrypted (ZKF1) under its own key. */
export interface AttachmentRecord {
  id: string;
  conversationId: string;
  customerId: string;
  messageId: string | null;
  uploadedBy: AttachmentUploader;
  name: string;
  mimeType: string;
  size: number;
  /** The file's 32-byte key (base64url), sealed with the customer's key at rest. */
  fileKey: string;
  createdAt: string;
}

export type AttachmentMetadata = Omit<AttachmentRecord, 'fileKey'>;

export interface AuditEntrySummary {
  at: string;
  action: string;
  actorType: string;
  actorId: string;
  targetType: string | null;
  targetId: string | null;
  details: Record<string, unknown>;
}

/** Everything stored about one customer, as PIPL art. 45 hands it over. */
export interface CustomerExport {
  customer: Customer;
  conversations: (Conversation & {
    messages: Message[];
    purgedAt: string | null;
    /** The satisfaction survey result with the customer's comment (migration 0019), if any. */
    rating: ConversationRating | null;
  })[];
  tickets: Ticket[];
  /** The tickets' timelines: changes, replies and internal notes about the customer. */
  ticketEntries: TicketEntry[];
  callbacks: CallbackTask[];
  consents: ConsentRecord[];
  attachments: AttachmentMetadata[];
  /** Agents' notes about them that were not deleted. */
  notes: CustomerNote[];
  audit: AuditEntrySummary[];
}

/** Rows deleted by an erasure, by table: ids and counts only, so it can go into the audit log. */
export type ErasureCounts = Record<string, number>;

/** The privacy tables of one workspace (see ports.ts WorkspaceRepositories). */
export interface PrivacyRepository {
  /** Oldest first. */
  consents(customerId: string): Promise<ConsentRecord[]>;
  recordConsent(record: ConsentRecord): Promise<void>;
  retention(): Promise<RetentionPolicy>;
  setRetention(policy: Omit<RetentionPolicy, 'updatedAt'>, at: string): Promise<RetentionPolicy>;
  /** null when the customer does not exist (in this workspace). */
  exportCustomer(customerId: string): Promise<CustomerExport | null>;
  /**
   * Deletes the customer and everything derived from them (conversations, messages, dialogue state,
   * tickets, call-backs, bot-turn analytics, notes, hand-off cards, consents, attachments rows, blind-index entries); returns
   * the attachments whose files the caller removes, or null for an unknown customer. Run it in a
   * transaction, then `shredCustomerKeys`.
   */
  deleteCustomerData(
    customerId: string,
  ): Promise<{ counts: ErasureCounts; attachmentIds: string[]; conversationIds: string[] } | null>;
  /** Destroys the customer's data keys (crypto-shredding): run after the deletion committed. */
  shredCustomerKeys(customerId: string): Promise<number>;
  /**
   * Deletes messages created before `before` (and dialogue state last saved before it), leaving the
   * conversations with a purge marker; returns
   * how many messages and conversations were touched.
   */
  purgeTranscripts(before: string, at: string): Promise<{ messages: number; conversations: number }>;
  /** Marker left by a transcript purge, if any. */
  purgedAt(conversationId: string): Promise<string | null>;
}

export interface AttachmentsRepository {
  create(record: AttachmentRecord): Promise<void>;
  get(id: string): Promise<AttachmentRecord | null>;
  linkMessage(id: string, messageId: string): Promise<void>;
  /** Attachments created before `before` (oldest first, at most `limit`). */
  olderThan(before: string, limit: number): Promise<AttachmentMetadata[]>;
  delete(id: string): Promise<boolean>;
}
