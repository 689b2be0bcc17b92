// The order-lookup connector: how a shop's own order system is asked about an order (request template)
// and how its answer becomes the bot's order (JSON-path mapping). Pure: the HTTP call lives in the server.
import { compileJsonPath, JsonPathError } from './jsonPath.ts';

export type ConnectorMethod = 'GET' | 'POST';

export interface ConnectorHeader {
  name: string;
  /** Secret values are sealed at rest and never leave the server after saving. */
  secret: boolean;
  value: string;
}

/** JSON paths into the merchant's answer; only status is required. */
export interface OrderLookupMapping {
  number: string | null;
  status: string;
  carrier: string | null;
  trackingNumber: string | null;
  /** The whole phone, or only its last 4 digits: either is enough for the customer check. */
  phone: string | null;
  /** Names (strings) or objects with name/title and quantity. */
  items: string | null;
  total: string | null;
}

export const MAPPING_FIELDS = [
  'number',
  'status',
  'carrier',
  'trackingNumber',
  'phone',
  'items',
  'total',
] as const satisfies readonly (keyof OrderLookupMapping)[];

export interface OrderLookupConnectorSettings {
  enabled: boolean;
  method: ConnectorMethod;
  /** `{{order_number}}` and `{{phone}}` are filled in URL-encoded. */
  urlTemplate: string;
  headers: ConnectorHeader[];
  /** POST only; placeholders are filled in JSON-escaped. */
  bodyTemplate: string | null;
  mapping: OrderLookupMapping;
  /** A path whose value is empty, null or false means "no such order" (besides HTTP 404). */
  notFoundPath: string | null;
  timeoutMs: number;
  retries: number;
  /** Exact host names admitted even on loopback/private addresses (the merchant's LAN server). */
  allowedHosts: string[];
}

export interface OrderLookupConnector extends OrderLookupConnectorSettings {
  id: string;
  version: number;
  updatedAt: string;
}

export const CONNECTOR_LIMITS = {
  defaultTimeoutMs: 3000,
  maxTimeoutMs: 10_000,
  minTimeoutMs: 100,
  defaultRetries: 2,
  maxRetries: 5,
} as const;

/** The order as a connector reports it (the engine's view: the phone reduced to its last 4 digits). */
export interface MappedOrder {
  number: string;
  status: string;
  carrier: string | null;
  trackingNumber: string | null;
  phoneLast4: string | null;
  items: { name: string; quantity?: number }[];
  total: string | null;
}

export type MappingResult = { found: true; order: MappedOrder } | { found: false };

export class OrderMappingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OrderMappingError';
  }
}

const PLACEHOLDER = /\{\{\s*(order_number|phone)\s*\}\}/g;

export interface LookupValues {
  orderNumber: string;
  /** The customer's phone when known; empty otherwise. */
  phone: string;
}

export const usesPhone = (s: Pick<OrderLookupConnectorSettings, 'urlTemplate' | 'bodyTemplate'>): boolean =>
  /\{\{\s*phone\s*\}\}/.test(`${s.urlTemplate}${s.bodyTemplate ?? ''}`);

const placeholderValue = (name: string, values: LookupValues) =>
  name === 'phone' ? values.phone : values.orderNumber;

/** URL with placeholders URL-encoded, so an order "number" cannot add path segments or query keys. */
export const fillUrl = (template: string, values: LookupValues): string =>
  template.replace(PLACEHOLDER, (_m, name: string) => encodeURIComponent(placeholderValue(name, values)));

/** Body with placeholders JSON-string-escaped, so a value cannot break out of its quotes. */
export const fillBody = (template: string, values: LookupValues): string =>
  template.replace(PLACEHOLDER, (_m, name: string) =>
    JSON.stringify(placeholderValue(name, values)).slice(1, -1),
  );

