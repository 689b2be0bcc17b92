// The ticket: a customer's problem tracked from report to closure, with the lifecycle's allowed moves.
import type { Priority } from '../model.ts';

/** new → open → pending (on the customer / a third party) → solved → closed; solved reopens to open. */
export type TicketStatus = 'new' | 'open' | 'pending' | 'solved' | 'closed';
export const ticketStatuses = [
  'new',
  'open',
  'pending',
  'solved',
  'closed',
] as const satisfies readonly TicketStatus[];
export type PendingReason = 'customer' | 'third_party';
export const pendingReasons = ['customer', 'third_party'] as const satisfies readonly PendingReason[];
export type TicketPriority = Priority;
export const ticketPriorities = [
  'low',
  'normal',
  'high',
  'urgent',
] as const satisfies readonly TicketPriority[];
/** Who opened it: the bot, an agent (from a conversation or by hand), an email, the API, a survey, the system. */
export type TicketSource = 'bot' | 'agent' | 'email' | 'api' | 'survey' | 'system';
export const ticketSources = [
  'bot',
  'agent',
  'email',
  'api',
  'survey',
  'system',
] as const satisfies readonly TicketSource[];

/** A custom field's value: text, select and date (YYYY-MM-DD) are strings, number a number. */
export type CustomFieldValue = string | number;

export interface Ticket {
  id: string;
  /** Human-readable, unique per workspace: T + date + sequence (T2026112500001). */
  number: string;
  /** What kind of request: refund | return | exchange | fault | question | complaint | … */
  type: string;
  category: string | null;
  subject: string;
  description: string | null;
  /** What the bot's form collected (reason, phone…), as the customer gave it. */
  fields: Record<string, string>;
  customFields: Record<string, CustomFieldValue>;
  status: TicketStatus;
  /** Set while pending: whose move it is. */
  pendingReason: PendingReason | null;
  priority: TicketPriority;
  source: TicketSource;
  conversationId: string | null;
  customerId: string | null;
  assigneeId: string | null;
  /** The team (queue) it belongs to. */
  queueId: string | null;
  orderNumbers: string[];
  /** Set when merged as a duplicate into another ticket (then closed). */
  mergedIntoId: string | null;
  /** The user who opened it; null for the bot, email and the API. */
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  solvedAt: string | null;
  closedAt: string | null;
}

/** The moves the lifecycle allows; closed is final (a reply then opens a new ticket). */
const allowed: Record<TicketStatus, readonly TicketStatus[]> = {
  new: ['open', 'pending', 'solved', 'closed'],
  open: ['pending', 'solved', 'closed'],
  pending: ['open', 'solved', 'closed'],
  solved: ['open', 'closed'],
  closed: [],
};

export const canMoveTicket = (from: TicketStatus, to: TicketStatus): boolean => allowed[from].includes(to);

/** Where a ticket can go from `from`, in lifecycle order (what the console offers as buttons). */
export const ticketMoves = (from: TicketStatus): TicketStatus[] =>
  ticketStatuses.filter((to) => canMoveTicket(from, to));

/** Still somebody's work: not solved or closed. */
export const isTicketActive = (status: TicketStatus): boolean =>
  status === 'new' || status === 'open' || status === 'pending';

export type TicketEntryKind =
  | 'created'
  | 'reply'
  | 'note'
  | 'status'
  | 'assignment'
  | 'priority'
  | 'fields'
  | 'merge'
  | 'orders'
  | 'attachment'
  | 'watchers';

export type TicketAuthorType = 'user' | 'customer' | 'bot' | 'system' | 'api';

/** One line of the ticket's timeline: a change, a public reply or an internal note. */
export interface TicketEntry {
  id: string;
  ticketId: string;
  kind: TicketEntryKind;
  authorType: TicketAuthorType;
  authorId: string | null;
  /** Reply or note text; null for changes. */
  body: string | null;
  /** What changed (ids and enumerations only): { from, to }, { assigneeId }, { mergedIntoId }… */
  data: Record<string, unknown>;
  /** Users @mentioned in a note. */
  mentions: string[];
  /** The conversation message a public reply was posted as. */
  messageId: string | null;
  createdAt: string;
}

export type CustomFieldKind = 'text' | 'number' | 'select' | 'date';
export const customFieldKinds = [
  'text',
  'number',
  'select',
  'date',
] as const satisfies readonly CustomFieldKind[];

export interface TicketFieldDefinition {
  id: string;
  /** Stable key the values are stored under: lower-case letters, digits, underscores. */
  key: string;
  /** The workspace's own label (usually Chinese). */
  label: string;
  /** The English label; null: `label` serves both languages. */
  labelEn: string | null;
  kind: CustomFieldKind;
  /** The choices of a select. */
  options: string[];
  required: boolean;
  position: number;
  archived: boolean;
  createdAt: string;
}

/** Where a new ticket goes: the first enabled rule (by position) whose conditions all match. */
export interface TicketAssignmentRule {
  id: string;
  name: string;
  position: number;
  enabled: boolean;
  /** Conditions; null matches anything. */
  category: string | null;
  type: string | null;
  priority: TicketPriority | null;
  /** The team it goes to; with skills the least-loaded member having them all takes it. */
  queueId: string | null;
  /** A fixed person (wins over skills). */
  userId: string | null;
  skills: string[];
  createdAt: string;
}

export interface TicketSettings {
  /** A customer reply within this many days of solving reopens the ticket. */
  reopenDays: number;
  /** Tell the customer of status changes in their conversation. */
  notifyCustomer: boolean;
  /** A solved ticket closes after this many days. */
  closeDays: number;
}

export const defaultTicketSettings: TicketSettings = { reopenDays: 7, notifyCustomer: true, closeDays: 14 };

export const TICKET_LIMITS = {
  subjectLength: 200,
  bodyLength: 10_000,
  customFields: 50,
  textValueLength: 2_000,
  orderNumbers: 20,
  listPage: 100,
  fieldDefinitions: 50,
  selectOptions: 50,
  assignmentRules: 100,
} as const;
