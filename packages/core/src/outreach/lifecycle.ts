// A campaign's state machine, shared with voice campaigns: draft → running ⇄ paused → completed or
// cancelled. Starting enqueues the planning job; resuming enqueues the chunks still open (or the
// planning when it never ran); cancelling skips whoever was not messaged yet.
import { DomainError, notFound } from '../errors.ts';
import type { UseCaseDeps } from '../ports.ts';
import type { OutreachCampaign } from './outreach.ts';

const conflict = (message: string) => new DomainError('conflict', message);

async function load(deps: UseCaseDeps, id: string): Promise<OutreachCampaign> {
  const campaign = await deps.store.outreach.get(id);
  if (!campaign) throw notFound('campaign');
  return campaign;
}

export async function startOutreachCampaign(deps: UseCaseDeps, id: string): Promise<OutreachCampaign> {
  await load(deps, id);
  const at = deps.clock.now().toISOString();
  await deps.store.transaction(async (tx) => {
    if (!(await tx.outreach.setStatus(id, { from: ['draft'], to: 'running', at })))
      throw conflict('only a draft campaign can start');
    await tx.jobs.enqueue({
      name: 'outreach.plan',
      payload: { workspaceId: deps.store.workspaceId, campaignId: id },
      runAt: at,
      idempotencyKey: `outreach.plan:${id}`,
    });
  });
  return load(deps, id);
}

export async function pauseOutreachCampaign(deps: UseCaseDeps, id: string): Promise<OutreachCampaign> {
  await load(deps, id);
  const at = deps.clock.now().toISOString();
  if (!(await deps.store.outreach.setStatus(id, { from: ['running'], to: 'paused', at })))
    throw conflict('only a running campaign can pause');
  return load(deps, id);
}

export async function resumeOutreachCampaign(deps: UseCaseDeps, id: string): Promise<OutreachCampaign> {
  const campaign = await load(deps, id);
  const at = deps.clock.now().toISOString();
  const workspaceId = deps.store.workspaceId;
  await deps.store.transaction(async (tx) => {
    if (!(await tx.outreach.setStatus(id, { from: ['paused'], to: 'running', at })))
      throw conflict('only a paused campaign can resume');
    if (!campaign.plannedAt) {
      await tx.jobs.enqueue({
        name: 'outreach.plan',
        payload: { workspaceId, campaignId: id },
        runAt: at,
        idempotencyKey: `outreach.plan:${id}:resume:${at}`,
      });
      return;
    }
    for (const chunk of await tx.outreach.recipients.openChunks(id, at))
      await tx.jobs.enqueue({
        name: 'outreach.send',
        payload: { workspaceId, campaignId: id, chunk },
        runAt: at,
        idempotencyKey: `outreach.send:${id}:${chunk}:resume:${at}`,
      });
  });
  return load(deps, id);
}

export async function cancelOutreachCampaign(deps: UseCaseDeps, id: string): Promise<OutreachCampaign> {
  await load(deps, id);
  const at = deps.clock.now().toISOString();
  if (
    !(await deps.store.outreach.setStatus(id, { from: ['draft', 'running', 'paused'], to: 'cancelled', at }))
  )
    throw conflict('the campaign has ended already');
  await deps.store.outreach.recipients.skipPending(id, 'cancelled', at);
  return load(deps, id);
}
