// Handler for `channel.deliver`: sends one outgoing message (bot, agent or system) through its inbox's
// provider adapter to the customer's address on that channel (their newest phone, email or WeChat
// OpenID). A long text goes out in parts of the channel's maximum length, each recorded with the
// provider's id, so a retry resends only the parts not yet sent and status callbacks find them. Throwing
// retries with the worker's backoff; PermanentSendFailure (a bad number) records the failure for good.
//
// Exactly once towards the provider, as far as it can be had: before a part is handed to the provider its
// delivery notes `sendingAt`, and only the provider's answer clears it. A part found with `sendingAt` set
// was handed over by an attempt that never learnt the outcome (the process was killed mid-call, the call
// timed out): the provider may have it. If the adapter can look messages up by our idempotency key
// (`findSent`, e.g. Alibaba Cloud's QuerySendDetails by OutId) we ask before sending again, and a found
// message is recorded instead of resent; adapters without such a query send again (at least once).
import { buffer } from 'node:stream/consumers';
import { type HttpClient, type InboundAttachment, PermanentSendFailure } from '@zhike/channels';
import {
  type Clock,
  type EventBus,
  type Inbox,
  type JobPayloads,
  type Message,
  type MessageDelivery,
  recipientKindOf,
  sendingCost,
  splitText,
  type WorkspaceStore,
} from '@zhike/core';
import type { Database } from '@zhike/db';
import type { Logger } from 'pino';
import { adapterContextFor } from '../channels/adapterContext.ts';
import { publishDelivery } from '../channels/deliveryEvents.ts';
import { PASSIVE_WINDOW_MS } from '../channels/passiveReply.ts';
import type { ChannelRegistry } from '../channels/registry.ts';
import type { CostMeter } from '../costs/costMeter.ts';
import type { Telemetry } from '../observability/telemetry.ts';
import type { AttachmentFiles } from '../privacy/attachmentFiles.ts';
import { LeaseLost, PermanentJobFailure, type RunningJob } from './worker.ts';

export interface ChannelDeliveryDeps {
  db: Database;
  channels: ChannelRegistry;
  http: HttpClient;
  /** The relay guard for adapters with sockets of their own (email's SMTP relay). */
  resolveRelay: (hostname: string) => Promise<string>;
  clock: Clock;
  files: AttachmentFiles;
  /** Carries each delivery's new status to the console. */
  bus: EventBus;
  log: Logger;
  /** Meters what the provider bills (SMS segments, e-mails). */
  costs?: CostMeter;
  /** Counts the provider's failures. */
  telemetry?: Telemetry;
}

/** A provider call that failed without a refusal: it did not answer in time, or something else broke. */
function failureKind(error: unknown): 'timeout' | 'error' {
  // The channel HTTP client's deadline aborts with a TimeoutError as the cause; a stalled socket says so.
  const e = error as { name?: unknown; message?: unknown; cause?: { name?: unknown } } | null;
  const timedOut =
    e?.name === 'TimeoutError' ||
    e?.cause?.name === 'TimeoutError' ||
    (typeof e?.message === 'string' && /timed? ?out/i.test(e.message));
  return timedOut ? 'timeout' : 'error';
}

/** Meta key under which an adapter reports the id it gave a sent message in a threaded channel. */
export const SENT_THREAD_ID_META = 'messageId';

const DONE = new Set(['sent', 'delivered', 'read']);

