// Row shapes of the ticket tables added by migration 0024 (the tickets table itself is in schema.ts).
export interface TicketEntriesTable {
  id: string;
  workspaceId: string;
  ticketId: string;
  kind: string;
  authorType: string;
  authorId: string | null;
  /** Sealed. */
  body: string | null;
  /** JSON object. */
  data: string;
  /** JSON list of user ids. */
  mentions: string;
  messageId: string | null;
  sourceKey: string | null;
  createdAt: string;
}

export interface TicketWatchersTable {
  workspaceId: string;
  ticketId: string;
  userId: string;
  createdAt: string;
}

export interface TicketAttachmentsTable {
  workspaceId: string;
  ticketId: string;
  attachmentId: string;
  addedBy: string;
  createdAt: string;
}

export interface TicketFieldDefinitionsTable {
  id: string;
  workspaceId: string;
  key: string;
  label: string;
  /** The English label (migration 0030); null: `label` serves both languages. */
  labelEn: string | null;
  kind: string;
  /** JSON list. */
  options: string;
  required: number;
  position: number;
  archived: number;
  createdAt: string;
}

export interface TicketAssignmentRulesTable {
  id: string;
  workspaceId: string;
  name: string;
  position: number;
  enabled: number;
  category: string | null;
  type: string | null;
  priority: string | null;
  queueId: string | null;
  userId: string | null;
  /** JSON list. */
  skills: string;
  createdAt: string;
}

export interface TicketSettingsTable {
  workspaceId: string;
  reopenDays: number;
  notifyCustomer: number;
  closeDays: number;
  updatedAt: string;
}
