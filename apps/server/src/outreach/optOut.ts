// Unsubscribe by reply: a customer's "T", "TD", "回T退订" on SMS or WeChat withdraws their marketing
// consent for that channel. The listener only looks at customer messages on those channels and enqueues
// one `outreach.opt_out` job per message (with Redis every process hears the event; the key makes it
// one); the job records the withdrawal unless it is withdrawn already. The sender checks consent right
// before each message, so the very next one is not sent.
import {
  type Clock,
  consentPurposeOf,
  consentVerdict,
  type EventBus,
  isUnsubscribeReply,
  type JobPayloads,
  recordConsent,
} from '@zhike/core';
import type { ClaimedJob, Database } from '@zhike/db';

export interface OptOutDeps {
  db: Database;
  clock: Clock;
  newId: () => string;
  wakeWorker: () => void;
}

const REPLY_CHANNELS = new Set(['sms', 'wechat'] as const);

export function listenForOptOuts(deps: OptOutDeps & { bus: EventBus }): () => void {
  return deps.bus.subscribe(async (event) => {
    if (event.name !== 'message.created' || event.author !== 'customer') return;
    if (!REPLY_CHANNELS.has(event.channel as 'sms' | 'wechat')) return;
    const payload: JobPayloads['outreach.opt_out'] = {
      workspaceId: event.workspaceId,
      messageId: event.messageId,
    };
    await deps.db.forWorkspace(event.workspaceId).jobs.enqueue({
      name: 'outreach.opt_out',
      payload: { ...payload },
      runAt: deps.clock.now().toISOString(),
      idempotencyKey: `outreach.opt_out:${event.messageId}`,
    });
    deps.wakeWorker();
  });
}

export function outreachOptOutHandler(deps: OptOutDeps) {
  return async (job: ClaimedJob) => {
    const { workspaceId, messageId } = job.payload as unknown as JobPayloads['outreach.opt_out'];
    const store = deps.db.forWorkspace(workspaceId);
    const message = await store.messages.get(messageId);
    if (message?.author !== 'customer' || !isUnsubscribeReply(message.text)) return;
    const conversation = await store.conversations.get(message.conversationId);
    if (!conversation || !(conversation.channel === 'sms' || conversation.channel === 'wechat')) return;
    const purpose = consentPurposeOf[conversation.channel];
    const history = await store.privacy.consents(conversation.customerId);
    if (consentVerdict(history, purpose).allowed === false && history.some((c) => c.purpose === purpose))
      return;
    await recordConsent(
      { store, clock: deps.clock, newId: deps.newId },
      {
        customerId: conversation.customerId,
        purpose,
        status: 'withdrawn',
        source: `${conversation.channel}_reply`,
        recordedBy: 'customer',
      },
    );
  };
}
