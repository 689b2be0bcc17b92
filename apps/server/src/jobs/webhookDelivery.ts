// Handler for `webhook.deliver`: POSTs an outbound message to its API inbox's webhook, signed with
// HMAC-SHA256 over the raw body. Any non-2xx answer or network error is retried with backoff. Delivery
// goes through the SSRF guard like every outbound request: a webhook URL pointing at the server's own
// network (loopback, private, cloud metadata) is refused unless the operator allowed that host.
import { WEBHOOK_DELIVERY_HEADER, WEBHOOK_SIGNATURE_HEADER, type WebhookPayload } from '@zhike/contracts';
import type { JobPayloads } from '@zhike/core';
import type { ClaimedJob, Database } from '@zhike/db';
import { safeFetch, UnsafeUrlError } from '@zhike/security';
import { hmacHex } from '../auth/secrets.ts';
import { PermanentJobFailure } from './worker.ts';

export interface WebhookDeliveryDeps {
  db: Database;
  /** Hosts exempt from the address check (ZHIKE_WEBHOOK_ALLOW_HOSTS). */
  allowHosts: readonly string[];
  timeoutMs?: number;
}

/** A receiver's answer is only a status; anything bigger than this is not read. */
const MAX_RESPONSE_BYTES = 64 * 1024;

export function webhookDeliveryHandler(deps: WebhookDeliveryDeps) {
  return async (job: ClaimedJob) => {
    const payload = job.payload as unknown as JobPayloads['webhook.deliver'];
    const store = deps.db.forWorkspace(payload.workspaceId);
    const message = await store.messages.get(payload.messageId);
    const conversation = message && (await store.conversations.get(message.conversationId));
    const inbox = conversation && (await store.inboxes.get(conversation.inboxId));
    if (!message || !conversation || !inbox) throw new PermanentJobFailure('message no longer exists');
    if (!inbox.webhookUrl) return; // the integrator removed the webhook: nothing to deliver to
    const customer = await store.customers.get(conversation.customerId);
    const author = message.authorUserId ? await store.users.get(message.authorUserId) : null;
    const body: WebhookPayload = {
      event: 'message.created',
      deliveryId: payload.deliveryId,
      occurredAt: message.createdAt,
      workspaceId: payload.workspaceId,
      inboxId: inbox.id,
      conversationId: conversation.id,
      customer: {
        id: conversation.customerId,
        externalId: customer?.identities.find((i) => i.kind === 'external')?.value ?? null,
      },
      message: {
        id: message.id,
        author: message.author,
        authorName: author?.name ?? null,
        text: message.text,
        createdAt: message.createdAt,
      },
    };
    const raw = JSON.stringify(body);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'Zhike-Webhook/1',
      [WEBHOOK_DELIVERY_HEADER]: payload.deliveryId,
    };
    if (inbox.webhookSecret)
      headers[WEBHOOK_SIGNATURE_HEADER] = `sha256=${hmacHex(inbox.webhookSecret, raw)}`;
    let response: Response;
    try {
      response = await safeFetch(inbox.webhookUrl, {
        method: 'POST',
        headers,
        body: raw,
        allowHosts: deps.allowHosts,
        // A redirect would resend the signed body somewhere the integrator never configured.
        maxRedirects: 0,
        maxResponseBytes: MAX_RESPONSE_BYTES,
        timeoutMs: deps.timeoutMs ?? 10_000,
        signal: AbortSignal.timeout(deps.timeoutMs ?? 10_000),
      });
    } catch (error) {
      // Only an unresolvable name may heal (DNS not yet set up); a blocked address stays blocked.
      if (error instanceof UnsafeUrlError && !/could not resolve|has no addresses/.test(error.message))
        throw new PermanentJobFailure(`webhook URL refused: ${error.message}`);
      throw error;
    }
    await response.body?.cancel();
    if (!response.ok) throw new Error(`webhook answered ${response.status}`);
  };
}
