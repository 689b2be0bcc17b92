// WeChat-style passive replies: a provider that holds its HTTP request open for a few seconds lets the
// bot's answer ride in the response. The hook listens for the bot's (or a system) message in the
// conversation, records it as delivered passively BEFORE answering (so the delivery job, which runs after
// the window, skips it), and gives the adapter's passive answer; otherwise the adapter's default answer.
import type { DomainEvent, EventBus, Message, WorkspaceStore } from '@zhike/core';

/** How long the hook waits for the bot; under WeChat's 5 s so the answer still arrives in time. */
export const PASSIVE_WAIT_MS = 4000;
/** The delivery job of a passive-reply inbox runs no earlier than this after the message. */
export const PASSIVE_WINDOW_MS = 5000;

export interface ReplyWatch {
  /** The first bot or system message of the conversation created since the watch began, or null. */
  next(conversationId: string, deadline: number): Promise<Message | null>;
  stop(): void;
}

/** Starts listening before the customer's message is stored, so a fast bot answer is not missed. */
export function watchReplies(bus: EventBus, store: WorkspaceStore, inboxId: string): ReplyWatch {
  const seen: Extract<DomainEvent, { name: 'message.created' }>[] = [];
  const waiters = new Set<() => void>();
  const unsubscribe = bus.subscribe((event) => {
    if (event.name !== 'message.created' || event.workspaceId !== store.workspaceId) return;
    if (event.inboxId !== inboxId || (event.author !== 'bot' && event.author !== 'system')) return;
    seen.push(event);
    for (const wake of waiters) wake();
  });
  return {
    async next(conversationId, deadline) {
      for (;;) {
        const hit = seen.find((e) => e.conversationId === conversationId);
        if (hit) return store.messages.get(hit.messageId);
        const left = deadline - Date.now();
        if (left <= 0) return null;
        await new Promise<void>((resolve) => {
          const wake = () => {
            clearTimeout(timer);
            waiters.delete(wake);
            resolve();
          };
          const timer = setTimeout(wake, left);
          waiters.add(wake);
        });
      }
    },
    stop() {
      unsubscribe();
      for (const wake of waiters) wake();
    },
  };
}
