// Complaint closure: every complaint (a complaint intent in a conversation, a negative survey, an agent's
// flag) is tracked until it is closed with a resolution note and the customer's confirmation; the share
// closed is a KPI with a target of 100 %.

export type ComplaintSource = 'intent' | 'survey' | 'manual';
export type ComplaintStatus = 'open' | 'closed';
/**
 * How the closure was confirmed: the customer said so (an agent records it), or the follow-up ticket was
 * closed (which the ticket's own lifecycle does only after the customer's answer or its wait).
 */
export type ComplaintConfirmation = 'customer' | 'ticket_closed';

export const COMPLAINT_NOTE_MAX = 2000;
export const COMPLAINT_CLOSURE_TARGET = 1;

export interface Complaint {
  id: string;
  source: ComplaintSource;
  customerId: string;
  conversationId: string | null;
  ticketId: string | null;
  surveyId: string | null;
  status: ComplaintStatus;
  /** Why it was opened (an agent's note, the survey's comment). */
  note: string | null;
  /** The user who flagged it; null when opened by the system. */
  openedBy: string | null;
  resolutionNote: string | null;
  confirmation: ComplaintConfirmation | null;
  /** A user id, or 'system' when the ticket's closure closed it. */
  closedBy: string | null;
  createdAt: string;
  closedAt: string | null;
}

export interface NewComplaint {
  id: string;
  sourceKey: string;
  source: ComplaintSource;
  customerId: string;
  conversationId: string | null;
  ticketId: string | null;
  surveyId: string | null;
  note: string | null;
  openedBy: string | null;
  createdAt: string;
}

export interface ComplaintKpi {
  /** Complaints opened in the range. */
  opened: number;
  /** Of those, closed (at any time up to now). */
  closed: number;
  /** closed / opened, 0..1; null when none were opened. */
  closureRate: number | null;
  target: number;
  /** Median hours from opening to closing of those closed; null when none. */
  medianHoursToClose: number | null;
  /** Open now (whenever opened), by age. */
  openByAge: { under24h: number; days1to3: number; days3to7: number; over7d: number };
  bySource: { source: ComplaintSource; opened: number; closed: number }[];
}

export interface ComplaintsRepository {
  /** Returns the existing complaint when one with the same source key exists (created false). */
  open(input: NewComplaint): Promise<{ complaint: Complaint; created: boolean }>;
  get(id: string): Promise<Complaint | null>;
  /** Open complaints linked to the ticket. */
  openForTicket(ticketId: string): Promise<Complaint[]>;
  linkTicket(id: string, ticketId: string): Promise<void>;
  /** Closes an open complaint; false when it was closed already. */
  close(
    id: string,
    closure: {
      resolutionNote: string | null;
      confirmation: ComplaintConfirmation;
      closedBy: string;
      closedAt: string;
    },
  ): Promise<boolean>;
  /** Oldest first (the board), or newest first for closed ones. */
  list(options: { status?: ComplaintStatus; limit: number }): Promise<Complaint[]>;
  kpi(range: { from: string; to: string }, now: string): Promise<ComplaintKpi>;
}
