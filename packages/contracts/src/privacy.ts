// Data-subject rights (PIPL arts. 44–47): a customer's export and erasure, marketing consent, retention
// policies, and attachments (images and PDFs stored encrypted).
import Type from 'typebox';
import { Id, Timestamp } from './common.ts';
import { Customer, Message } from './conversations.ts';
import { CustomerNote } from './customer360.ts';
import { Ticket, TicketEntry } from './tickets.ts';
import { WidgetMessage } from './widget.ts';

const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const ConsentPurpose = Type.Union([
  Type.Literal('marketing_sms'),
  Type.Literal('marketing_email'),
  Type.Literal('marketing_wechat'),
  Type.Literal('marketing_call'),
]);
export type ConsentPurpose = Type.Static<typeof ConsentPurpose>;
export const ConsentStatus = Type.Union([Type.Literal('granted'), Type.Literal('withdrawn')]);
export type ConsentStatus = Type.Static<typeof ConsentStatus>;

export const Consent = Type.Object({
  id: Id,
  purpose: ConsentPurpose,
  status: ConsentStatus,
  source: Type.String(),
  recordedBy: Type.String(),
  at: Timestamp,
});
export type Consent = Type.Static<typeof Consent>;

export const ConsentList = Type.Object({
  /** The newest answer per purpose; null = never asked (which means no). */
  current: Type.Object({
    marketing_sms: Nullable(ConsentStatus),
    marketing_email: Nullable(ConsentStatus),
    marketing_wechat: Nullable(ConsentStatus),
    marketing_call: Nullable(ConsentStatus),
  }),
  /** Every change, oldest first. */
  history: Type.Array(Consent),
});
export type ConsentList = Type.Static<typeof ConsentList>;

export const PutConsentBody = Type.Object(
  {
    purpose: ConsentPurpose,
    status: ConsentStatus,
    source: Type.Optional(
      Type.String({ minLength: 1, maxLength: 40, pattern: '^[a-z0-9_]+$', description: 'Default: console' }),
    ),
  },
  { additionalProperties: false },
);
export type PutConsentBody = Type.Static<typeof PutConsentBody>;

const Days = Nullable(Type.Integer({ minimum: 7, maximum: 3650 }));
export const RetentionPolicyBody = Type.Object(
  { transcriptsDays: Days, recordingsDays: Days, attachmentsDays: Days },
  { additionalProperties: false },
);
export type RetentionPolicyBody = Type.Static<typeof RetentionPolicyBody>;
export const RetentionPolicy = Type.Object({
  transcriptsDays: Nullable(Type.Integer()),
  recordingsDays: Nullable(Type.Integer()),
  attachmentsDays: Nullable(Type.Integer()),
  updatedAt: Nullable(Timestamp),
});
export type RetentionPolicy = Type.Static<typeof RetentionPolicy>;

/** The words that confirm an erasure (either language). */
export const ERASE_CONFIRM_WORDS = ['ERASE', '删除'] as const;
export const EraseCustomerBody = Type.Object(
  { confirm: Type.Union(ERASE_CONFIRM_WORDS.map((w) => Type.Literal(w))) },
  { additionalProperties: false },
);
export type EraseCustomerBody = Type.Static<typeof EraseCustomerBody>;
export const ErasureResult = Type.Object({
  customerId: Id,
  /** Rows deleted per table. */
  deleted: Type.Record(Type.String(), Type.Integer()),
  keysDestroyed: Type.Integer(),
  filesRemoved: Type.Integer(),
});
export type ErasureResult = Type.Static<typeof ErasureResult>;

export const AttachmentMeta = Type.Object({
  id: Id,
  conversationId: Id,
  messageId: Nullable(Id),
  uploadedBy: Type.Union([Type.Literal('customer'), Type.Literal('agent')]),
  name: Type.String(),
  mimeType: Type.String(),
  size: Type.Integer(),
  createdAt: Timestamp,
});
export type AttachmentMeta = Type.Static<typeof AttachmentMeta>;

const CallbackTask = Type.Object({
  id: Id,
  number: Type.String(),
  phone: Type.String(),
  note: Type.String(),
  status: Type.String(),
  conversationId: Nullable(Id),
  customerId: Nullable(Id),
  createdAt: Timestamp,
});

export const CustomerExport = Type.Object({
  exportedAt: Timestamp,
  customer: Customer,
  conversations: Type.Array(
    Type.Object({
      id: Id,
      channel: Type.String(),
      status: Type.String(),
      createdAt: Timestamp,
      updatedAt: Timestamp,
      /** Set when retention deleted older messages of this conversation. */
      purgedAt: Nullable(Timestamp),
      messages: Type.Array(Message),
      /** The satisfaction survey result and the customer's comment, if they answered one. */
      rating: Nullable(
        Type.Object({ score: Type.Integer(), comment: Nullable(Type.String()), ratedAt: Timestamp }),
      ),
    }),
  ),
  tickets: Type.Array(Ticket),
  /** The tickets' timelines (changes, replies, internal notes). */
  ticketEntries: Type.Array(TicketEntry),
  callbacks: Type.Array(CallbackTask),
  consents: Type.Array(Consent),
  attachments: Type.Array(AttachmentMeta),
  /** Agents' notes about the customer (deleted ones are gone). */
  notes: Type.Array(CustomerNote),
  audit: Type.Array(
    Type.Object({
      at: Timestamp,
      action: Type.String(),
      actorType: Type.String(),
      actorId: Type.String(),
      targetType: Nullable(Type.String()),
      targetId: Nullable(Type.String()),
      details: Type.Record(Type.String(), Type.Unknown()),
    }),
  ),
});
export type CustomerExport = Type.Static<typeof CustomerExport>;

/** Images (JPEG, PNG, GIF, WebP) and PDF, recognised by their first bytes, not the declared type. */
export const ATTACHMENT_TYPES = [
  'image/jpeg',
  'image/png',
  'image/gif',
  'image/webp',
  'application/pdf',
] as const;
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

export const AttachmentUploadQuery = Type.Object(
  { name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) },
  { additionalProperties: false },
);
export const AgentAttachmentParams = Type.Object({ id: Id });
export const AttachmentUploaded = Type.Object({ attachment: AttachmentMeta, message: Message });
export type AttachmentUploaded = Type.Static<typeof AttachmentUploaded>;

export const WidgetAttachmentQuery = Type.Object(
  {
    inbox: Type.String({ minLength: 1, maxLength: 100 }),
    visitorToken: Type.String({ minLength: 1, maxLength: 500 }),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    clientMessageId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  },
  { additionalProperties: false },
);
export const WidgetAttachmentDownloadQuery = Type.Object(
  {
    inbox: Type.String({ minLength: 1, maxLength: 100 }),
    visitorToken: Type.String({ minLength: 1, maxLength: 500 }),
  },
  { additionalProperties: false },
);
export const WidgetAttachmentUploaded = Type.Object({
  attachment: AttachmentMeta,
  conversationId: Id,
  message: WidgetMessage,
});
export type WidgetAttachmentUploaded = Type.Static<typeof WidgetAttachmentUploaded>;
