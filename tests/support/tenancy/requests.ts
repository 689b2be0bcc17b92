// Turns a registered route into a request aimed at a victim tenant's data: path parameters filled with
// the victim's real ids of the right kind, query strings and bodies built from the route's own schema
// (id-like fields carry the victim's values, the rest valid dummies), so validation passes and the handler
// really runs. A parameter this file does not know fails loudly, which is how new routes stay covered.
import { TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import fc from 'fast-check';
import type { FastifySchema, HTTPMethods, InjectOptions } from 'fastify';
import type { RouteInfo } from '../../../apps/server/src/context.ts';
import { fakeHookRequest } from '../fakeChannel.ts';
import type { Kind, Tenant } from './tenants.ts';

/** The static path segment before an `:id` → what the id names (`/conversations/:id` → a conversation). */
export const kindBySegment: Record<string, Kind> = {
  workspaces: 'workspace',
  users: 'user',
  sessions: 'session',
  'api-keys': 'apiKey',
  inboxes: 'inbox',
  customers: 'customer',
  conversations: 'conversation',
  messages: 'message',
  orders: 'order',
  tickets: 'ticket',
  callbacks: 'callback',
  attachments: 'attachment',
  faqs: 'faq',
  articles: 'article',
  turns: 'botTurn',
  'customer-merge-suggestions': 'mergeSuggestion',
  queues: 'queue',
  offers: 'offer',
  'reply-templates': 'replyTemplate',
  calls: 'call',
  campaigns: 'campaign',
  'outreach-segments': 'outreachSegment',
  'outreach-campaigns': 'outreachCampaign',
  'do-not-call': 'doNotCall',
  policies: 'slaPolicy',
  complaints: 'complaint',
  jobs: 'job',
  'ticket-fields': 'ticketField',
  'ticket-assignment-rules': 'ticketAssignmentRule',
  results: 'qualityResult',
  reviews: 'qualityReview',
  appeals: 'qualityAppeal',
};

/** Named path parameters and id-like query/body fields → what they name. */
export const kindByName: Record<string, Kind> = {
  workspaceId: 'workspace',
  userId: 'user',
  queueId: 'queue',
  assigneeId: 'user',
  reassignToUserId: 'user',
  sessionId: 'session',
  apiKeyId: 'apiKey',
  keyId: 'apiKey',
  inboxId: 'inbox',
  customerId: 'customer',
  absorbedCustomerId: 'mergeCandidate',
  suggestionId: 'mergeSuggestion',
  conversationId: 'conversation',
  orderNumber: 'order',
  number: 'order',
  ticketId: 'ticket',
  /** A ticket merged into another of the same workspace. */
  intoId: 'duplicateTicket',
  callbackId: 'callback',
  attachmentId: 'attachment',
  faqId: 'faq',
  articleId: 'article',
  turnId: 'botTurn',
  versionId: 'dialogueVersion',
  ruleId: 'routingRule',
  templateId: 'replyTemplate',
  noteId: 'note',
  segmentId: 'outreachSegment',
  /** A channel inbox's public webhook path. */
  hookId: 'channelHook',
  /** The audit log's actor filter takes a user id. */
  actor: 'user',
  /** Quality results filtered by the agent they count for. */
  agentId: 'user',
};

/**
 * Other fields that carry something of the victim's (or, for the visitor token, the caller's own
 * credential): the API channel's customer and message ids, the widget inbox token, personal data.
 */
const victimFields: Record<string, (victim: Tenant, caller: Tenant) => string> = {
  externalId: (v) => v.profile.customer.externalId,
  messageId: (v) => v.inboundMessageId,
  clientMessageId: (v) => v.visitor.clientMessageId,
  email: (v) => v.profile.customer.email,
  phone: (v) => v.profile.customer.phone,
  inbox: (v) => v.widgetInbox.token,
  widgetToken: (v) => v.widgetInbox.token,
  visitorId: (v) => v.visitor.id,
  visitorToken: (_v, caller) => caller.visitor.token,
  // Cursors into the API conversation: its newest message for `before`, its first for `after`.
  before: (v) => v.apiMessageIds.at(-1) ?? '',
  after: (v) => v.apiMessageIds[0] ?? '',
};

/** Required fields whose generic dummy a handler would refuse for its content (not its shape). */
const dummyFields: Record<string, string> = {
  urlTemplate: 'https://erp.tenancy-probe.test/orders/{{order_number}}',
  url: 'https://tenancy-probe.test/page',
  sourceUrl: 'https://tenancy-probe.test/page',
  webhookUrl: 'https://tenancy-probe.test/hook',
};

/** A 1×1 PNG: file routes recognise the type from the first bytes. */
export const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

/**
 * Bodies that are not JSON, by route, built around the victim's ids (JSON bodies come from schemas). The
 * caller signs with what it holds: its own channel secret (B cannot sign as A's provider; A can).
 */
const rawBodies: Record<
  string,
  (
    victim: Tenant,
    caller: Tenant,
  ) => { contentType: string; payload: string; headers?: Record<string, string> }
> = {
  'POST /hooks/:hookId': (v, c) => {
    if (!v.channel || !c.channel)
      throw new UncoveredRoute('POST /hooks/:hookId: a tenant has no channel inbox');
    const signed = fakeHookRequest(
      c.channel.publicUrl,
      `/hooks/${v.channel.hookId}`,
      c.channel.signingSecret,
      {
        type: 'message',
        id: `tenancy-probe-${c.profile.letter}`,
        from: '+8613900001111',
        text: 'tenancy probe',
      },
    );
    return { contentType: 'application/json', payload: signed.payload, headers: signed.headers };
  },
  'POST /api/v1/orders/import': (v) => ({
    contentType: 'text/csv',
    payload: `number,status,carrier,tracking_number,phone,total\n${v.ids.order},taken over,,,,\n`,
  }),
  // The victim's API customer, named by their external id, made a VIP by someone else's file.
  'POST /api/v1/customers/profiles/import': (v) => ({
    contentType: 'text/csv',
    payload: `external_id,phone,email,member_level,lifetime_spend,order_count,tags\n${v.profile.customer.externalId},,,taken-over,99999.00,9,vip\n`,
  }),
  'POST /api/v1/knowledge/import': () => ({
    contentType: 'text/csv',
    payload: 'question,answer\ntenancy probe question,tenancy probe answer\n',
  }),
};

/** JSON fields a route's schema cannot tell are the victim's: what they are set to, over the generated body. */
const bodyFields: Record<string, (victim: Tenant) => Record<string, string | undefined>> = {
  // Asks the caller's bot the victim's own FAQ question: the answer must not come from the victim's KB.
  'POST /api/v1/knowledge/try': (v) => ({ text: v.faqQuestion }),
  // The verdict names the customer message the suggestions answered: the API conversation's first.
  'POST /api/v1/conversations/:id/suggestions/feedback': (v) => ({ messageId: v.apiMessageIds[0] }),
  // Every field is optional but one must be set: raising the priority is the change a taker would make.
  'PATCH /api/v1/tickets/:id': () => ({ priority: 'urgent' }),
  // Likewise: relabelling is the smallest change to another workspace's field.
  'PATCH /api/v1/ticket-fields/:id': () => ({ label: 'relabelled' }),
};

export class UncoveredRoute extends Error {
  override name = 'UncoveredRoute';
}

const routeName = (route: Pick<RouteInfo, 'method' | 'url'>) => `${route.method} ${route.url}`;

function pathKind(route: RouteInfo, segments: string[], index: number, name: string): Kind {
  if (name !== 'id') {
    const kind = kindByName[name];
    if (kind) return kind;
  }
  const previous = [...segments.slice(0, index)].reverse().find((s) => !s.startsWith(':') && s !== '*');
  const kind = name === 'id' && previous ? kindBySegment[previous] : undefined;
  if (kind) return kind;
  throw new UncoveredRoute(
    `${routeName(route)}: the tenancy matrix does not know what ":${name}"${previous ? ` under "/${previous}/"` : ''} names. ` +
      `Add ${name === 'id' ? `"${previous}"` : `"${name}"`} to ${name === 'id' ? 'kindBySegment' : 'kindByName'} in ` +
      'tests/support/tenancy/requests.ts (and, for a new kind, create one for both tenants in ' +
      'tests/support/tenancy/tenants.ts), so this route is tested with another workspace’s ids.',
  );
}

function victimId(route: RouteInfo, victim: Tenant, kind: Kind): string {
  const id = victim.ids[kind];
  if (!id) throw new UncoveredRoute(`${routeName(route)}: the victim tenant has no ${kind} to aim at`);
  return id;
}

// ── Values from JSON Schema (TypeBox) ───────────────────────────────────────────────────────────────

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
interface Schema {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  minItems?: number;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  const?: Json;
  enum?: Json[];
  default?: Json;
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
}

// The app's own validator compiler, so "valid" means what Fastify will accept; compiled once per schema.
const validators = new Map<string, WeakMap<Schema, (value: unknown) => unknown>>();
function check(schema: Schema, value: unknown, httpPart = 'body'): boolean {
  let byPart = validators.get(httpPart);
  if (!byPart) {
    byPart = new WeakMap();
    validators.set(httpPart, byPart);
  }
  let validate = byPart.get(schema);
  if (!validate) {
    validate = TypeBoxValidatorCompiler({ schema: schema as never, httpPart, method: 'POST', url: '/' });
    byPart.set(schema, validate);
  }
  return !('error' in (validate(value) as object));
}

const formats: Record<string, string> = {
  email: 'probe@tenancy.test',
  'date-time': '2026-01-02T03:04:05.000Z',
  date: '2026-01-02',
  time: '03:04:05Z',
  uri: 'https://tenancy.test/probe',
  url: 'https://tenancy.test/probe',
  uuid: '00000000-0000-4000-8000-000000000000',
  hostname: 'tenancy.test',
  ipv4: '192.0.2.1',
};

function dummyString(schema: Schema): string {
  if (schema.format && formats[schema.format]) return formats[schema.format] ?? '';
  const min = schema.minLength ?? 0;
  const max = schema.maxLength ?? 64;
  if (schema.pattern) {
    const samples = fc.sample(fc.stringMatching(new RegExp(schema.pattern)), { numRuns: 50, seed: 7 });
    const fit = samples.find((s) => s.length >= min && s.length <= max && check(schema, s));
    if (fit !== undefined) return fit;
  }
  const base = 'tenancy-probe';
  return base.length >= min
    ? base.slice(0, Math.max(min, Math.min(max, base.length)))
    : base.padEnd(min, 'x');
}

/** A valid value for `schema`; `named` lets id-like fields at any depth carry the victim's values. */
function valueFor(schema: Schema, named: (field: string, fieldSchema: Schema) => Json | undefined): Json {
  if (schema.const !== undefined) return schema.const;
  if (schema.enum?.length) return schema.enum[0] ?? null;
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches) {
    const ordered = [...branches].sort((x, y) => Number(x.type === 'null') - Number(y.type === 'null'));
    for (const branch of ordered) {
      const value = valueFor(branch, named);
      if (check(schema, value)) return value;
    }
    return valueFor(ordered[0] ?? {}, named);
  }
  if (schema.allOf?.length) return valueFor(Object.assign({}, ...schema.allOf), named);
  const type = Array.isArray(schema.type) ? (schema.type.find((t) => t !== 'null') ?? 'null') : schema.type;
  switch (type) {
    case 'object': {
      const out: Record<string, Json> = {};
      const required = new Set(schema.required ?? []);
      for (const [field, fieldSchema] of Object.entries(schema.properties ?? {})) {
        const victimValue = named(field, fieldSchema);
        const dummy = dummyFields[field];
        if (victimValue !== undefined && check(fieldSchema, victimValue)) out[field] = victimValue;
        else if (required.has(field))
          out[field] =
            dummy !== undefined && check(fieldSchema, dummy) ? dummy : valueFor(fieldSchema, named);
      }
      return out;
    }
    case 'array': {
      const n = schema.minItems ?? 0;
      return Array.from({ length: n }, () => valueFor(schema.items ?? {}, named));
    }
    case 'string':
      return schema.default !== undefined ? schema.default : dummyString(schema);
    case 'integer':
    case 'number': {
      if (typeof schema.default === 'number') return schema.default;
      const low = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : 1);
      return schema.maximum !== undefined ? Math.min(low, schema.maximum) : low;
    }
    case 'boolean':
      return typeof schema.default === 'boolean' ? schema.default : false;
    case 'null':
      return null;
    default:
      return schema.default !== undefined ? schema.default : 'tenancy-probe';
  }
}

