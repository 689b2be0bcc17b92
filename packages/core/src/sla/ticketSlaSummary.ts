// One line of SLA for a ticket in a list: of its clocks, the one that needs attention first, and what state
// it is in at `now`. Computed from the deadlines the clocks already hold, so a ticket shows as breached
// the moment its deadline passes, not when the `sla.check` job gets to it.
import type { SlaClock } from './slaClock.ts';
import type { SlaMetric } from './slaPolicy.ts';

/**
 * breached: a target was missed (still counting, or fulfilled late); warning: 75 % of a running target
 * used; running: counting toward `dueAt`; paused: waiting on the customer; met: every target fulfilled.
 */
export type TicketSlaState = 'breached' | 'warning' | 'running' | 'paused' | 'met';

export interface TicketSlaSummary {
  metric: SlaMetric;
  state: TicketSlaState;
  /** The running clock's deadline; null once paused or stopped. */
  dueAt: string | null;
  breachedAt: string | null;
}

const urgency: Record<TicketSlaState, number> = { breached: 0, warning: 1, running: 2, paused: 3, met: 4 };

function stateAt(c: SlaClock, now: number): TicketSlaState {
  const passed = (at: string | null) => at !== null && Date.parse(at) <= now;
  if (c.breachedAt || (c.runningSince && !c.stoppedAt && passed(c.dueAt))) return 'breached';
  if (c.stoppedAt) return 'met';
  if (!c.runningSince) return 'paused';
  return c.warnedAt || passed(c.warnAt) ? 'warning' : 'running';
}

/**
 * While any target is still open, the most urgent open one (ties: the earliest deadline), so an agent
 * sees the next promise at stake rather than one already settled; once all are settled, breached if
 * any was missed, else met. Null when no SLA policy applied to the ticket.
 */
export function summariseTicketSla(clocks: readonly SlaClock[], now: Date): TicketSlaSummary | null {
  const at = now.getTime();
  const judged = clocks.map((c) => ({ c, state: stateAt(c, at) }));
  const open = judged.filter((j) => !j.c.stoppedAt);
  const pool = open.length > 0 ? open : judged;
  const first = pool.sort(
    (a, b) =>
      urgency[a.state] - urgency[b.state] ||
      (a.c.dueAt ?? '\uffff').localeCompare(b.c.dueAt ?? '\uffff') ||
      a.c.startedAt.localeCompare(b.c.startedAt),
  )[0];
  if (!first) return null;
  return {
    metric: first.c.metric,
    state: first.state,
    dueAt: first.c.stoppedAt ? null : first.c.dueAt,
    breachedAt: first.c.breachedAt ?? (first.state === 'breached' ? first.c.dueAt : null),
  };
}
