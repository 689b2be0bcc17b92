// Connectors to the shop's own systems. The order lookup: request template, headers (secret values are
// write-only: never sent back, only `set`), JSON-path mapping, not-found rule, timeout and retries.
import Type from 'typebox';
import { Id, Timestamp } from './common.ts';
import { OrderItem } from './orders.ts';

const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const CONNECTOR_SECRET_MASK = '••••';

export const ConnectorMethod = Type.Union([Type.Literal('GET'), Type.Literal('POST')]);

const HeaderName = Type.String({ minLength: 1, maxLength: 64, pattern: "^[A-Za-z0-9!#$%&'*+.^_`|~-]+$" });
const HeaderValue = Type.String({ maxLength: 2000, pattern: '^[^\\r\\n\\u0000]*$' });
const JsonPath = Type.String({
  minLength: 1,
  maxLength: 200,
  description: "JSON path: $.a.b, $.a[0].b, $.items[*].name, $['key']",
});
const HostName = Type.String({
  minLength: 1,
  maxLength: 253,
  pattern: '^(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?)$',
  description: 'Exact host name or IP address',
});

export const OrderLookupMapping = Type.Object(
  {
    number: Nullable(JsonPath),
    status: JsonPath,
    carrier: Nullable(JsonPath),
    trackingNumber: Nullable(JsonPath),
    phone: Nullable({ ...JsonPath, description: 'The whole phone or its last 4 digits' }),
    items: Nullable({ ...JsonPath, description: 'Item names, or objects with name and quantity' }),
    total: Nullable(JsonPath),
  },
  { additionalProperties: false },
);
export type OrderLookupMapping = Type.Static<typeof OrderLookupMapping>;

const settingsFields = {
  enabled: Type.Boolean(),
  method: ConnectorMethod,
  urlTemplate: Type.String({
    minLength: 8,
    maxLength: 2000,
    description: 'http(s) URL; {{order_number}} and {{phone}} are filled in URL-encoded',
  }),
  bodyTemplate: Nullable(
    Type.String({ maxLength: 4000, description: 'POST body; placeholders filled in JSON-escaped' }),
  ),
  mapping: OrderLookupMapping,
  notFoundPath: Nullable({
    ...JsonPath,
    description: 'An answer whose value here is empty, null or false means "no such order" (404 always does)',
  }),
  timeoutMs: Type.Integer({ minimum: 100, maximum: 10_000, description: 'Per attempt; default 3000' }),
  retries: Type.Integer({ minimum: 0, maximum: 5, description: 'On network errors, 5xx and 429; default 2' }),
  allowedHosts: Type.Array(HostName, {
    maxItems: 20,
    description: 'Hosts admitted even on loopback/private addresses (the shop’s own LAN server)',
  }),
};

export const ConnectorHeaderInput = Type.Object(
  {
    name: HeaderName,
    secret: Type.Boolean(),
    value: Type.Optional(
      Nullable({ ...HeaderValue, description: 'For a secret header, null or absent keeps the saved value' }),
    ),
  },
  { additionalProperties: false },
);

export const OrderLookupConnectorBody = Type.Object(
  {
    ...settingsFields,
    timeoutMs: Type.Optional(settingsFields.timeoutMs),
    retries: Type.Optional(settingsFields.retries),
    headers: Type.Array(ConnectorHeaderInput, { maxItems: 20 }),
  },
  { additionalProperties: false },
);
export type OrderLookupConnectorBody = Type.Static<typeof OrderLookupConnectorBody>;

export const ConnectorHeaderView = Type.Object({
  name: Type.String(),
  secret: Type.Boolean(),
  /** null for secret headers: their value never leaves the server. */
  value: Nullable(Type.String()),
  set: Type.Boolean(),
});
export type ConnectorHeaderView = Type.Static<typeof ConnectorHeaderView>;

export const OrderLookupConnector = Type.Object({
  id: Id,
  ...settingsFields,
  headers: Type.Array(ConnectorHeaderView),
  version: Type.Integer(),
  updatedAt: Timestamp,
});
export type OrderLookupConnector = Type.Static<typeof OrderLookupConnector>;

export const OrderLookupConnectorResult = Type.Object({ connector: Nullable(OrderLookupConnector) });
export type OrderLookupConnectorResult = Type.Static<typeof OrderLookupConnectorResult>;

export const ConnectorTestBody = Type.Object(
  {
    orderNumber: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }),
    phone: Type.Optional(Type.String({ maxLength: 32, pattern: '^\\+?[0-9 -]{0,31}$' })),
  },
  { additionalProperties: false },
);
export type ConnectorTestBody = Type.Static<typeof ConnectorTestBody>;

export const ConnectorFailureKind = Type.Union([
  Type.Literal('refused'),
  Type.Literal('timeout'),
  Type.Literal('network'),
  Type.Literal('http_error'),
  Type.Literal('server_error'),
  Type.Literal('too_large'),
  Type.Literal('invalid_json'),
  Type.Literal('mapping'),
]);

export const MappedOrder = Type.Object({
  number: Type.String(),
  status: Type.String(),
  carrier: Nullable(Type.String()),
  trackingNumber: Nullable(Type.String()),
  phoneLast4: Nullable(Type.String()),
  items: Type.Array(OrderItem),
  total: Nullable(Type.String()),
});

export const ConnectorTestResult = Type.Object({
  outcome: Type.Union([Type.Literal('found'), Type.Literal('not_found'), Type.Literal('failed')]),
  order: Nullable(MappedOrder),
  failure: Nullable(Type.Object({ kind: ConnectorFailureKind, message: Type.String() })),
  request: Type.Object({
    method: Type.String(),
    url: Type.String(),
    /** Secret header values replaced by ••••. */
    headers: Type.Record(Type.String(), Type.String()),
    body: Nullable(Type.String()),
  }),
  status: Nullable(Type.Integer()),
  totalMs: Type.Integer(),
  attempts: Type.Array(
    Type.Object({ status: Nullable(Type.Integer()), ms: Type.Integer(), error: Nullable(Type.String()) }),
  ),
  /** The start of the answer, to write the mapping against. */
  bodyExcerpt: Nullable(Type.String()),
});
export type ConnectorTestResult = Type.Static<typeof ConnectorTestResult>;