// ── Requests ────────────────────────────────────────────────────────────────────────────────────────

export interface PlannedRequest {
  route: RouteInfo;
  options: InjectOptions & { url: string; method: HTTPMethods };
  /** The kinds of the victim's ids in the path; non-empty means the answer must be a refusal. */
  pathKinds: Kind[];
  /** The request names the victim's public widget token (a public route may then show public config). */
  namesVictimWidget: boolean;
}

/**
 * The request `caller` would send for `route` against `victim`'s data. With caller = victim it is the
 * victim's own request (the positive control).
 */
export function planRequest(
  route: RouteInfo,
  victim: Tenant,
  caller: Tenant,
  headers: Record<string, string>,
  options: { callerWidget?: boolean } = {},
): PlannedRequest {
  const segments = route.url.split('/');
  const pathKinds: Kind[] = [];
  const path = segments
    .map((segment, index) => {
      if (segment === '*') return 'index.html';
      if (!segment.includes(':')) return segment;
      const name = segment.slice(1);
      if (!/^:[A-Za-z_][A-Za-z0-9_]*$/.test(segment))
        throw new UncoveredRoute(`${routeName(route)}: path segment "${segment}" is not a plain :param`);
      const kind = pathKind(route, segments, index, name);
      pathKinds.push(kind);
      return encodeURIComponent(victimId(route, victim, kind));
    })
    .join('/');

  const schema = (route.schema ?? {}) as FastifySchema & { consumes?: string[] };
  let namesVictimWidget = false;
  const named = (field: string, fieldSchema: Schema): Json | undefined => {
    // `turnIds: [...]` and the like: a list of the victim's ids of that kind.
    const listed = field.endsWith('Ids') ? kindByName[field.slice(0, -1)] : undefined;
    if (listed) {
      const ids = victim.ids[listed] ? [victim.ids[listed]] : undefined;
      return ids && check(fieldSchema, ids) ? ids : undefined;
    }
    const kind = kindByName[field];
    let value: string | undefined;
    if (options.callerWidget && (field === 'inbox' || field === 'widgetToken'))
      value = caller.widgetInbox.token;
    else if (kind) value = victim.ids[kind];
    else if (victimFields[field]) value = victimFields[field](victim, caller);
    if (value === undefined) return undefined;
    // An id-like name on a field of another type (a count called `number`) keeps its dummy value.
    if (!check(fieldSchema, value)) return undefined;
    if (value === victim.widgetInbox.token) namesVictimWidget = true;
    return value;
  };

  const query = new URLSearchParams();
  if (schema.querystring) {
    const q = valueFor(schema.querystring as Schema, named);
    for (const [key, value] of Object.entries((q ?? {}) as Record<string, Json>)) {
      for (const v of [value].flat()) query.append(key, typeof v === 'string' ? v : JSON.stringify(v));
    }
    if (!check(schema.querystring as Schema, Object.fromEntries(query), 'querystring'))
      throw new UncoveredRoute(`${routeName(route)}: could not build a valid query string (${query})`);
  }

  const request: PlannedRequest['options'] = {
    method: route.method as HTTPMethods,
    url: query.size > 0 ? `${path}?${query}` : path,
    headers: { ...headers },
  };
  const raw = rawBodies[routeName(route)];
  if (raw) {
    const body = raw(victim, caller);
    request.headers = { ...request.headers, ...body.headers, 'content-type': body.contentType };
    request.payload = body.payload;
  } else if (schema.consumes?.includes('image/png')) {
    request.headers = { ...request.headers, 'content-type': 'image/png' };
    request.payload = PNG;
  } else if (schema.consumes?.some((c) => !c.includes('json'))) {
    throw new UncoveredRoute(
      `${routeName(route)} consumes ${schema.consumes.join(', ')}: add a body builder to rawBodies in tests/support/tenancy/requests.ts`,
    );
  } else if (schema.body) {
    const generated = valueFor(schema.body as Schema, named);
    const overrides = Object.entries(bodyFields[routeName(route)]?.(victim) ?? {}).filter(
      (entry): entry is [string, string] => entry[1] !== undefined,
    );
    const body =
      overrides.length > 0 && generated && typeof generated === 'object' && !Array.isArray(generated)
        ? { ...generated, ...Object.fromEntries(overrides) }
        : generated;
    if (!check(schema.body as Schema, body))
      throw new UncoveredRoute(
        `${routeName(route)}: could not build a valid body from its schema (${JSON.stringify(body)}); add a case in tests/support/tenancy/requests.ts`,
      );
    request.payload = body as InjectOptions['payload'];
  }
  return { route, options: request, pathKinds, namesVictimWidget };
}