export function channelDeliveryHandler(deps: ChannelDeliveryDeps) {
  return async (job: RunningJob) => {
    const payload = job.payload as unknown as JobPayloads['channel.deliver'];
    const store = deps.db.forWorkspace(payload.workspaceId);
    const message = await store.messages.get(payload.messageId);
    const conversation = message && (await store.conversations.get(message.conversationId));
    const inbox = conversation && (await store.inboxes.get(conversation.inboxId));
    if (!message || !conversation || !inbox) throw new PermanentJobFailure('message no longer exists');
    if (!inbox.adapter) return;
    const now = () => deps.clock.now().toISOString();
    const earlier = (await store.channels.deliveries.forMessages([message.id])).get(message.id) ?? [];
    // Answered inside the provider's request already (WeChat passive reply).
    if (earlier.some((d) => d.passive)) return;
    const record = async (
      part: number,
      d: Pick<MessageDelivery, 'providerMessageId' | 'status' | 'error' | 'attempts'> & {
        sendingAt?: string | null;
      },
    ) => {
      const at = now();
      const saved = await store.channels.deliveries.record({
        messageId: message.id,
        inboxId: inbox.id,
        part,
        passive: false,
        at,
        ...d,
      });
      await publishDelivery(deps, store, saved, at);
    };
    const fail = async (error: string): Promise<never> => {
      await record(0, {
        providerMessageId: null,
        status: 'failed',
        error,
        attempts: (earlier.find((d) => d.part === 0)?.attempts ?? 0) + 1,
      });
      throw new PermanentJobFailure(error);
    };
    if (!inbox.enabled) return fail('the channel is disabled');
    const adapter = deps.channels.get(inbox.adapter);
    if (!adapter) return fail(`channel adapter ${inbox.adapter} is not available on this server`);

    if (adapter.capabilities.passiveReply) {
      // The hook may still answer this message within the provider's request; look again after the window.
      const after = new Date(message.createdAt).getTime() + PASSIVE_WINDOW_MS;
      if (deps.clock.now().getTime() < after) {
        await store.jobs.enqueue({
          name: 'channel.deliver',
          payload: { ...payload },
          runAt: new Date(after).toISOString(),
          idempotencyKey: `channel:${message.id}:after-passive-window`,
        });
        return;
      }
    }

    const kind = recipientKindOf[inbox.channel];
    const customer = await store.customers.get(conversation.customerId);
    const to = kind ? customer?.identities.filter((i) => i.kind === kind).at(-1)?.value : undefined;
    if (!to) return fail(`the customer has no ${kind ?? inbox.channel} address`);

    const attachments = await attachmentsOf(store, deps.files, message);
    if (attachments.length > 0 && !adapter.capabilities.attachments && !message.text.trim())
      return fail('this channel cannot carry files');
    const parts = splitText(message.text, adapter.capabilities.maxTextLength);
    let threadMeta = (await store.channels.conversationMeta.get(conversation.id)) ?? undefined;
    const ctx = await adapterContextFor(store, inbox, {
      clock: deps.clock,
      http: deps.http,
      resolveRelay: deps.resolveRelay,
    });
    /** A call to the provider; its failures are counted (ours, like a database error, are not). */
    const provider = async <T>(call: () => Promise<T>): Promise<T> => {
      try {
        return await call();
      } catch (error) {
        const refused = error instanceof PermanentSendFailure;
        deps.telemetry?.providerError(adapter.id, refused ? 'refused' : failureKind(error));
        throw error;
      }
    };

    for (const [index, text] of parts.entries()) {
      const before = earlier.find((d) => d.part === index);
      // The provider took this part already (it gave it an id, even if it only queued it): never twice.
      if (before && (DONE.has(before.status) || (before.providerMessageId && before.status !== 'failed')))
        continue;
      const attempts = (before?.attempts ?? 0) + 1;
      const idempotencyKey = parts.length === 1 ? message.id : `${message.id}:${index}`;
      const sendingAt = now();
      try {
        const handedOverAt = before?.sendingAt;
        const taken =
          handedOverAt && adapter.findSent
            ? await provider(
                async () =>
                  (await adapter.findSent?.(ctx, { to, idempotencyKey, since: new Date(handedOverAt) })) ??
                  null,
              )
            : null;
        // Still ours? A process that stalled past its lease must not send what another worker now owns.
        if (!taken && !(await job.keepLease())) throw new LeaseLost(job.id);
        if (!taken)
          await store.channels.deliveries.markSending({
            messageId: message.id,
            inboxId: inbox.id,
            part: index,
            at: sendingAt,
          });
        const sent =
          taken ??
          (await provider(() =>
            adapter.send(ctx, {
              to,
              text,
              ...(index === 0 && adapter.capabilities.attachments && attachments.length > 0
                ? { attachments }
                : {}),
              idempotencyKey,
              ...(threadMeta ? { threadMeta } : {}),
              automatic: message.author !== 'agent',
            }),
          ));
        await record(index, {
          providerMessageId: sent.providerMessageId,
          status: sent.status === 'failed' ? 'failed' : sent.status,
          error: null,
          attempts,
        });
        if (sent.status === 'failed') deps.telemetry?.providerError(adapter.id, 'refused');
        // A part the provider took is billed, also one found sent by an attempt that died before this line.
        const cost = sent.status === 'failed' ? null : sendingCost(inbox.channel, text);
        if (cost) await deps.costs?.record(payload.workspaceId, cost.unit, cost.quantity);
        const sentId = sent.meta?.[SENT_THREAD_ID_META];
        if (sentId) await store.channels.threads.remember(inbox.id, [sentId], conversation.id, now());
        if (sent.meta && Object.keys(sent.meta).length > 0) {
          // The next reply continues from this one (email: In-Reply-To our last message, References grow).
          threadMeta = { ...(threadMeta ?? {}), ...sent.meta };
          await store.channels.conversationMeta.set(conversation.id, threadMeta);
        }
      } catch (error) {
        // Nothing was sent, and the record belongs to the worker that holds the job now.
        if (error instanceof LeaseLost) throw error;
        const reason = error instanceof Error ? error.message : String(error);
        const refused = error instanceof PermanentSendFailure;
        const permanent = refused || job.attempts >= job.maxAttempts;
        // Until it is given up, the console shows the part as queued with the reason it is waiting. A
        // failure other than the provider's refusal (a timeout, an unreadable answer) leaves the doubt
        // on record: the provider may have taken the part, so the next attempt asks first.
        await record(index, {
          providerMessageId: before?.providerMessageId ?? null,
          status: permanent ? 'failed' : 'queued',
          error: reason,
          attempts,
          sendingAt: refused ? null : (before?.sendingAt ?? sendingAt),
        });
        if (permanent) throw new PermanentJobFailure(reason);
        throw error;
      }
    }
  };
}

async function attachmentsOf(
  store: WorkspaceStore,
  files: AttachmentFiles,
  message: Message,
): Promise<InboundAttachment[]> {
  const out: InboundAttachment[] = [];
  for (const a of message.attachments) {
    if (!a.id) continue;
    const row = await store.attachments.get(a.id);
    if (!row) continue; // removed by retention or erasure: the text still goes
    out.push({
      name: a.name,
      mimeType: a.mimeType,
      content: await buffer(files.open(store.workspaceId, a.id, row.fileKey)),
    });
  }
  return out;
}
