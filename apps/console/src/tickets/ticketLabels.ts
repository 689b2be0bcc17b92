// What the ticket pages show for a status, a move and an SLA state: pure, so the choices are tested.
import type { TicketDetail, TicketSlaSummary } from '@zhike/contracts';
import type { MessageKey } from '../i18n/catalogue.ts';

export type TicketStatus = TicketDetail['ticket']['status'];
export type TicketPriority = TicketDetail['ticket']['priority'];

export const ticketStatusList = [
  'new',
  'open',
  'pending',
  'solved',
  'closed',
] as const satisfies readonly TicketStatus[];
export const ticketPriorityList = [
  'low',
  'normal',
  'high',
  'urgent',
] as const satisfies readonly TicketPriority[];

export const statusColor: Record<TicketStatus, string> = {
  new: 'blue',
  open: 'processing',
  pending: 'gold',
  solved: 'success',
  closed: 'default',
};

export const priorityColor: Record<TicketPriority, string> = {
  low: 'default',
  normal: 'blue',
  high: 'orange',
  urgent: 'red',
};

export const statusLabel = (s: TicketStatus): MessageKey => `tickets.status.${s}`;
export const priorityLabel = (p: TicketPriority): MessageKey => `sla.priority.${p}`;

/** A button on the ticket page for one move the lifecycle allows, and what it asks for first. */
export interface StatusAction {
  to: TicketStatus;
  label: MessageKey;
  /** pendingReason: whose move it is; resolution: how it was solved; confirm: closing is final. */
  asks: 'pendingReason' | 'resolution' | 'confirm' | null;
  primary: boolean;
}

/** The step a ticket usually takes next from each status: that button is the primary one. */
const usualNext: Record<TicketStatus, TicketStatus | null> = {
  new: 'open',
  open: 'solved',
  pending: 'solved',
  solved: 'closed',
  closed: null,
};

function moveLabel(from: TicketStatus, to: TicketStatus): MessageKey {
  if (to === 'open')
    return from === 'new'
      ? 'tickets.move.accept'
      : from === 'solved'
        ? 'tickets.move.reopen'
        : 'tickets.move.resume';
  if (to === 'pending') return 'tickets.move.pending';
  if (to === 'solved') return 'tickets.move.solve';
  return 'tickets.move.close';
}

/**
 * The buttons for the moves the server says the lifecycle allows (`moves`, so the console never keeps its
 * own copy of the rules), in lifecycle order. Staying pending with another reason is not a move.
 */
export function statusActions(from: TicketStatus, moves: readonly TicketStatus[]): StatusAction[] {
  return moves
    .filter((to) => to !== from)
    .map((to) => ({
      to,
      label: moveLabel(from, to),
      asks:
        to === 'pending'
          ? 'pendingReason'
          : to === 'solved'
            ? 'resolution'
            : to === 'closed'
              ? 'confirm'
              : null,
      primary: usualNext[from] === to,
    }));
}

/** How the SLA column shows a ticket's SLA: a coloured tag, and which time goes beside it. */
export interface SlaTag {
  color: string;
  label: MessageKey;
  /** due: the running target's deadline; breached: when it was missed; null: no time. */
  time: { kind: 'due' | 'breached'; at: string } | null;
}

export function slaTag(sla: TicketSlaSummary | null): SlaTag | null {
  if (!sla) return null;
  switch (sla.state) {
    case 'breached':
      // Still counting: the deadline that passed; settled late: when it was missed.
      return {
        color: 'red',
        label: 'tickets.sla.breached',
        time: sla.breachedAt ? { kind: 'breached', at: sla.breachedAt } : null,
      };
    case 'warning':
      return {
        color: 'orange',
        label: 'tickets.sla.warning',
        time: sla.dueAt ? { kind: 'due', at: sla.dueAt } : null,
      };
    case 'running':
      return {
        color: 'blue',
        label: 'tickets.sla.running',
        time: sla.dueAt ? { kind: 'due', at: sla.dueAt } : null,
      };
    case 'paused':
      return { color: 'default', label: 'tickets.sla.paused', time: null };
    case 'met':
      return { color: 'green', label: 'tickets.sla.met', time: null };
  }
}

/** A custom field's label in the console's language: the English one when there is one, else the shop's. */
export const fieldLabel = (
  field: { key: string; label: string; labelEn: string | null } | undefined,
  key: string,
  locale: 'zh-CN' | 'en-US',
): string => {
  if (!field) return key.replace(/_/g, ' ');
  return locale === 'en-US' ? (field.labelEn ?? field.label) : field.label;
};
