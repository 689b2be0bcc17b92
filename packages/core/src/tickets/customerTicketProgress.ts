// What a customer may be told of their own tickets when they ask how things stand ("我的工单进度"): the
// ones still being worked on and those solved lately, each with its status, the person handling it and
// when its running SLA target falls due. Read-only, scoped to the workspace store it is given.
import type { UseCaseDeps } from '../ports.ts';
import { defaultTimeZone } from '../sla/businessCalendar.ts';
import type { SlaMetric } from '../sla/slaPolicy.ts';
import { isTicketActive, type PendingReason, type Ticket, type TicketStatus } from './ticket.ts';

/** A ticket solved (or closed) within this many days still counts as news to the customer. */
export const RECENTLY_SOLVED_DAYS = 7;
/** At most this many are listed; the rest are counted. */
export const TICKET_PROGRESS_LIMIT = 5;
/** How far back the customer's tickets are read (newest first). */
const SCANNED = 50;

export interface TicketProgress {
  number: string;
  subject: string;
  status: TicketStatus;
  pendingReason: PendingReason | null;
  /** The assignee's name as customers see it on agent messages; null while nobody has it. */
  assigneeName: string | null;
  /**
   * The deadline the workspace promised and still keeps: its running resolution target, else the
   * earliest running response target. Null when none runs, or the one that runs is already breached
   * (a deadline in the past is no answer to "when").
   */
  due: { metric: SlaMetric; at: string } | null;
}

export interface CustomerTicketProgress {
  /** Active tickets first (most recently updated first), then the recently solved ones. */
  tickets: TicketProgress[];
  /** Relevant tickets beyond the listed ones. */
  more: number;
  /** The workspace calendar's time zone, for telling due times. */
  timeZone: string;
}

const DAY_MS = 86_400_000;

/** Whether the customer still wants to hear of it at `now`: active, or solved within the window. */
export function isTicketNews(ticket: Ticket, now: Date): boolean {
  if (ticket.mergedIntoId) return false;
  if (isTicketActive(ticket.status)) return true;
  const solvedAt = ticket.solvedAt ?? ticket.closedAt;
  return solvedAt !== null && now.getTime() - Date.parse(solvedAt) <= RECENTLY_SOLVED_DAYS * DAY_MS;
}

export async function customerTicketProgress(
  deps: Pick<UseCaseDeps, 'store'>,
  input: { customerId: string; now: Date },
): Promise<CustomerTicketProgress> {
  const { store } = deps;
  const news = (await store.tickets.forCustomer(input.customerId, SCANNED)).filter((t) =>
    isTicketNews(t, input.now),
  );
  const active = (t: Ticket) => (isTicketActive(t.status) ? 0 : 1);
  news.sort((a, b) => active(a) - active(b) || b.updatedAt.localeCompare(a.updatedAt));
  const listed = news.slice(0, TICKET_PROGRESS_LIMIT);
  const names = new Map<string, string | null>();
  const nameOf = async (userId: string | null) => {
    if (!userId) return null;
    if (!names.has(userId)) names.set(userId, (await store.users.get(userId))?.name ?? null);
    return names.get(userId) ?? null;
  };
  const tickets: TicketProgress[] = [];
  for (const t of listed)
    tickets.push({
      number: t.number,
      subject: t.subject,
      status: t.status,
      pendingReason: t.status === 'pending' ? t.pendingReason : null,
      assigneeName: await nameOf(t.assigneeId),
      due: isTicketActive(t.status) ? await dueOf(deps, t.id, input.now) : null,
    });
  const calendar = await store.sla.calendar.get();
  return {
    tickets,
    more: news.length - listed.length,
    timeZone: calendar.hours.timeZone ?? defaultTimeZone,
  };
}

async function dueOf(
  deps: Pick<UseCaseDeps, 'store'>,
  ticketId: string,
  now: Date,
): Promise<TicketProgress['due']> {
  const running = (await deps.store.sla.clocks.forTicket(ticketId)).filter(
    (c) => c.runningSince && !c.stoppedAt && !c.breachedAt && c.dueAt && Date.parse(c.dueAt) > now.getTime(),
  );
  const resolution = running.find((c) => c.metric === 'resolution');
  const response = running
    .filter((c) => c.metric !== 'resolution')
    .sort((a, b) => (a.dueAt ?? '').localeCompare(b.dueAt ?? ''))[0];
  const chosen = resolution ?? response;
  return chosen?.dueAt ? { metric: chosen.metric, at: chosen.dueAt } : null;
}
