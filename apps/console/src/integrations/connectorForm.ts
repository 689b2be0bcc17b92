// Between the connector as the API shows it and the form the admin edits: empty fields become null,
// and a saved secret header's value stays out of the form (sent back as null, which keeps it).
import type { OrderLookupConnector, OrderLookupConnectorBody, OrderLookupMapping } from '@zhike/contracts';

export const MAPPING_KEYS = [
  'number',
  'status',
  'carrier',
  'trackingNumber',
  'phone',
  'items',
  'total',
] as const satisfies readonly (keyof OrderLookupMapping)[];

export interface HeaderRow {
  name: string;
  secret: boolean;
  value: string;
  /** A secret whose value the server already holds. */
  set: boolean;
}

export interface ConnectorFormValues {
  enabled: boolean;
  method: 'GET' | 'POST';
  urlTemplate: string;
  headers: HeaderRow[];
  bodyTemplate: string;
  mapping: Record<(typeof MAPPING_KEYS)[number], string>;
  notFoundPath: string;
  timeoutMs: number;
  retries: number;
  allowedHosts: string[];
}

export const emptyConnectorForm = (): ConnectorFormValues => ({
  enabled: false,
  method: 'GET',
  urlTemplate: 'https://',
  headers: [],
  bodyTemplate: '',
  mapping: {
    number: '$.data.order_no',
    status: '$.data.status',
    carrier: '$.data.carrier',
    trackingNumber: '$.data.tracking_number',
    phone: '$.data.phone',
    items: '$.data.items[*].name',
    total: '$.data.total',
  },
  notFoundPath: '',
  timeoutMs: 3000,
  retries: 2,
  allowedHosts: [],
});

export function formFromConnector(c: OrderLookupConnector): ConnectorFormValues {
  return {
    enabled: c.enabled,
    method: c.method,
    urlTemplate: c.urlTemplate,
    headers: c.headers.map((h) => ({ name: h.name, secret: h.secret, value: h.value ?? '', set: h.set })),
    bodyTemplate: c.bodyTemplate ?? '',
    mapping: Object.fromEntries(
      MAPPING_KEYS.map((k) => [k, c.mapping[k] ?? '']),
    ) as ConnectorFormValues['mapping'],
    notFoundPath: c.notFoundPath ?? '',
    timeoutMs: c.timeoutMs,
    retries: c.retries,
    allowedHosts: c.allowedHosts,
  };
}

const orNull = (text: string | undefined) => {
  const trimmed = (text ?? '').trim();
  return trimmed === '' ? null : trimmed;
};

export function bodyFromForm(v: ConnectorFormValues): OrderLookupConnectorBody {
  return {
    enabled: v.enabled,
    method: v.method,
    urlTemplate: v.urlTemplate.trim(),
    headers: (v.headers ?? [])
      .filter((h) => h.name.trim() !== '')
      .map((h) => ({
        name: h.name.trim(),
        secret: h.secret,
        // An untouched saved secret goes back as null: the server keeps what it has.
        value: h.secret && h.set && h.value === '' ? null : h.value,
      })),
    bodyTemplate: v.method === 'POST' ? orNull(v.bodyTemplate) : null,
    mapping: {
      number: orNull(v.mapping.number),
      status: (v.mapping.status ?? '').trim(),
      carrier: orNull(v.mapping.carrier),
      trackingNumber: orNull(v.mapping.trackingNumber),
      phone: orNull(v.mapping.phone),
      items: orNull(v.mapping.items),
      total: orNull(v.mapping.total),
    },
    notFoundPath: orNull(v.notFoundPath),
    timeoutMs: v.timeoutMs,
    retries: v.retries,
    allowedHosts: v.allowedHosts.map((h) => h.trim().toLowerCase()).filter(Boolean),
  };
}
