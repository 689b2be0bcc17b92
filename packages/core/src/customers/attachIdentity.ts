// A customer is recognised by one more identity (a phone the SMS came from, a signed email, a WeChat
// OpenID). When that identity already belongs to someone else, both proven means one person: merge them;
// anything less is only a suggestion an agent confirms or dismisses.
import type { DomainEvent } from '../events.ts';
import type { IdentityClaim } from '../model.ts';
import type { NewIdentity, UseCaseDeps, WorkspaceRepositories } from '../ports.ts';
import { mergeCustomersIn } from './mergeCustomers.ts';
import { normaliseIdentity } from './normaliseIdentity.ts';

export interface AttachIdentityInput {
  customerId: string;
  identity: IdentityClaim | NewIdentity;
  /** Recorded as the identity's source when the claim names none (a channel type, 'profile', 'agent'). */
  defaultSource?: string;
}

export interface AttachIdentityOutput {
  /** The customer now holding the identity: the input customer, or the one it was merged into. */
  customerId: string;
  outcome: 'attached' | 'already_held' | 'merged' | 'suggested';
  events: DomainEvent[];
}

/** The claim in the form it is stored and matched in. Throws validation_failed for an impossible value. */
export const toNewIdentity = (claim: IdentityClaim | NewIdentity, defaultSource?: string): NewIdentity => ({
  kind: claim.kind,
  value: normaliseIdentity(claim.kind, claim.value),
  verified: claim.verified === true,
  source: claim.source ?? defaultSource ?? null,
});

/** Inside the caller's transaction (receiveCustomerMessage attaches while it stores a message). */
export async function attachIdentityIn(
  deps: UseCaseDeps,
  tx: WorkspaceRepositories,
  input: AttachIdentityInput,
): Promise<AttachIdentityOutput> {
  const identity = toNewIdentity(input.identity, input.defaultSource);
  const now = deps.clock.now().toISOString();
  const holder = await tx.customers.addIdentity(input.customerId, identity, now);
  if (holder.customerId === input.customerId) {
    return { customerId: input.customerId, outcome: 'attached', events: [] };
  }
  if (identity.verified && holder.verified) {
    // The holder proved the identity first, so it survives and the newcomer's history joins it.
    const merged = await mergeCustomersIn(deps, tx, {
      survivorId: holder.customerId,
      absorbedId: input.customerId,
      reason: 'verified_identity',
      suggestionId: null,
      mergedBy: 'system',
    });
    return { customerId: merged.merge.survivorId, outcome: 'merged', events: merged.events };
  }
  const { suggestion, created } = await tx.customerMerges.suggest({
    id: deps.newId(),
    customerId: input.customerId,
    candidateId: holder.customerId,
    identityKind: identity.kind,
    createdAt: now,
  });
  const events: DomainEvent[] = created
    ? [
        {
          name: 'customer.merge_suggested',
          workspaceId: deps.store.workspaceId,
          occurredAt: now,
          suggestionId: suggestion.id,
          customerId: suggestion.customerId,
          candidateId: suggestion.candidateId,
        },
      ]
    : [];
  return { customerId: input.customerId, outcome: created ? 'suggested' : 'already_held', events };
}

export async function attachIdentity(
  deps: UseCaseDeps,
  input: AttachIdentityInput,
): Promise<AttachIdentityOutput> {
  return deps.store.transaction(async (tx) => {
    await tx.customers.lock(input.customerId);
    return attachIdentityIn(deps, tx, input);
  });
}
