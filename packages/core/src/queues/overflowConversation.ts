// Nobody can take a waiting conversation (no agent serving its queue is available, or nobody picked up
// within the queue's overflow delay): the queue's overflow policy applies. `bot`: the bot takes the
// conversation back and says so. `callback`: a call-back task is filed with the customer's phone and the
// customer is told; without a known phone the bot takes over instead (it can take one). `wait`: nothing.

import { postOutgoingMessage } from '../conversations/postOutgoingMessage.ts';
import type { DomainEvent } from '../events.ts';
import type { Locale } from '../model.ts';
import type { UseCaseDeps } from '../ports.ts';
import { resolveQueue } from './dispatchQueue.ts';
import { dispatchJob } from './pickUp.ts';
import { isAvailable, servesQueue } from './strategies.ts';

const texts: Record<
  Locale,
  { bot: string; callback: (n: string) => string; callbackNote: (q: string) => string }
> = {
  'zh-CN': {
    bot: '抱歉，人工客服暂时都在忙，我先继续为您服务。需要回电的话，请留下您的手机号。',
    callback: (n) => `抱歉，人工客服暂时都在忙，已为您登记回电（编号 ${n}），我们会尽快给您回电。`,
    callbackNote: (q) => `[排队溢出] ${q} 无人接待，请回电`,
  },
  'en-US': {
    bot: "Sorry, our team is busy right now, so I'll keep helping you. If you'd like a call back, leave your phone number.",
    callback: (n) =>
      `Sorry, our team is busy right now. We've registered a call back for you (no. ${n}) and will call you soon.`,
    callbackNote: (q) => `[queue overflow] nobody free in ${q}: please call back`,
  },
};

export interface OverflowInput {
  conversationId: string;
  /** The wait the job was scheduled for: a later wait of the same conversation is not touched. */
  waitingSince: string;
  reason: 'due' | 'unstaffed';
}

export async function overflowConversation(
  deps: UseCaseDeps,
  input: OverflowInput,
): Promise<{ applied: 'bot' | 'callback' | null; events: DomainEvent[] }> {
  const none = { applied: null, events: [] };
  return deps.store.transaction(async (tx) => {
    const now = deps.clock.now();
    const at = now.toISOString();
    await tx.queues.lockDispatch(at);
    const conversation = await tx.conversations.get(input.conversationId);
    if (
      !conversation ||
      conversation.assigneeId !== null ||
      conversation.status === 'resolved' ||
      conversation.waitingSince !== input.waitingSince
    )
      return none;
    const queue = resolveQueue(await tx.queues.list(), conversation.queueId, deps.store.workspaceId);
    if (queue.overflowPolicy === 'wait') return none;
    if (input.reason === 'unstaffed') {
      // Someone serving the queue came online since the job was scheduled: the dispatcher offers it.
      const settings = await tx.queues.settings();
      const agents = await tx.agents.list();
      if (agents.some((a) => isAvailable(a, now, settings.autoAwayMinutes) && servesQueue(a, queue)))
        return none;
    }
    const inbox = await tx.inboxes.get(conversation.inboxId);
    if (!inbox) return none;
    const workspace = await tx.workspace.get();
    const events: DomainEvent[] = [];
    const offer = await tx.offers.pendingFor(conversation.id);
    if (offer && (await tx.offers.settle(offer.id, 'withdrawn', at)))
      events.push({
        name: 'conversation.offer_withdrawn',
        workspaceId: conversation.workspaceId,
        occurredAt: at,
        conversationId: conversation.id,
        offerId: offer.id,
        userId: offer.userId,
        reason: 'expired',
      });
    const customer = await tx.customers.get(conversation.customerId);
    const text = texts[workspace.locale];
    let applied: 'bot' | 'callback' = 'bot';
    if (queue.overflowPolicy === 'callback' && customer?.phone) {
      const task = await tx.callbacks.create({
        phone: customer.phone,
        note: text.callbackNote(queue.name),
        conversationId: conversation.id,
        customerId: conversation.customerId,
        sourceKey: `overflow:${conversation.id}:${input.waitingSince}`,
        createdAt: at,
      });
      applied = 'callback';
      await tx.conversations.update(conversation.id, { waitingSince: null, updatedAt: at });
      events.push(
        (
          await postOutgoingMessage(deps, tx, conversation, inbox, {
            author: 'system',
            authorUserId: null,
            text: text.callback(task.number),
          })
        ).event,
      );
    } else {
      await tx.conversations.update(conversation.id, {
        handedOff: false,
        botActive: true,
        waitingSince: null,
        updatedAt: at,
      });
      events.push(
        (
          await postOutgoingMessage(deps, tx, conversation, inbox, {
            author: 'bot',
            authorUserId: null,
            text: text.bot,
          })
        ).event,
      );
    }
    await tx.queueWaits.end(conversation.id, applied === 'bot' ? 'overflow_bot' : 'overflow_callback', at);
    // The others in line move up.
    await tx.jobs.enqueue(dispatchJob(deps.store.workspaceId, `overflow:${conversation.id}:${at}`, at));
    events.push({
      name: 'conversation.overflowed',
      workspaceId: conversation.workspaceId,
      occurredAt: at,
      conversationId: conversation.id,
      customerId: conversation.customerId,
      queueId: queue.id || null,
      policy: applied,
    });
    return { applied, events };
  });
}
