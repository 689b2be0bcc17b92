// Redis pub/sub event bus: every process (including the publisher) receives every event through Redis,
// so WebSocket clients connected to any process see changes made by any other.
import type { DomainEvent, EventBus } from '@zhike/core';
import { createMemoryBus } from './memoryBus.ts';

export async function createRedisBus(options: {
  url: string;
  channel: string;
  onError: (error: unknown, event?: DomainEvent) => void;
}): Promise<EventBus> {
  const local = createMemoryBus(options.onError);
  const redisOptions = { lazyConnect: true, maxRetriesPerRequest: 3, enableOfflineQueue: true };
  const { Redis } = await import('ioredis'); // only processes configured for Redis load it
  const publisher = new Redis(options.url, redisOptions);
  const subscriber = new Redis(options.url, redisOptions);
  publisher.on('error', (e) => options.onError(e));
  subscriber.on('error', (e) => options.onError(e));
  try {
    await Promise.all([publisher.connect(), subscriber.connect()]);
    await subscriber.subscribe(options.channel);
  } catch (error) {
    publisher.disconnect();
    subscriber.disconnect();
    const where = new URL(options.url).host;
    throw new Error(`REDIS_URL: cannot reach Redis at ${where} (${(error as Error).message})`);
  }
  subscriber.on('message', (channel, raw) => {
    if (channel !== options.channel) return;
    let event: DomainEvent;
    try {
      event = JSON.parse(raw) as DomainEvent;
    } catch (error) {
      options.onError(error);
      return;
    }
    void local.deliver(event);
  });
  return {
    async publish(events) {
      for (const event of events) await publisher.publish(options.channel, JSON.stringify(event));
    },
    subscribe: (handler) => local.subscribe(handler),
    async close() {
      await local.close();
      subscriber.disconnect();
      await publisher.quit().catch(() => publisher.disconnect());
    },
  };
}
