// Runs campaigns: each `campaign.tick` job skips the due targets that may not be called (do-not-call list,
// no marketing consent), claims what the pace, the concurrency cap and the quiet hours allow, places those
// calls through the voice line, and schedules the next tick. A finished call stores its outcome and
// result (a survey score also rates the conversation it asks about; a low score opens a call-back task
// for a person) and ticks again. Ticks of one campaign run one at a time in this process; the claim is a
// guarded update with a lease, so a second process never dials a target twice and a dead process's
// claims come back.
import {
  afterAttempt,
  type Campaign,
  type CampaignTarget,
  type Clock,
  type DialOutcome,
  mayContact,
  planDialing,
  type TargetResult,
  type WorkspaceStore,
} from '@zhike/core';
import type { Database } from '@zhike/db';
import type { VoiceBrain } from '@zhike/voice';
import type { Logger } from 'pino';
import type { Commands } from '../commands.ts';
import { type CostMeter, pauseForBudget } from '../costs/costMeter.ts';
import { type CampaignCallBrain, createCampaignBrain } from './campaignBrain.ts';

/** Places one outbound call on a voice inbox's line and runs `brain` on it once answered. */
export interface CampaignLine {
  dial(request: {
    workspaceId: string;
    inboxId: string;
    to: string;
    customerId: string | null;
    brain: VoiceBrain;
  }): Promise<{ outcome: DialOutcome; callId: string | null }>;
}

export interface DiallerDeps {
  db: Database;
  commands: Pick<Commands, 'rateConversation'>;
  clock: Clock;
  newId: () => string;
  log: Logger;
  /** Absent when no voice line can place calls in this process; campaigns then cannot start. */
  line: CampaignLine | null;
  wakeWorker: () => void;
  /** At the month's hard cap a running campaign pauses instead of dialling. */
  costs?: CostMeter;
}

/** A claim outlives any call it covers: an unanswered ring ends in a minute, a survey in a few. */
const LEASE_MS = 15 * 60_000;
const DUE_BATCH = 50;
const LOW_SCORE = 2;

export interface Dialler {
  tick(workspaceId: string, campaignId: string): Promise<void>;
  /** Schedules a tick now (start, resume, a call ended). */
  poke(workspaceId: string, campaignId: string): Promise<void>;
  readonly canDial: boolean;
  /** Waits for calls this process placed to end (shutdown). */
  drain(): Promise<void>;
}

