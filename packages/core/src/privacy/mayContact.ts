// The one check every outbound campaign, survey or marketing message makes before contacting a customer
// (PIPL art. 44; see docs/CONVENTIONS.md): only a granted, not since withdrawn, consent for that purpose.
import type { UseCaseDeps } from '../ports.ts';
import type { ConsentPurpose, ConsentRecord } from './privacy.ts';

export type ContactVerdict =
  | { allowed: true; grantedAt: string; source: string }
  | { allowed: false; reason: 'never_asked' | 'withdrawn' | 'unknown_customer' };

/** The newest answer for the purpose decides; no answer means no. */
export function consentVerdict(history: readonly ConsentRecord[], purpose: ConsentPurpose): ContactVerdict {
  let latest: ConsentRecord | undefined;
  for (const record of history)
    if (record.purpose === purpose && (!latest || record.at >= latest.at)) latest = record;
  if (!latest) return { allowed: false, reason: 'never_asked' };
  return latest.status === 'granted'
    ? { allowed: true, grantedAt: latest.at, source: latest.source }
    : { allowed: false, reason: 'withdrawn' };
}

export async function mayContact(
  deps: Pick<UseCaseDeps, 'store'>,
  input: { customerId: string; purpose: ConsentPurpose },
): Promise<ContactVerdict> {
  const customer = await deps.store.customers.get(input.customerId);
  if (!customer) return { allowed: false, reason: 'unknown_customer' };
  return consentVerdict(await deps.store.privacy.consents(customer.id), input.purpose);
}
