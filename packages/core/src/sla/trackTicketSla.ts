// Moves a ticket's SLA clocks on what happened to it: created (clocks start by the matching policy), a
// public reply (an agent's meets the first or next response; a customer's starts the next response), a
// status change (solved meets the resolution, reopening resumes it, pending on the customer pauses all),
// a new priority or category (open clocks count on against the targets of the policy matching it now).
// Order-tolerant: any activity first starts the clocks a ticket should have, and pausing follows the
// ticket's current status rather than the event's.
import type { DomainEvent } from '../events.ts';
import type { UseCaseDeps, WorkspaceRepositories } from '../ports.ts';
import type { BusinessClock } from './businessCalendar.ts';
import { scheduleSlaCheck } from './checkTicketSla.ts';
import { recomputeSlaTargets, slaFactsOf } from './recomputeSlaTargets.ts';
import type { StoredSlaClock } from './repository.ts';
import { slaClocksOf } from './slaCalendarClock.ts';
import { pauseClock, reopenClock, resumeClock, type SlaClock, startClock, stopClock } from './slaClock.ts';
import { matchSlaPolicy, type SlaMetric } from './slaPolicy.ts';

export type SlaActivity =
  | { kind: 'created' }
  | { kind: 'replied'; by: 'agent' | 'customer' }
  | { kind: 'status_changed'; to: 'new' | 'open' | 'pending' | 'solved' | 'closed'; from: string }
  /** The ticket's priority or category changed (its customer's tier is read afresh too). */
  | { kind: 'facts_changed' };

export interface TrackTicketSlaInput {
  ticketId: string;
  activity: SlaActivity;
  /** When it happened (the event's time), which is when clocks stop or pause. */
  at: string;
}

type Ticket = NonNullable<Awaited<ReturnType<WorkspaceRepositories['tickets']['get']>>>;

const waitsOnCustomer = (t: Ticket) => t.status === 'pending' && t.pendingReason === 'customer';
const isDone = (t: Ticket) => t.status === 'solved' || t.status === 'closed';

/** The clocks the ticket's policy gives it at creation (first response and resolution), if missing. */
async function ensureStarted(
  deps: UseCaseDeps,
  tx: WorkspaceRepositories,
  ticket: Ticket,
  clockFor: (businessHours: boolean) => BusinessClock,
  existing: StoredSlaClock[],
): Promise<SlaClock[]> {
  if (existing.length > 0) return existing;
  const facts = await slaFactsOf(tx, ticket);
  const policy = matchSlaPolicy(await tx.sla.policies.list(), facts);
  if (!policy) return [];
  const started: SlaClock[] = [];
  for (const metric of ['first_response', 'resolution'] as const satisfies SlaMetric[]) {
    const targetMinutes = policy.targets[metric];
    if (targetMinutes === null) continue;
    const clock = startClock(
      {
        id: deps.newId(),
        ticketId: ticket.id,
        metric,
        cycle: 0,
        policyId: policy.id,
        targetMinutes,
        businessHours: policy.businessHours,
        ...facts,
        startedAt: ticket.createdAt,
      },
      clockFor(policy.businessHours),
    );
    if (await tx.sla.clocks.insert(clock)) started.push(clock);
  }
  return started.length > 0 ? started : tx.sla.clocks.forTicket(ticket.id);
}

/** A new next-response cycle from a customer reply, with the first clock's policy and facts. */
async function startNextResponse(
  deps: UseCaseDeps,
  tx: WorkspaceRepositories,
  clocks: SlaClock[],
  clockFor: (businessHours: boolean) => BusinessClock,
  at: Date,
): Promise<SlaClock | null> {
  const first = clocks[0];
  if (!first) return null;
  const policy = await tx.sla.policies.get(first.policyId);
  const targetMinutes = policy?.targets.next_response ?? null;
  if (!policy || targetMinutes === null) return null;
  const cycles = clocks.filter((c) => c.metric === 'next_response').map((c) => c.cycle);
  const clock = startClock(
    {
      id: deps.newId(),
      ticketId: first.ticketId,
      metric: 'next_response',
      cycle: cycles.length === 0 ? 1 : Math.max(...cycles) + 1,
      policyId: policy.id,
      targetMinutes,
      businessHours: policy.businessHours,
      priority: first.priority,
      category: first.category,
      customerTier: first.customerTier,
      startedAt: at.toISOString(),
    },
    clockFor(policy.businessHours),
  );
  return (await tx.sla.clocks.insert(clock)) ? clock : null;
}

