// A customer grants or withdraws marketing consent (told to an agent, ticked in the widget, replied "TD"):
// appended to the history, never overwritten.
import { DomainError } from '../errors.ts';
import type { UseCaseDeps } from '../ports.ts';
import type { ConsentPurpose, ConsentRecord, ConsentStatus } from './privacy.ts';

export interface RecordConsentInput {
  customerId: string;
  purpose: ConsentPurpose;
  status: ConsentStatus;
  source: string;
  recordedBy: string;
}

export async function recordConsent(deps: UseCaseDeps, input: RecordConsentInput): Promise<ConsentRecord> {
  const customer = await deps.store.customers.get(input.customerId);
  if (!customer) throw new DomainError('not_found', 'customer not found');
  const record: ConsentRecord = {
    id: deps.newId(),
    customerId: customer.id,
    purpose: input.purpose,
    status: input.status,
    source: input.source,
    recordedBy: input.recordedBy,
    at: deps.clock.now().toISOString(),
  };
  await deps.store.privacy.recordConsent(record);
  return record;
}
