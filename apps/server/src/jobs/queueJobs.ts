// Handlers of the queue jobs: dispatch (then tell customers where they stand), an offer's pickup
// deadline, overflow, and auto-away. Each calls a command; the use cases hold the rules.
import type { JobName, JobPayloads } from '@zhike/core';
import type { ClaimedJob } from '@zhike/db';
import type { Commands } from '../commands.ts';
import type { JobHandler } from './worker.ts';

const payloadOf = <N extends JobName>(job: ClaimedJob) => job.payload as unknown as JobPayloads[N];

/**
 * Dispatches of one workspace, coalesced: a dispatch looks at the whole line, so while one runs, the
 * jobs asking for another (a burst of hand-offs) share a single run that starts after it. Each job ends
 * when a run that began after it was claimed has finished (and fails, to be retried, if that run fails).
 * A hundred hand-offs in a second thus read the line a few times, not a hundred.
 */
export function coalesced(run: (key: string) => Promise<unknown>): (key: string) => Promise<void> {
  interface Slot {
    running: Promise<void>;
    /** The run everyone asking while `running` runs shares; it starts once `running` has ended. */
    queued: Promise<void> | null;
  }
  const slots = new Map<string, Slot>();
  const launch = (key: string): Promise<void> => {
    const slot: Slot = { running: Promise.resolve(), queued: null };
    slots.set(key, slot);
    slot.running = (async () => {
      try {
        await run(key);
      } finally {
        if (slot.queued === null) slots.delete(key);
      }
    })();
    return slot.running;
  };
  const ignore = () => {};
  return (key) => {
    const slot = slots.get(key);
    if (!slot) return launch(key);
    slot.queued ??= slot.running.then(ignore, ignore).then(() => launch(key));
    return slot.queued;
  };
}

export function queueJobHandlers(
  commands: Commands,
): Record<'queue.dispatch' | 'queue.offer_expired' | 'queue.overflow' | 'queue.auto_away', JobHandler> {
  const dispatch = coalesced((workspaceId) => commands.dispatchQueue(workspaceId));
  return {
    'queue.dispatch': async (job) => {
      await dispatch(payloadOf<'queue.dispatch'>(job).workspaceId);
    },
    'queue.offer_expired': async (job) => {
      const { workspaceId, offerId } = payloadOf<'queue.offer_expired'>(job);
      await commands.expireOffer(workspaceId, { offerId });
    },
    'queue.overflow': async (job) => {
      const { workspaceId, ...input } = payloadOf<'queue.overflow'>(job);
      await commands.overflowConversation(workspaceId, input);
    },
    'queue.auto_away': async (job) => {
      const { workspaceId, userId } = payloadOf<'queue.auto_away'>(job);
      await commands.applyAutoAway(workspaceId, { userId });
    },
  };
}
