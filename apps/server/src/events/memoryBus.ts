// In-process event bus: the default when one server process is all there is.
import type { DomainEvent, EventBus, EventHandler } from '@zhike/core';

export function createMemoryBus(onError: (error: unknown, event: DomainEvent) => void): EventBus & {
  deliver(event: DomainEvent): Promise<void>;
} {
  const handlers = new Set<EventHandler>();
  const deliver = async (event: DomainEvent) => {
    for (const handler of [...handlers]) {
      try {
        await handler(event);
      } catch (error) {
        onError(error, event);
      }
    }
  };
  return {
    deliver,
    async publish(events) {
      for (const event of events) await deliver(event);
    },
    subscribe(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    async close() {
      handlers.clear();
    },
  };
}
