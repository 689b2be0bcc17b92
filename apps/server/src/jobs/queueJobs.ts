// Handlers of the queue jobs: dispatch (then tell customers where they stand), an offer's pickup
// deadline, overflow, and auto-away. Each calls a command; the use cases hold the rules.
import type { JobName, JobPayloads } from '@zhike/core';
import type { ClaimedJob } from '@zhike/db';
import type { Commands } from '../commands.ts';
import type { JobHandler } from './worker.ts';

const payloadOf = <N extends JobName>(job: ClaimedJob) => job.payload as unknown as JobPayloads[N];

export function queueJobHandlers(
  commands: Commands,
): Record<'queue.dispatch' | 'queue.offer_expired' | 'queue.overflow' | 'queue.auto_away', JobHandler> {
  return {
    'queue.dispatch': async (job) => {
      await commands.dispatchQueue(payloadOf<'queue.dispatch'>(job).workspaceId);
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
