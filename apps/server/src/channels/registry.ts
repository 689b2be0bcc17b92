// The adapters this server knows: the production registry of @zhike/channels, plus any the composition
// root was given (tests bring a fake provider's adapter; nothing registers it in production).
import { type ChannelAdapter, channelAdapters } from '@zhike/channels';

// biome-ignore lint/suspicious/noExplicitAny: each adapter has its own config type, validated on save
export type AnyChannelAdapter = ChannelAdapter<any>;

export interface ChannelRegistry {
  get(id: string): AnyChannelAdapter | null;
  list(): AnyChannelAdapter[];
}

export function createChannelRegistry(extra: readonly AnyChannelAdapter[] = []): ChannelRegistry {
  const byId = new Map<string, AnyChannelAdapter>(Object.entries(channelAdapters));
  for (const adapter of extra) {
    if (byId.has(adapter.id)) throw new Error(`channel adapter ${adapter.id} is registered twice`);
    byId.set(adapter.id, adapter);
  }
  return {
    get: (id) => byId.get(id) ?? null,
    list: () => [...byId.values()].sort((a, b) => a.id.localeCompare(b.id)),
  };
}