/** Problems with a connector's settings, one per field (empty = valid). */
export function validateConnectorSettings(
  s: OrderLookupConnectorSettings,
): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  const probe = fillUrl(s.urlTemplate, { orderNumber: 'ZK1', phone: '13800138000' });
  let url: URL | null = null;
  try {
    url = new URL(probe);
  } catch {
    problems.push({ path: 'urlTemplate', message: 'is not a valid URL once filled in' });
  }
  if (url && url.protocol !== 'http:' && url.protocol !== 'https:')
    problems.push({ path: 'urlTemplate', message: 'must be an http or https URL' });
  if (url && (url.username || url.password))
    problems.push({ path: 'urlTemplate', message: 'must not contain credentials; use a secret header' });
  // What the customer types must never pick the server the request goes to.
  const origin = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(s.urlTemplate.trim())?.[0] ?? '';
  if (origin.includes('{{'))
    problems.push({ path: 'urlTemplate', message: 'placeholders may not be used in the scheme or host' });
  if (!/\{\{\s*order_number\s*\}\}/.test(`${s.urlTemplate}${s.bodyTemplate ?? ''}`))
    problems.push({ path: 'urlTemplate', message: 'must contain {{order_number}} (or the body must)' });
  const limits = CONNECTOR_LIMITS;
  if (
    !Number.isInteger(s.timeoutMs) ||
    s.timeoutMs < limits.minTimeoutMs ||
    s.timeoutMs > limits.maxTimeoutMs
  )
    problems.push({
      path: 'timeoutMs',
      message: `must be ${limits.minTimeoutMs}–${limits.maxTimeoutMs} ms`,
    });
  if (!Number.isInteger(s.retries) || s.retries < 0 || s.retries > limits.maxRetries)
    problems.push({ path: 'retries', message: `must be 0–${limits.maxRetries}` });
  if (s.method === 'GET' && s.bodyTemplate)
    problems.push({ path: 'bodyTemplate', message: 'a GET request has no body; use POST' });
  const names = new Set<string>();
  s.headers.forEach((h, i) => {
    const key = h.name.toLowerCase();
    if (names.has(key)) problems.push({ path: `headers/${i}/name`, message: 'is listed twice' });
    names.add(key);
    if (['host', 'content-length', 'connection', 'transfer-encoding'].includes(key))
      problems.push({ path: `headers/${i}/name`, message: 'is set by the server' });
  });
  for (const field of MAPPING_FIELDS) {
    const path = s.mapping[field];
    if (path === null) continue;
    try {
      compileJsonPath(path);
    } catch (error) {
      if (!(error instanceof JsonPathError)) throw error;
      problems.push({ path: `mapping/${field}`, message: error.message });
    }
  }
  if (s.notFoundPath !== null)
    try {
      compileJsonPath(s.notFoundPath);
    } catch (error) {
      if (!(error instanceof JsonPathError)) throw error;
      problems.push({ path: 'notFoundPath', message: error.message });
    }
  return problems;
}

const scalar = (value: unknown): string | null => {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'string') return value.trim() || null;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
};

const isEmpty = (matches: unknown[]) =>
  matches.length === 0 ||
  matches.every(
    (v) =>
      v === null ||
      v === false ||
      v === '' ||
      v === 0 ||
      (Array.isArray(v) && v.length === 0) ||
      (typeof v === 'object' && v !== null && Object.keys(v).length === 0),
  );

function mapItems(matches: unknown[]): MappedOrder['items'] {
  // `$.items` (one array) and `$.items[*]` (its elements) both mean the list.
  const list = matches.length === 1 && Array.isArray(matches[0]) ? matches[0] : matches;
  return list.flatMap((item): MappedOrder['items'] => {
    const name = scalar(item);
    if (name) return [{ name }];
    if (item && typeof item === 'object' && !Array.isArray(item)) {
      const o = item as Record<string, unknown>;
      const named = scalar(o.name) ?? scalar(o.title) ?? scalar(o.product_name) ?? scalar(o.productName);
      if (!named) return [];
      const q = Number(o.quantity ?? o.qty ?? o.count);
      return [Number.isInteger(q) && q >= 0 ? { name: named, quantity: q } : { name: named }];
    }
    return [];
  });
}

/**
 * Applies the mapping to a parsed answer. `requested` is the number the customer gave, used when the
 * answer does not echo one. Throws OrderMappingError when the status cannot be found: the connector or
 * its mapping is broken, which is not the same as "no such order".
 */
export function mapOrderResponse(
  settings: Pick<OrderLookupConnectorSettings, 'mapping' | 'notFoundPath'>,
  document: unknown,
  requested: string,
): MappingResult {
  if (settings.notFoundPath !== null && isEmpty(compileJsonPath(settings.notFoundPath).evaluate(document)))
    return { found: false };
  const first = (path: string | null) =>
    path === null ? null : scalar(compileJsonPath(path).evaluate(document)[0]);
  const status = first(settings.mapping.status);
  if (status === null)
    throw new OrderMappingError(`the status path ${settings.mapping.status} matched no text in the answer`);
  const digits = first(settings.mapping.phone)?.replace(/\D/g, '') ?? '';
  return {
    found: true,
    order: {
      number: first(settings.mapping.number) ?? requested,
      status,
      carrier: first(settings.mapping.carrier),
      trackingNumber: first(settings.mapping.trackingNumber),
      phoneLast4: digits.length >= 4 ? digits.slice(-4) : null,
      items:
        settings.mapping.items === null
          ? []
          : mapItems(compileJsonPath(settings.mapping.items).evaluate(document)),
      total: first(settings.mapping.total),
    },
  };
}

/** What the order-lookup connector repository stores and returns (secrets opened, server-side only). */
export interface ConnectorsRepository {
  getOrderLookup(): Promise<OrderLookupConnector | null>;
  /**
   * Saves the settings. A secret header sent with value null keeps the value stored under the same name
   * (the console never sees secrets, so it cannot send them back).
   */
  saveOrderLookup(
    settings: Omit<OrderLookupConnectorSettings, 'headers'> & {
      headers: (Omit<ConnectorHeader, 'value'> & { value: string | null })[];
    },
    at: string,
  ): Promise<OrderLookupConnector>;
}
