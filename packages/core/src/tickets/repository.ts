// What the tickets context needs from storage, scoped to one workspace.
import type {
  CustomFieldValue,
  Ticket,
  TicketAssignmentRule,
  TicketAuthorType,
  TicketEntry,
  TicketEntryKind,
  TicketFieldDefinition,
  TicketPriority,
  TicketSettings,
  TicketSource,
  TicketStatus,
} from './ticket.ts';

/**
 * A ticket being opened. The first six fields are what the bot has always passed; the rest default
 * (subject from the type, status 'new', priority 'normal', source 'bot').
 */
export interface NewTicket {
  type: string;
  fields: Record<string, string>;
  conversationId: string | null;
  customerId: string | null;
  /** Unique per workspace; the same key returns the same ticket (e.g. `bot:<message id>`). */
  sourceKey: string | null;
  createdAt: string;
  subject?: string;
  description?: string | null;
  category?: string | null;
  priority?: TicketPriority;
  status?: TicketStatus;
  source?: TicketSource;
  assigneeId?: string | null;
  queueId?: string | null;
  customFields?: Record<string, CustomFieldValue>;
  orderNumbers?: string[];
  createdBy?: string | null;
}

export type TicketPatch = Partial<
  Pick<
    Ticket,
    | 'type'
    | 'category'
    | 'subject'
    | 'status'
    | 'pendingReason'
    | 'priority'
    | 'assigneeId'
    | 'queueId'
    | 'customFields'
    | 'orderNumbers'
    | 'mergedIntoId'
    | 'conversationId'
    | 'solvedAt'
    | 'closedAt'
  >
> & { updatedAt: string };

export interface TicketFilter {
  limit: number;
  status?: readonly TicketStatus[];
  priority?: TicketPriority;
  /** A user id, or null for unassigned. */
  assigneeId?: string | null;
  queueId?: string;
  category?: string;
  type?: string;
  customerId?: string;
  conversationId?: string;
  /** Duplicates merged into this ticket. */
  mergedIntoId?: string;
  /** Keyset paging: tickets updated before this ticket (by its id), newest first. */
  before?: string;
}

export interface NewTicketEntry {
  id: string;
  ticketId: string;
  kind: TicketEntryKind;
  authorType: TicketAuthorType;
  authorId: string | null;
  body: string | null;
  data: Record<string, unknown>;
  mentions: string[];
  messageId: string | null;
  /** Unique per workspace: a retried step writes its entry once. */
  sourceKey: string | null;
  createdAt: string;
}

export interface TicketMention {
  entry: TicketEntry;
  ticket: Pick<Ticket, 'id' | 'number' | 'subject' | 'status'>;
}

export interface TicketsRepository {
  /** Idempotent per `sourceKey`: a retried bot turn gets the ticket it already created. */
  create(input: NewTicket): Promise<Ticket>;
  get(id: string): Promise<Ticket | null>;
  findBySourceKey(sourceKey: string): Promise<Ticket | null>;
  /** By its human number (T2026112500001), case-insensitive. */
  getByNumber(number: string): Promise<Ticket | null>;
  /** Most recently updated first. */
  list(filter: TicketFilter): Promise<Ticket[]>;
  /** The customer's tickets, newest first. */
  forCustomer(customerId: string, limit: number): Promise<Ticket[]>;
  /**
   * Applies the patch; with `expectedStatus` only while the ticket still has that status (false when a
   * concurrent change got there first), so two writers never both move it.
   */
  update(id: string, patch: TicketPatch, expectedStatus?: TicketStatus): Promise<boolean>;
  /** Compare-and-set of the status the customer was last told of; false when already told. */
  markNotified(id: string, status: TicketStatus): Promise<boolean>;
  /** Idempotent per `sourceKey`: returns the entry already written under it. */
  addEntry(entry: NewTicketEntry): Promise<TicketEntry>;
  /** The timeline, oldest first. */
  entries(ticketId: string): Promise<TicketEntry[]>;
  /** Notes that @mention the user, newest first, with the ticket each is on. */
  mentionsOf(userId: string, limit: number): Promise<TicketMention[]>;
  /** Active (new/open/pending) tickets held by each of these users. */
  activeLoad(userIds: readonly string[]): Promise<Record<string, number>>;
  /** Solved or closed tickets (not merged), most recently solved first, for similar-ticket retrieval. */
  solved(options: { limit: number; excludeId?: string }): Promise<Ticket[]>;
  watchers: {
    add(ticketId: string, userId: string, at: string): Promise<boolean>;
    remove(ticketId: string, userId: string): Promise<boolean>;
    list(ticketId: string): Promise<string[]>;
  };
  attachments: {
    /** Links a stored file to the ticket; false when already linked. */
    link(ticketId: string, attachmentId: string, addedBy: string, at: string): Promise<boolean>;
    list(ticketId: string): Promise<string[]>;
  };
  fieldDefinitions: {
    list(): Promise<TicketFieldDefinition[]>;
    /** Creates or replaces (by id); false when another definition has the key. */
    save(definition: TicketFieldDefinition): Promise<boolean>;
  };
  assignmentRules: {
    /** By position. */
    list(): Promise<TicketAssignmentRule[]>;
    save(rule: TicketAssignmentRule): Promise<void>;
    remove(id: string): Promise<boolean>;
  };
  settings: {
    /** The workspace's settings, or the defaults. */
    get(): Promise<TicketSettings>;
    save(settings: TicketSettings, at: string): Promise<void>;
  };
}