export async function trackTicketSla(
  deps: UseCaseDeps,
  input: TrackTicketSlaInput,
): Promise<{ clocks: SlaClock[]; events: DomainEvent[] }> {
  return deps.store.transaction(async (tx) => {
    const ticket = await tx.tickets.get(input.ticketId);
    if (!ticket) return { clocks: [], events: [] };
    const clockFor = await slaClocksOf(tx);
    const at = new Date(input.at);
    let before = await ensureStarted(deps, tx, ticket, clockFor, await tx.sla.clocks.forTicket(ticket.id));
    if (before.length === 0) return { clocks: [], events: [] };
    const open = (c: SlaClock) => !c.stoppedAt;
    const step = (c: SlaClock, f: (c: SlaClock, clock: BusinessClock, at: Date) => SlaClock) =>
      f(c, clockFor(c.businessHours), at);

    const activity = input.activity;
    if (activity.kind === 'facts_changed' && !isDone(ticket)) {
      const retargeted = await recomputeSlaTargets(tx, ticket, before, clockFor, at);
      for (const [i, c] of retargeted.entries()) if (c !== before[i]) await tx.sla.clocks.retarget(c);
      before = retargeted;
    }
    let clocks = before;
    if (activity.kind === 'replied' && activity.by === 'agent') {
      clocks = clocks.map((c) => (c.metric !== 'resolution' && open(c) ? step(c, stopClock) : c));
    }
    if (activity.kind === 'status_changed' && (activity.to === 'solved' || activity.to === 'closed')) {
      clocks = clocks.map((c) => (open(c) ? step(c, stopClock) : c));
    }
    if (activity.kind === 'status_changed' && activity.from === 'solved' && !isDone(ticket)) {
      clocks = clocks.map((c) => (c.metric === 'resolution' ? step(c, reopenClock) : c));
    }
    // Pausing follows where the ticket is now, so a late or repeated event cannot leave a clock wrong.
    if (!isDone(ticket))
      clocks = clocks.map((c) => (open(c) ? step(c, waitsOnCustomer(ticket) ? pauseClock : resumeClock) : c));
    for (const [i, c] of clocks.entries()) if (c !== before[i]) await tx.sla.clocks.update(c);
    // A target met late before the check job saw its deadline (a reply right after a priority raise made
    // it overdue) is still a breach: announced like one, so the KPIs count it. Nobody is alerted about a
    // target already met, late.
    const events: DomainEvent[] = clocks.flatMap((c, i) =>
      c.breachedAt && !before[i]?.breachedAt
        ? [
            {
              name: 'ticket.sla_breached' as const,
              workspaceId: deps.store.workspaceId,
              occurredAt: input.at,
              ticketId: ticket.id,
              clockId: c.id,
              metric: c.metric,
              dueAt: c.breachedAt,
              assigneeId: ticket.assigneeId,
              notifySupervisors: false,
            },
          ]
        : [],
    );

    if (activity.kind === 'replied' && activity.by === 'customer' && !isDone(ticket)) {
      const firstAnswered = !clocks.some((c) => c.metric === 'first_response' && open(c));
      const waiting = clocks.some((c) => c.metric === 'next_response' && open(c));
      if (firstAnswered && !waiting) {
        const next = await startNextResponse(deps, tx, clocks, clockFor, at);
        if (next && waitsOnCustomer(ticket)) {
          const paused = step(next, pauseClock);
          await tx.sla.clocks.update(paused);
          clocks = [...clocks, paused];
        } else if (next) clocks = [...clocks, next];
      }
    }
    await scheduleSlaCheck(deps, tx, ticket.id, clocks);
    return { clocks, events };
  });
}
