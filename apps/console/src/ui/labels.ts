// Display names shared by the list, the conversation header and the customer panel.
import type { Translate } from '../i18n/catalogue.ts';

/**
 * The customer's name; else the integrator's id for API customers; else their (masked) phone, which is
 * how callers and SMS senders are known; else 访客 + the id's last four.
 */
export function customerLabel(
  customer: { id: string; name: string | null; externalId?: string | null; phone?: string | null },
  t: Translate,
): string {
  const name = customer.name?.trim();
  if (name) return name;
  const externalId = customer.externalId?.trim();
  if (externalId) return externalId;
  const phone = customer.phone?.trim();
  if (phone) return phone;
  return t('inbox.visitor', { id: customer.id.slice(-4).toUpperCase() });
}