export function createDialler(deps: DiallerDeps): Dialler {
  const chains = new Map<string, Promise<void>>();
  const calls = new Set<Promise<void>>();

  /** A tick now (each poke its own job), or one wake-up per campaign and instant (`at`). */
  const poke = async (workspaceId: string, campaignId: string, at?: Date) => {
    const runAt = (at ?? deps.clock.now()).toISOString();
    await deps.db.forWorkspace(workspaceId).jobs.enqueue({
      name: 'campaign.tick',
      payload: { workspaceId, campaignId },
      runAt,
      idempotencyKey: at ? `campaign.tick:${campaignId}:${runAt}` : `campaign.tick:${deps.newId()}`,
    });
    deps.wakeWorker();
  };

  const eligible = async (store: WorkspaceStore, campaign: Campaign, target: CampaignTarget, at: string) => {
    if (await store.campaigns.doNotCall.contains(target.phone)) {
      await store.campaigns.skip(target.id, 'do_not_call', at);
      return false;
    }
    if (campaign.purpose === 'marketing') {
      const verdict = target.customerId
        ? await mayContact({ store }, { customerId: target.customerId, purpose: 'marketing_call' })
        : { allowed: false as const };
      if (!verdict.allowed) {
        await store.campaigns.skip(target.id, 'no_consent', at);
        return false;
      }
    }
    return true;
  };

  const fillFor = async (store: WorkspaceStore, target: CampaignTarget) => {
    const customer = target.customerId ? await store.customers.get(target.customerId) : null;
    return (script: string) => script.replaceAll('{{customer.name}}', customer?.name ?? '');
  };

  const recordResult = async (store: WorkspaceStore, target: CampaignTarget, result: TargetResult | null) => {
    if (result?.score === undefined || !target.conversationId) return;
    try {
      await deps.commands.rateConversation(store.workspaceId, {
        conversationId: target.conversationId,
        score: result.score,
        comment: null,
      });
    } catch (error) {
      deps.log.warn({ err: error, targetId: target.id }, 'survey score not recorded on the conversation');
    }
  };

  const followUp = async (
    store: WorkspaceStore,
    campaign: Campaign,
    target: CampaignTarget,
    score: number,
  ) => {
    await store.callbacks.create({
      phone: target.phone,
      note: `${campaign.name}: ${score}/5`,
      conversationId: target.conversationId,
      customerId: target.customerId,
      sourceKey: `campaign:${target.id}`,
      createdAt: deps.clock.now().toISOString(),
    });
  };

  const place = (campaign: Campaign, target: CampaignTarget) => {
    const line = deps.line;
    if (!line) return;
    const store = deps.db.forWorkspace(campaign.workspaceId);
    const run = (async () => {
      let outcome: DialOutcome = 'failed';
      let callId: string | null = null;
      let brain: CampaignCallBrain | null = null;
      try {
        brain = createCampaignBrain(campaign, await fillFor(store, target));
        ({ outcome, callId } = await line.dial({
          workspaceId: campaign.workspaceId,
          inboxId: campaign.inboxId,
          to: target.phone,
          customerId: target.customerId,
          brain,
        }));
      } catch (error) {
        deps.log.warn({ err: error, campaignId: campaign.id, targetId: target.id }, 'campaign call failed');
      }
      const now = deps.clock.now();
      const verdict = afterAttempt(campaign, target, outcome, now);
      const result = outcome === 'answered' ? (brain?.result() ?? null) : null;
      await store.campaigns.finishAttempt(target.id, {
        status: verdict.status,
        nextAttemptAt: verdict.nextAttemptAt,
        outcome,
        result,
        callId,
        at: now.toISOString(),
      });
      await recordResult(store, target, result);
      if (result?.score !== undefined && result.score <= LOW_SCORE)
        await followUp(store, campaign, target, result.score);
      if (verdict.nextAttemptAt)
        await poke(campaign.workspaceId, campaign.id, new Date(verdict.nextAttemptAt));
      await poke(campaign.workspaceId, campaign.id);
    })().catch((error: unknown) =>
      deps.log.error({ err: error, campaignId: campaign.id }, 'campaign call not stored'),
    );
    calls.add(run);
    void run.finally(() => calls.delete(run));
  };

  const tickNow = async (workspaceId: string, campaignId: string) => {
    const store = deps.db.forWorkspace(workspaceId);
    const campaign = await store.campaigns.get(campaignId);
    if (!campaign || campaign.status !== 'running' || !deps.line) return;
    if (deps.costs && !(await deps.costs.spendAllowed(workspaceId))) {
      await pauseForBudget(deps, workspaceId, { id: campaignId, kind: 'voice' }, (change) =>
        store.campaigns.setStatus(campaignId, change),
      );
      return;
    }
    const now = deps.clock.now();
    const at = now.toISOString();
    await store.campaigns.releaseStale(campaignId, at);
    const due: CampaignTarget[] = [];
    for (const target of await store.campaigns.dueTargets(campaignId, at, DUE_BATCH))
      if (await eligible(store, campaign, target, at)) due.push(target);
    const [inFlight, placed, nextDue] = await Promise.all([
      store.campaigns.inFlight(campaignId),
      store.campaigns.placedSince(campaignId, new Date(now.getTime() - 60_000).toISOString()),
      store.campaigns.nextDueAt(campaignId, at),
    ]);
    const plan = planDialing(campaign, {
      now,
      inFlight,
      placedLastMinute: placed.map((p) => new Date(p)),
      due,
      nextDueAt: nextDue ? new Date(nextDue) : null,
    });
    const byId = new Map(due.map((t) => [t.id, t]));
    for (const id of plan.dial) {
      const claimed = await store.campaigns.claimForDial(
        id,
        at,
        new Date(now.getTime() + LEASE_MS).toISOString(),
      );
      const target = claimed && byId.get(id);
      if (target && claimed) place(campaign, { ...target, attempts: claimed.attempts });
    }
    if (plan.wakeAt) await poke(workspaceId, campaignId, plan.wakeAt);
    const progress = await store.campaigns.progress(campaignId);
    if (progress.pending === 0 && progress.dialing === 0)
      await store.campaigns.setStatus(campaignId, { from: ['running'], to: 'completed', at });
    // Claims of a dead process come back when their lease ends: look again then.
    else if (progress.dialing > 0 && calls.size === 0)
      await poke(workspaceId, campaignId, new Date(now.getTime() + LEASE_MS));
  };

  return {
    canDial: deps.line !== null,
    poke: (workspaceId, campaignId) => poke(workspaceId, campaignId),
    tick(workspaceId, campaignId) {
      const previous = chains.get(campaignId) ?? Promise.resolve();
      const next = previous.then(() => tickNow(workspaceId, campaignId));
      const settled = next.catch(() => undefined);
      chains.set(campaignId, settled);
      void settled.then(() => {
        if (chains.get(campaignId) === settled) chains.delete(campaignId);
      });
      return next;
    },
    async drain() {
      while (calls.size > 0) await Promise.allSettled([...calls]);
    },
  };
}
