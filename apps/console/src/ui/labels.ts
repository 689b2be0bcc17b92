// Display names shared by the list, the conversation header and the customer panel.
import type { Translate } from '../i18n/catalogue.ts';

/** The customer's name; else the integrator's id for API customers; else 访客 + the id's last four. */
export function customerLabel(
  customer: { id: string; name: string | null; externalId?: string | null },
  t: Translate,
): string {
  const name = customer.name?.trim();
  if (name) return name;
  const externalId = customer.externalId?.trim();
  if (externalId) return externalId;
  return t('inbox.visitor', { id: customer.id.slice(-4).toUpperCase() });
}
