// What the SLA context needs from storage, scoped to one workspace.
import type { Priority } from '../model.ts';
import type { WorkspaceCalendar } from './businessCalendar.ts';
import type { SlaClock } from './slaClock.ts';
import type { SlaMetric, SlaPolicy } from './slaPolicy.ts';

/** What a breach does to the ticket, decided when it is breached and applied (idempotently) after. */
export interface SlaEscalationPlan {
  /** The priority to set; null leaves it. */
  priority: Priority | null;
  /** The agent to hand the ticket to; null leaves the assignee. */
  assigneeId: string | null;
  notifySupervisors: boolean;
}

export interface StoredSlaClock extends SlaClock {
  escalation: SlaEscalationPlan | null;
  escalatedAt: string | null;
}

/** Met and breached clocks of one group in a report (clocks still open are `open`). */
export interface SlaReportRow {
  metric: SlaMetric;
  priority: Priority;
  category: string | null;
  met: number;
  breached: number;
  open: number;
}

export interface SlaRepository {
  calendar: {
    /** The workspace's calendar, or the default (office hours in Shanghai, China's statutory days). */
    get(): Promise<WorkspaceCalendar & { updatedAt: string | null }>;
    /** Replaces hours, the statutory switch and every dated edit. */
    save(calendar: WorkspaceCalendar, at: string): Promise<void>;
  };
  policies: {
    /** By position. */
    list(): Promise<SlaPolicy[]>;
    get(id: string): Promise<SlaPolicy | null>;
    /** Creates or replaces by id. */
    save(policy: SlaPolicy): Promise<void>;
    remove(id: string): Promise<boolean>;
    nextPosition(): Promise<number>;
  };
  clocks: {
    /** The ticket's clocks, oldest first. */
    forTicket(ticketId: string): Promise<StoredSlaClock[]>;
    /** The clocks of several tickets at once (a page of the ticket list), oldest first. */
    forTickets(ticketIds: readonly string[]): Promise<StoredSlaClock[]>;
    /** False when the ticket already has this metric's cycle (a replayed start). */
    insert(clock: SlaClock): Promise<boolean>;
    /** Writes the counting fields (elapsed, running spell, deadlines, stop, breach). */
    update(clock: SlaClock): Promise<void>;
    /**
     * Writes a new target (policy, minutes, business hours, the facts it matched), the counting fields and
     * the warning, which a new target may take back.
     */
    retarget(clock: SlaClock): Promise<void>;
    /** Compare-and-set: false when the warning (or breach) was recorded already. */
    markWarned(id: string, at: string): Promise<boolean>;
    markBreached(id: string, at: string, escalation: SlaEscalationPlan): Promise<boolean>;
    markEscalated(id: string, at: string): Promise<boolean>;
    /** Clocks started in [from, to), grouped by metric, priority and category. */
    report(range: { from: string; to: string }): Promise<SlaReportRow[]>;
  };
}
