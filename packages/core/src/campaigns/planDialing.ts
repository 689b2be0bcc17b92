// The dialler's decision at one tick: how many of the due targets to call now (quiet hours, the pace
// per minute and the cap on concurrent calls), and when to look again.
import type { Campaign, CampaignTarget, DialOutcome, TargetStatus } from './campaign.ts';
import { quietEndsAt } from './quietHours.ts';

export interface DialingState {
  now: Date;
  /** Targets currently being dialled or talked to. */
  inFlight: number;
  /** When this campaign's calls of the last minute were placed (for the pace). */
  placedLastMinute: readonly Date[];
  /** Due targets (pending, next attempt reached), oldest first; more may exist beyond this list. */
  due: readonly Pick<CampaignTarget, 'id'>[];
  /** When the earliest not-yet-due pending target becomes due, if any. */
  nextDueAt: Date | null;
}

export interface DialingPlan {
  /** Targets to dial now, in order. */
  dial: string[];
  /** When to tick again; null when nothing is left to wait for (calls in flight tick on their end). */
  wakeAt: Date | null;
  /** Why nothing more was dialled now, for the console. */
  holdReason: 'quiet_hours' | 'pace' | 'concurrency' | null;
}

export function planDialing(
  campaign: Pick<Campaign, 'quietHours' | 'timeZone' | 'callsPerMinute' | 'maxConcurrent'>,
  state: DialingState,
): DialingPlan {
  const { now } = state;
  const quietEnd = quietEndsAt(now, campaign.quietHours, campaign.timeZone);
  if (quietEnd.getTime() > now.getTime()) {
    return { dial: [], wakeAt: quietEnd, holdReason: 'quiet_hours' };
  }
  const recent = state.placedLastMinute
    .filter((at) => now.getTime() - at.getTime() < 60_000)
    .sort((a, b) => a.getTime() - b.getTime());
  const paceRoom = Math.max(0, campaign.callsPerMinute - recent.length);
  const concurrencyRoom = Math.max(0, campaign.maxConcurrent - state.inFlight);
  const count = Math.min(paceRoom, concurrencyRoom, state.due.length);
  const dial = state.due.slice(0, count).map((t) => t.id);
  const leftDue = state.due.length - count;
  if (leftDue > 0) {
    if (concurrencyRoom <= count) return { dial, wakeAt: null, holdReason: 'concurrency' };
    // Paced out: the slot frees when the oldest call of the last minute turns a minute old.
    const oldest = [...recent, ...dial.map(() => now)][0] ?? now;
    return { dial, wakeAt: new Date(oldest.getTime() + 60_000), holdReason: 'pace' };
  }
  return { dial, wakeAt: state.nextDueAt, holdReason: null };
}

export interface AttemptVerdict {
  status: TargetStatus;
  nextAttemptAt: string | null;
}

/** What a finished attempt leaves the target at: reached, retried later, or given up. */
export function afterAttempt(
  campaign: Pick<Campaign, 'maxAttempts' | 'retryDelayMinutes'>,
  target: Pick<CampaignTarget, 'attempts'>,
  outcome: DialOutcome,
  now: Date,
): AttemptVerdict {
  if (outcome === 'answered') return { status: 'reached', nextAttemptAt: null };
  if (target.attempts >= campaign.maxAttempts) return { status: 'unreached', nextAttemptAt: null };
  return {
    status: 'pending',
    nextAttemptAt: new Date(now.getTime() + campaign.retryDelayMinutes * 60_000).toISOString(),
  };
}
