// The owner moves the tier thresholds: the settings change and every customer whose tier they change is
// re-tiered in the same transaction, so routing never reads a tier from the old thresholds.
import type { WorkspaceRepositories } from '../ports.ts';
import { customerTier, type TierSettings } from './tiers.ts';

export async function changeTierSettings(
  tx: Pick<WorkspaceRepositories, 'routing' | 'customerProfiles'>,
  input: { tiers: TierSettings; at: string },
): Promise<TierSettings> {
  const { tiers } = await tx.routing.saveTierSettings(input.tiers, input.at);
  for (const p of await tx.customerProfiles.all()) {
    const tier = customerTier(p, tiers);
    if (tier !== p.tier)
      await tx.customerProfiles.save(p.customerId, { ...p, tier }, p.updatedAt ?? input.at);
  }
  return tiers;
}
