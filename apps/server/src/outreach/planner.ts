// Handler for `outreach.plan`: draws a running campaign's recipients from its segment (hold-out,
// variants, coupons, chunks) and enqueues one `outreach.send` job per chunk, all in one transaction
// guarded by the campaign's planned_at, so a retried job plans nothing twice.
import {
  type Clock,
  customerFacts,
  evaluateSegment,
  type JobPayloads,
  OUTREACH_LIMITS,
  planRecipients,
} from '@zhike/core';
import type { ClaimedJob, Database } from '@zhike/db';
import { PermanentJobFailure } from '../jobs/worker.ts';

export interface OutreachPlannerDeps {
  db: Database;
  clock: Clock;
  newId: () => string;
  wakeWorker: () => void;
}

export const sendJobKey = (campaignId: string, chunk: number, suffix = '') =>
  `outreach.send:${campaignId}:${chunk}${suffix}`;

export function outreachPlanHandler(deps: OutreachPlannerDeps) {
  return async (job: ClaimedJob) => {
    const { workspaceId, campaignId } = job.payload as unknown as JobPayloads['outreach.plan'];
    const store = deps.db.forWorkspace(workspaceId);
    const campaign = await store.outreach.get(campaignId);
    if (!campaign) throw new PermanentJobFailure('campaign no longer exists');
    if (campaign.plannedAt || campaign.status === 'cancelled' || campaign.status === 'draft') return;
    const segment = await store.outreach.segments.get(campaign.segmentId);
    if (!segment) throw new PermanentJobFailure('the campaign’s segment was deleted');
    const now = deps.clock.now();
    const at = now.toISOString();
    const members = evaluateSegment(segment.rule, await customerFacts(store), now);
    const coupons =
      campaign.couponMode === 'imported'
        ? await store.outreach.coupons.unassigned(
            campaignId,
            Math.min(members.length, OUTREACH_LIMITS.maxCoupons),
          )
        : [];
    const rows = planRecipients(deps, campaign, members, coupons);
    const chunks = [...new Set(rows.filter((r) => r.status === 'pending').map((r) => r.chunk))];
    await store.transaction(async (tx) => {
      if (!(await tx.outreach.markPlanned(campaignId, at))) return;
      await tx.outreach.recipients.add(campaignId, rows, at);
      for (const chunk of chunks) {
        const payload: JobPayloads['outreach.send'] = { workspaceId, campaignId, chunk };
        await tx.jobs.enqueue({
          name: 'outreach.send',
          payload: { ...payload },
          runAt: at,
          idempotencyKey: sendJobKey(campaignId, chunk),
        });
      }
      if (chunks.length === 0)
        await tx.outreach.setStatus(campaignId, { from: ['running'], to: 'completed', at });
    });
    deps.wakeWorker();
  };
}
