// A channel tells us who its visitor is before they write (the shop's signed widget identity): find or
// create the customer behind the channel identity, attach what the shop vouched for (merging with the
// customer who proved the same phone elsewhere) or what it merely passed on (suggestions only), and keep
// the name on the profile.
import { DomainError } from '../errors.ts';
import type { DomainEvent } from '../events.ts';
import type { Customer, IdentityClaim } from '../model.ts';
import type { UseCaseDeps } from '../ports.ts';
import { attachIdentityIn, toNewIdentity } from './attachIdentity.ts';

export interface IdentifyCustomerInput {
  /** The channel's own handle for them (the widget's visitor id). */
  identity: IdentityClaim;
  claims: IdentityClaim[];
  name?: string;
  /** The identities' source when a claim names none. */
  source: string;
}

export interface IdentifyCustomerOutput {
  customer: Customer;
  events: DomainEvent[];
  /** Customers merged into this one; their keys can go once the transaction is committed. */
  absorbedIds: string[];
}

export async function identifyCustomer(
  deps: UseCaseDeps,
  input: IdentifyCustomerInput,
): Promise<IdentifyCustomerOutput> {
  const primary = toNewIdentity(input.identity, input.source);
  // Normalised before the transaction: a value that is not a phone is refused before anything is stored.
  const claims = input.claims.map((c) => toNewIdentity(c, input.source));
  const name = input.name?.trim() || null;
  const now = deps.clock.now().toISOString();
  const result = await deps.store.transaction(async (tx) => {
    const found =
      (await tx.customers.findByIdentity(primary.kind, primary.value)) ??
      (await tx.customers.create({
        id: deps.newId(),
        name,
        email: null,
        phone: null,
        identity: primary,
        createdAt: now,
      })) ??
      // Created concurrently (the visitor's first message): identify that one.
      (await tx.customers.findByIdentity(primary.kind, primary.value));
    if (!found) throw new DomainError('conflict', 'customer could not be created');
    await tx.customers.lock(found.id);
    const events: DomainEvent[] = [];
    const absorbedIds: string[] = [];
    let customerId = found.id;
    for (const claim of claims) {
      const attached = await attachIdentityIn(deps, tx, { customerId, identity: claim });
      if (attached.outcome === 'merged') absorbedIds.push(customerId);
      customerId = attached.customerId;
      events.push(...attached.events);
    }
    if (name !== null) await tx.customers.updateProfile(customerId, { name });
    const customer = await tx.customers.get(customerId);
    if (!customer) throw new DomainError('conflict', 'customer vanished');
    return { customer, events, absorbedIds };
  });
  for (const id of result.absorbedIds) await deps.store.privacy.shredCustomerKeys(id);
  return result;
}
