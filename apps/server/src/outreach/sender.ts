// Handler for `outreach.send`: sends one chunk of a running re-engagement campaign through its inbox's
// provider adapter. Each message is decided just before it goes: marketing consent for the channel
// (so an unsubscribe recorded a moment ago stops the very next message), the frequency cap across
// campaigns, an address on the channel. Inside quiet hours the chunk waits for their end; a paused or
// cancelled campaign sends nothing. The recipient id is the provider's idempotency key, and a claim is
// a lease: a chunk whose process died is claimed again once the lease ends. A recipient claimed a second
// time (a send that timed out, a process that died) is looked up with the provider first where it can
// tell (`findSent`), so the customer does not get the offer twice.
import { type HttpClient, PermanentSendFailure } from '@zhike/channels';
import {
  type Clock,
  consentPurposeOf,
  consentVerdict,
  type JobPayloads,
  type OutreachCampaign,
  type OutreachRecipient,
  quietEndsAt,
  recipientKindOf,
  renderOffer,
  sendingCost,
  type WorkspaceStore,
} from '@zhike/core';
import type { ClaimedJob, Database } from '@zhike/db';
import type { Logger } from 'pino';
import { adapterContextFor } from '../channels/adapterContext.ts';
import type { ChannelRegistry } from '../channels/registry.ts';
import { type CostMeter, pauseForBudget } from '../costs/costMeter.ts';
import { PermanentJobFailure } from '../jobs/worker.ts';
import { sendJobKey } from './planner.ts';
import { signUnsubscribe } from './unsubscribeToken.ts';

export interface OutreachSenderDeps {
  db: Database;
  channels: ChannelRegistry;
  http: HttpClient;
  resolveRelay: (hostname: string) => Promise<string>;
  clock: Clock;
  log: Logger;
  secret: string;
  publicUrl: string;
  wakeWorker: () => void;
  /** Meters each message sent; at the month's hard cap the campaign pauses instead of sending. */
  costs?: CostMeter;
}

/** Longer than a chunk takes to send (a provider answers in well under a second). */
const LEASE_MS = 5 * 60_000;
/**
 * Messages of one chunk in flight at once; the worker runs several chunks side by side. More only made
 * the provider's answers slower on a loaded machine, until they timed out and were retried.
 */
const CONCURRENCY = 4;
const DAY_MS = 86_400_000;

type Outcome =
  | { status: 'sent'; providerMessageId: string }
  | { status: 'skipped'; reason: 'no_consent' | 'capped' | 'no_address' }
  | { status: 'failed'; error: string }
  | { status: 'retry'; error: string };

