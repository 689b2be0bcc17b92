// Tells the console (through the event bus, across processes) that an outgoing message's delivery moved:
// a send went out or is waiting for a retry, or the provider reported it delivered, read or failed.
import type { EventBus, MessageDelivery, WorkspaceStore } from '@zhike/core';
import type { Logger } from 'pino';

export async function publishDelivery(
  deps: { bus: EventBus; log: Logger },
  store: WorkspaceStore,
  delivery: MessageDelivery,
  at: string,
): Promise<void> {
  const message = await store.messages.get(delivery.messageId);
  if (!message) return;
  try {
    await deps.bus.publish([
      {
        name: 'message.delivery_updated',
        workspaceId: store.workspaceId,
        occurredAt: at,
        conversationId: message.conversationId,
        messageId: message.id,
        inboxId: delivery.inboxId,
        status: delivery.status,
      },
    ]);
  } catch (err) {
    // The status is stored; a lost live update only means the console shows it on its next load.
    deps.log.warn({ err }, 'delivery event publish failed');
  }
}
