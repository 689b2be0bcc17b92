// Display names shared by the list, the conversation header and the customer panel.
import type { Translate } from '../i18n/catalogue.ts';

export function customerLabel(customer: { id: string; name: string | null }, t: Translate): string {
  const name = customer.name?.trim();
  return name ? name : t('inbox.visitor', { id: customer.id.slice(-4).toUpperCase() });
}
