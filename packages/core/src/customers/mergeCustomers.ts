// Two customer records turn out to be one person: everything of the absorbed one (identities,
// conversations, tickets, call-backs, consents, files, bot memory) moves to the survivor, re-sealed with
// the survivor's key, and the absorbed id resolves to the survivor from then on. Automatic when a verified
// identity proves it; otherwise an agent confirms it (optionally from a suggestion).
import { DomainError, notFound } from '../errors.ts';
import type { DomainEvent } from '../events.ts';
import type { CustomerMerge } from '../model.ts';
import type { UseCaseDeps, WorkspaceRepositories } from '../ports.ts';
import type { StoredCustomerProfile } from '../routing/routingStore.ts';
import { setCustomerProfile } from '../routing/setCustomerProfile.ts';
import type { CustomerProfile } from '../routing/tiers.ts';

export interface MergeCustomersInput {
  survivorId: string;
  absorbedId: string;
  reason: CustomerMerge['reason'];
  suggestionId: string | null;
  /** A user id, or 'system'. */
  mergedBy: string;
}

export interface MergeCustomersOutput {
  merge: CustomerMerge;
  events: DomainEvent[];
}

/**
 * What the shop told us about two records of one person, as one: spend and orders were counted per
 * record, so they add up; the survivor's member level stands unless it had none; tags are pooled. The
 * tier follows from the result (the workspace's thresholds), as for any profile change.
 */
export function combinedProfile(
  survivor: StoredCustomerProfile,
  absorbed: StoredCustomerProfile,
): CustomerProfile {
  return {
    memberLevel: survivor.memberLevel ?? absorbed.memberLevel,
    lifetimeSpendFen: survivor.lifetimeSpendFen + absorbed.lifetimeSpendFen,
    orderCount: survivor.orderCount + absorbed.orderCount,
    tags: [...new Set([...survivor.tags, ...absorbed.tags])],
  };
}

export async function mergeCustomersIn(
  deps: UseCaseDeps,
  tx: WorkspaceRepositories,
  input: MergeCustomersInput,
): Promise<MergeCustomersOutput> {
  // Old links name customers that may have been merged since: act on who they are now.
  const survivor = await tx.customers.get(input.survivorId);
  if (!survivor) throw notFound('customer');
  const absorbed = await tx.customers.get(input.absorbedId);
  if (!absorbed) throw notFound('customer');
  if (survivor.id === absorbed.id) throw new DomainError('conflict', 'these are already one customer');
  // Always in the same order, so two merges of the same pair cannot wait on each other.
  for (const id of [survivor.id, absorbed.id].sort()) await tx.customers.lock(id);
  const now = deps.clock.now().toISOString();
  const [survivorProfile, absorbedProfile] = await Promise.all([
    tx.customerProfiles.get(survivor.id),
    tx.customerProfiles.get(absorbed.id),
  ]);
  const merge = await tx.customerMerges.merge({
    id: deps.newId(),
    survivorId: survivor.id,
    absorbedId: absorbed.id,
    reason: input.reason,
    suggestionId: input.suggestionId,
    mergedBy: input.mergedBy,
    createdAt: now,
  });
  if (
    survivorProfile &&
    absorbedProfile &&
    (absorbedProfile.updatedAt !== null || survivorProfile.updatedAt !== null)
  ) {
    const { tiers } = await tx.routing.settings();
    await setCustomerProfile(tx, {
      customerId: survivor.id,
      profile: combinedProfile(survivorProfile, absorbedProfile),
      tiers,
      at: now,
    });
  }
  return {
    merge,
    events: [
      {
        name: 'customer.merged',
        workspaceId: deps.store.workspaceId,
        occurredAt: now,
        mergeId: merge.id,
        survivorId: merge.survivorId,
        absorbedId: merge.absorbedId,
        reason: merge.reason,
        mergedBy: merge.mergedBy,
      },
    ],
  };
}

export async function mergeCustomers(
  deps: UseCaseDeps,
  input: MergeCustomersInput,
): Promise<MergeCustomersOutput> {
  if (input.suggestionId !== null) {
    const suggestion = await deps.store.customerMerges.getSuggestion(input.suggestionId);
    if (!suggestion) throw notFound('merge suggestion');
  }
  const result = await deps.store.transaction((tx) => mergeCustomersIn(deps, tx, input));
  // Everything of theirs is sealed with the survivor's key now; their own key only guards nothing.
  await deps.store.privacy.shredCustomerKeys(result.merge.absorbedId);
  return result;
}
