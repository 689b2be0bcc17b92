// A customer tells us their name before (or between) messages, e.g. the widget's setCustomer({ name }):
// find or create the customer behind the identity and store the name on their profile.
import { DomainError } from '../errors.ts';
import type { Customer, IdentityClaim } from '../model.ts';
import type { UseCaseDeps } from '../ports.ts';
import { toNewIdentity } from './attachIdentity.ts';

export interface NameCustomerInput {
  identity: IdentityClaim;
  name: string;
}

export async function nameCustomer(deps: UseCaseDeps, input: NameCustomerInput): Promise<Customer> {
  const name = input.name.trim();
  if (name.length === 0) throw new DomainError('validation_failed', 'name is empty');
  const identity = toNewIdentity(input.identity);
  return deps.store.transaction(async (tx) => {
    const existing = await tx.customers.findByIdentity(identity.kind, identity.value);
    const customer =
      existing ??
      (await tx.customers.create({
        id: deps.newId(),
        name,
        email: null,
        phone: null,
        identity,
        createdAt: deps.clock.now().toISOString(),
      })) ??
      // Created concurrently (e.g. by the visitor's first message): name that one.
      (await tx.customers.findByIdentity(identity.kind, identity.value));
    if (!customer) throw new DomainError('conflict', 'customer could not be created');
    if (customer.name === name) return customer;
    await tx.customers.updateProfile(customer.id, { name });
    return { ...customer, name };
  });
}