export function outreachSendHandler(deps: OutreachSenderDeps) {
  return async (job: ClaimedJob) => {
    const { workspaceId, campaignId, chunk } = job.payload as unknown as JobPayloads['outreach.send'];
    const store = deps.db.forWorkspace(workspaceId);
    const campaign = await store.outreach.get(campaignId);
    if (!campaign) throw new PermanentJobFailure('campaign no longer exists');
    // Paused: resuming enqueues the open chunks again. Cancelled: the pending rows were skipped.
    if (campaign.status !== 'running') return;
    const now = deps.clock.now();
    const quietEnd = quietEndsAt(now, campaign.quietHours, campaign.timeZone);
    if (quietEnd.getTime() > now.getTime()) {
      const runAt = quietEnd.toISOString();
      await store.jobs.enqueue({
        name: 'outreach.send',
        payload: { workspaceId, campaignId, chunk },
        runAt,
        idempotencyKey: sendJobKey(campaignId, chunk, `:after-quiet:${runAt}`),
      });
      return;
    }
    if (deps.costs && !(await deps.costs.spendAllowed(workspaceId))) {
      await pauseForBudget(deps, workspaceId, { id: campaignId, kind: 'outreach' }, (change) =>
        store.outreach.setStatus(campaignId, change),
      );
      return;
    }
    const inbox = await store.inboxes.get(campaign.inboxId);
    const adapter = inbox?.adapter ? deps.channels.get(inbox.adapter) : null;
    if (!inbox?.enabled || !adapter) throw new PermanentJobFailure('the campaign’s channel cannot send');
    const ctx = await adapterContextFor(store, inbox, {
      clock: deps.clock,
      http: deps.http,
      resolveRelay: deps.resolveRelay,
    });
    const workspace = await store.workspace.get();
    const language = workspace.locale.startsWith('zh') ? 'zh' : 'en';
    const claimed = await store.outreach.recipients.claimChunk(
      campaignId,
      chunk,
      now.toISOString(),
      new Date(now.getTime() + LEASE_MS).toISOString(),
    );

    const decide = async (r: OutreachRecipient): Promise<Outcome> => {
      const purpose = consentPurposeOf[campaign.channel];
      if (!consentVerdict(await store.privacy.consents(r.customerId), purpose).allowed)
        return { status: 'skipped', reason: 'no_consent' };
      const since = new Date(deps.clock.now().getTime() - campaign.capDays * DAY_MS).toISOString();
      if ((await store.outreach.recipients.sentSince(r.customerId, since)) >= campaign.capCount)
        return { status: 'skipped', reason: 'capped' };
      const customer = await store.customers.get(r.customerId);
      const kind = recipientKindOf[campaign.channel];
      const to =
        customer?.identities.filter((i) => i.kind === kind).at(-1)?.value ??
        profileAddress(campaign, customer);
      if (!to || !customer) return { status: 'skipped', reason: 'no_address' };
      const variant = campaign.variants.find((v) => v.key === r.variant);
      if (!variant) return { status: 'failed', error: `variant ${r.variant} is gone` };
      const offer = renderOffer(
        variant,
        { name: customer.name, coupon: r.couponCode, lastProduct: r.lastProduct, shop: workspace.name },
        {
          channel: campaign.channel,
          language,
          unsubscribeUrl:
            campaign.channel === 'email'
              ? `${deps.publicUrl}/unsubscribe?token=${signUnsubscribe(deps.secret, { workspaceId, customerId: customer.id, purpose })}`
              : null,
        },
      );
      if ([...offer.text].length > adapter.capabilities.maxTextLength)
        return { status: 'failed', error: 'the offer is longer than the channel carries' };
      try {
        // Claimed before: the earlier attempt may have reached the provider without our hearing back.
        const taken =
          r.attempts > 1 && r.attemptedAt && adapter.findSent
            ? await adapter.findSent(ctx, { to, idempotencyKey: r.id, since: new Date(r.attemptedAt) })
            : null;
        if (taken && taken.status !== 'failed')
          return { status: 'sent', providerMessageId: taken.providerMessageId };
        const sent = await adapter.send(ctx, {
          to,
          text: offer.text,
          idempotencyKey: r.id,
          automatic: true,
          ...(offer.subject ? { subject: offer.subject } : {}),
        });
        if (sent.status === 'failed') return { status: 'failed', error: 'the provider refused the message' };
        const cost = sendingCost(campaign.channel, offer.text);
        if (cost) await deps.costs?.record(workspaceId, cost.unit, cost.quantity);
        return { status: 'sent', providerMessageId: sent.providerMessageId };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return error instanceof PermanentSendFailure
          ? { status: 'failed', error: message }
          : { status: 'retry', error: message };
      }
    };

    let retries = 0;
    const sendOne = async (r: OutreachRecipient) => {
      let outcome: Outcome;
      try {
        outcome = await decide(r);
      } catch (error) {
        outcome = { status: 'retry', error: error instanceof Error ? error.message : String(error) };
      }
      if (outcome.status === 'retry') retries++;
      await store.outreach.recipients.finish(r.id, {
        status: outcome.status === 'retry' ? 'pending' : outcome.status,
        skipReason: outcome.status === 'skipped' ? outcome.reason : null,
        providerMessageId: outcome.status === 'sent' ? outcome.providerMessageId : null,
        error: outcome.status === 'failed' || outcome.status === 'retry' ? outcome.error : null,
        at: deps.clock.now().toISOString(),
      });
    };
    await inPool(claimed, CONCURRENCY, sendOne);
    // The worker retries the job with its backoff; the retry claims only what is still pending.
    if (retries > 0) throw new Error(`${retries} messages of chunk ${chunk} will be retried`);
    await completeIfDone(store, campaign, deps.clock.now().toISOString());
  };
}

function profileAddress(
  campaign: OutreachCampaign,
  customer: { phone: string | null; email: string | null } | null,
): string | null {
  if (!customer) return null;
  if (campaign.channel === 'sms') return customer.phone;
  if (campaign.channel === 'email') return customer.email;
  return null;
}

async function completeIfDone(store: WorkspaceStore, campaign: OutreachCampaign, at: string) {
  const counts = await store.outreach.recipients.counts(campaign.id);
  if (counts.pending === 0 && counts.sending === 0)
    await store.outreach.setStatus(campaign.id, { from: ['running'], to: 'completed', at });
}

async function inPool<T>(items: readonly T[], size: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(size, items.length) }, async () => {
    while (next < items.length) await run(items[next++] as T);
  });
  await Promise.all(lanes);
}
