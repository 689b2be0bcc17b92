// An SLA clock: how much of one target's time a ticket has used. It runs on business time (or around the
// clock), pauses while the ticket waits on the customer, and stops when the target is met. Pure: callers
// load and store clocks and pass the time in.
import type { Priority } from '../model.ts';
import type { CustomerTier } from '../routing/rules.ts';
import type { BusinessClock } from './businessCalendar.ts';
import type { SlaMetric } from './slaPolicy.ts';

/** The share of the target at which the assignee is warned. */
export const SLA_WARNING_SHARE = 0.75;

export interface SlaClock {
  id: string;
  ticketId: string;
  metric: SlaMetric;
  /** 0 for first response and resolution; next response counts one cycle per customer reply. */
  cycle: number;
  policyId: string;
  targetMinutes: number;
  businessHours: boolean;
  /** The ticket's facts when the clock started, for the report. */
  priority: Priority;
  category: string | null;
  customerTier: CustomerTier | null;
  startedAt: string;
  /** Time counted before `runningSince` (earlier running spells), in ms of business time. */
  elapsedMs: number;
  /** When the current running spell began; null while paused or stopped. */
  runningSince: string | null;
  /** While running: when the warning share and the target are reached; null otherwise. */
  warnAt: string | null;
  dueAt: string | null;
  warnedAt: string | null;
  breachedAt: string | null;
  /** When the target was fulfilled (reply sent, ticket solved); null while open. */
  stoppedAt: string | null;
}

export type SlaClockState = 'running' | 'paused' | 'met' | 'breached';

export function clockState(c: SlaClock): SlaClockState {
  if (c.breachedAt) return 'breached';
  if (c.stoppedAt) return 'met';
  return c.runningSince ? 'running' : 'paused';
}

const targetMs = (c: SlaClock): number => c.targetMinutes * 60_000;

/** Business time the clock has counted up to `now`. */
export function elapsedMs(c: SlaClock, clock: BusinessClock, now: Date): number {
  if (!c.runningSince) return c.elapsedMs;
  return c.elapsedMs + clock.msBetween(new Date(c.runningSince), now);
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/** When a running clock reaches its warning and its target (already passed shares are due at once). */
function deadlines(c: SlaClock, clock: BusinessClock): Pick<SlaClock, 'warnAt' | 'dueAt'> {
  if (!c.runningSince) return { warnAt: null, dueAt: null };
  const since = new Date(c.runningSince);
  const at = (share: number) => clock.addMs(since, Math.max(0, share * targetMs(c) - c.elapsedMs));
  return { warnAt: iso(at(SLA_WARNING_SHARE)), dueAt: iso(at(1)) };
}

/** A new running clock. */
export function startClock(
  fields: Omit<
    SlaClock,
    'elapsedMs' | 'runningSince' | 'warnAt' | 'dueAt' | 'warnedAt' | 'breachedAt' | 'stoppedAt'
  >,
  clock: BusinessClock,
  options: { paused?: boolean } = {},
): SlaClock {
  const c: SlaClock = {
    ...fields,
    elapsedMs: 0,
    runningSince: options.paused ? null : fields.startedAt,
    warnAt: null,
    dueAt: null,
    warnedAt: null,
    breachedAt: null,
    stoppedAt: null,
  };
  return { ...c, ...deadlines(c, clock) };
}

/** Stops counting for now (the ticket waits on the customer). No-op unless running. */
export function pauseClock(c: SlaClock, clock: BusinessClock, at: Date): SlaClock {
  if (!c.runningSince || c.stoppedAt) return c;
  return { ...c, elapsedMs: elapsedMs(c, clock, at), runningSince: null, warnAt: null, dueAt: null };
}

/** Counts again from `at`. No-op unless paused. */
export function resumeClock(c: SlaClock, clock: BusinessClock, at: Date): SlaClock {
  if (c.runningSince || c.stoppedAt) return c;
  const running = { ...c, runningSince: at.toISOString() };
  return { ...running, ...deadlines(running, clock) };
}

/** The target is fulfilled at `at`: late if more than the target had passed. No-op once stopped. */
export function stopClock(c: SlaClock, clock: BusinessClock, at: Date): SlaClock {
  if (c.stoppedAt) return c;
  const used = elapsedMs(c, clock, at);
  const late = used > targetMs(c);
  return {
    ...c,
    elapsedMs: used,
    runningSince: null,
    warnAt: null,
    dueAt: null,
    stoppedAt: at.toISOString(),
    // A breach the check job had not seen yet (it runs a little after the deadline) still counts.
    breachedAt: c.breachedAt ?? (late ? (c.dueAt ?? at.toISOString()) : null),
  };
}

/** A solved ticket reopened: its resolution clock counts on from where it stopped. */
export function reopenClock(c: SlaClock, clock: BusinessClock, at: Date): SlaClock {
  if (!c.stoppedAt) return c;
  const running = { ...c, stoppedAt: null, runningSince: at.toISOString() };
  return { ...running, ...deadlines(running, clock) };
}

/** What a clock measures against: the policy's target for its metric and the ticket's facts it matched on. */
export type SlaTarget = Pick<
  SlaClock,
  'policyId' | 'targetMinutes' | 'businessHours' | 'priority' | 'category' | 'customerTier'
>;

/**
 * The ticket's priority or category changed: from `at` the clock counts against the new target, keeping
 * the time it has used (measured on the clock it ran on until now). Deadlines follow the new target (a
 * share already passed is due at once, so the check job records it); the warning is given again when the
 * new target puts it ahead. A met or breached clock keeps its record; the same target is a no-op.
 */
export function retargetClock(
  c: SlaClock,
  target: SlaTarget,
  clocks: { from: BusinessClock; to: BusinessClock },
  at: Date,
): SlaClock {
  if (c.stoppedAt || c.breachedAt) return c;
  // The same target keeps the facts it was set by (the report groups clocks by them).
  const same =
    c.policyId === target.policyId &&
    c.targetMinutes === target.targetMinutes &&
    c.businessHours === target.businessHours;
  if (same) return c;
  const used = elapsedMs(c, clocks.from, at);
  const next: SlaClock = {
    ...c,
    ...target,
    elapsedMs: used,
    runningSince: c.runningSince ? at.toISOString() : null,
  };
  if (next.warnedAt && used < SLA_WARNING_SHARE * targetMs(next)) next.warnedAt = null;
  return { ...next, ...deadlines(next, clocks.to) };
}

/** What a check at `now` finds due on a running clock: the warning, the breach, neither or both. */
export function dueAlerts(c: SlaClock, clock: BusinessClock, now: Date): { warn: boolean; breach: boolean } {
  if (!c.runningSince || c.stoppedAt) return { warn: false, breach: false };
  const used = elapsedMs(c, clock, now);
  return {
    warn: !c.warnedAt && used >= SLA_WARNING_SHARE * targetMs(c),
    breach: !c.breachedAt && used >= targetMs(c),
  };
}
