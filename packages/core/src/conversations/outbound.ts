// Which durable side jobs a new outgoing message needs. Written in the message's transaction (outbox),
// so a crash between commit and delivery never loses it.
import type { JobPayloads } from '../jobs.ts';
import type { Conversation, Inbox, Message } from '../model.ts';
import type { NewJob } from '../ports.ts';

export function outboundJobs(
  inbox: Inbox,
  conversation: Conversation,
  message: Message,
  newId: () => string,
): NewJob[] {
  if (message.author === 'customer' || message.metadata?.internal) return [];
  // On a call the bot's replies are spoken by the call itself (and an agent talks): nothing to send.
  if (conversation.channel === 'voice') return [];
  // Provider channels (SMS, email, WeChat): the adapter sends it; a disabled inbox sends nothing.
  if (inbox.adapter) {
    if (!inbox.enabled) return [];
    const payload: JobPayloads['channel.deliver'] = {
      workspaceId: message.workspaceId,
      messageId: message.id,
    };
    return [
      {
        name: 'channel.deliver',
        payload: { ...payload },
        runAt: message.createdAt,
        idempotencyKey: `channel:${message.id}`,
      },
    ];
  }
  // The widget channel is push-only over WebSockets (events); API inboxes get webhooks.
  if (conversation.channel !== 'api' || !inbox.webhookUrl) return [];
  const payload: JobPayloads['webhook.deliver'] = {
    workspaceId: message.workspaceId,
    messageId: message.id,
    deliveryId: newId(),
  };
  return [
    {
      name: 'webhook.deliver',
      payload: { ...payload },
      runAt: message.createdAt,
      idempotencyKey: `webhook:${message.id}`,
    },
  ];
}
