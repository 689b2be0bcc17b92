// The shop tells us what a customer is worth (console, API, CSV import or the orders table): the profile
// is stored with the tier the workspace's thresholds give it, so routing reads one column per message.
import type { WorkspaceRepositories } from '../ports.ts';
import type { StoredCustomerProfile } from './routingStore.ts';
import { type CustomerProfile, customerTier, type TierSettings } from './tiers.ts';

export async function setCustomerProfile(
  store: Pick<WorkspaceRepositories, 'customerProfiles'>,
  input: { customerId: string; profile: CustomerProfile; tiers: TierSettings; at: string },
): Promise<StoredCustomerProfile | null> {
  const profile: CustomerProfile = {
    memberLevel: input.profile.memberLevel?.trim() || null,
    lifetimeSpendFen: Math.max(0, Math.round(input.profile.lifetimeSpendFen)),
    orderCount: Math.max(0, Math.round(input.profile.orderCount)),
    tags: [...new Set(input.profile.tags.map((t) => t.trim()).filter((t) => t !== ''))],
  };
  const tier = customerTier(profile, input.tiers);
  const saved = await store.customerProfiles.save(input.customerId, { ...profile, tier }, input.at);
  return saved ? { ...profile, tier, updatedAt: input.at } : null;
}
