// Header names (canonical and compact forms, §7.3.3), list splitting, and typed readers/writers for the
// headers the SIP layers need: Via, From/To, Call-ID, CSeq, Contact, Route, Expires, Content-Length.

import { SipParseError } from './errors.ts';
import { clip, formatParams, isToken, parseParams, type SipParams, splitOutside } from './grammar.ts';
import type { SipMessage } from './message.ts';
import { formatHostPort, formatNameAddr, type NameAddr, parseHostPort, parseNameAddr } from './uri.ts';

export interface SipHeader {
  /** Canonical spelling for known headers ("Call-ID", "CSeq"), as written otherwise. */
  name: string;
  value: string;
}

const CANONICAL = new Map<string, string>(
  [
    'Accept',
    'Accept-Contact',
    'Accept-Encoding',
    'Accept-Language',
    'Alert-Info',
    'Allow',
    'Allow-Events',
    'Authentication-Info',
    'Authorization',
    'Call-ID',
    'Call-Info',
    'Contact',
    'Content-Disposition',
    'Content-Encoding',
    'Content-Language',
    'Content-Length',
    'Content-Type',
    'CSeq',
    'Date',
    'Error-Info',
    'Event',
    'Expires',
    'From',
    'Identity',
    'In-Reply-To',
    'Max-Forwards',
    'Min-Expires',
    'Min-SE',
    'MIME-Version',
    'Organization',
    'P-Asserted-Identity',
    'Priority',
    'Proxy-Authenticate',
    'Proxy-Authorization',
    'Proxy-Require',
    'RAck',
    'Reason',
    'Record-Route',
    'Refer-To',
    'Referred-By',
    'Reject-Contact',
    'Replaces',
    'Reply-To',
    'Request-Disposition',
    'Require',
    'Retry-After',
    'Route',
    'RSeq',
    'Server',
    'Session-Expires',
    'Subject',
    'Subscription-State',
    'Supported',
    'Timestamp',
    'To',
    'Unsupported',
    'User-Agent',
    'Via',
    'Warning',
    'WWW-Authenticate',
  ].map((name) => [name.toLowerCase(), name]),
);

const COMPACT: Record<string, string> = {
  a: 'Accept-Contact',
  b: 'Referred-By',
  c: 'Content-Type',
  d: 'Request-Disposition',
  e: 'Content-Encoding',
  f: 'From',
  i: 'Call-ID',
  j: 'Reject-Contact',
  k: 'Supported',
  l: 'Content-Length',
  m: 'Contact',
  o: 'Event',
  r: 'Refer-To',
  s: 'Subject',
  t: 'To',
  u: 'Allow-Events',
  v: 'Via',
  x: 'Session-Expires',
  y: 'Identity',
};

// Headers whose value is a comma-separated list (§7.3.1); others (WWW-Authenticate, Date…) hold commas.
const LIST_HEADERS = new Set(
  [
    'Accept',
    'Accept-Encoding',
    'Accept-Language',
    'Alert-Info',
    'Allow',
    'Allow-Events',
    'Call-Info',
    'Contact',
    'Content-Encoding',
    'Content-Language',
    'Error-Info',
    'In-Reply-To',
    'P-Asserted-Identity',
    'Proxy-Require',
    'Reason',
    'Record-Route',
    'Require',
    'Route',
    'Supported',
    'Unsupported',
    'Via',
    'Warning',
  ].map((name) => name.toLowerCase()),
);

/** The canonical name for `name` (any case, compact forms expanded); unknown names come back as given. */
export function canonicalHeaderName(name: string): string {
  const lower = name.toLowerCase();
  if (lower.length === 1) return COMPACT[lower] ?? name;
  return CANONICAL.get(lower) ?? name;
}

function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** The first value of a header, undefined when absent. */
export function getHeader(msg: SipMessage, name: string): string | undefined {
  const wanted = canonicalHeaderName(name);
  return msg.headers.find((h) => sameName(h.name, wanted))?.value;
}

/** Every value of a header in order; list headers are split at commas outside quotes and <…>. */
export function getHeaderValues(msg: SipMessage, name: string): string[] {
  const wanted = canonicalHeaderName(name);
  const isList = LIST_HEADERS.has(wanted.toLowerCase());
  const values: string[] = [];
  for (const header of msg.headers) {
    if (!sameName(header.name, wanted)) continue;
    if (!isList) values.push(header.value);
    else {
      for (const part of splitOutside(header.value, ',', 'bad-header')) {
        const trimmed = part.trim();
        if (trimmed !== '') values.push(trimmed);
      }
    }
  }
  return values;
}

/** Replaces every occurrence of a header with one value (appended where the first one stood). */
export function setHeader(msg: SipMessage, name: string, value: string): void {
  const wanted = canonicalHeaderName(name);
  const index = msg.headers.findIndex((h) => sameName(h.name, wanted));
  removeHeader(msg, wanted);
  const at = index < 0 ? msg.headers.length : index;
  msg.headers.splice(at, 0, { name: wanted, value });
}

export function addHeader(msg: SipMessage, name: string, value: string): void {
  msg.headers.push({ name: canonicalHeaderName(name), value });
}

/** Adds a header line above every other line of that name (a new top Via, a Route in front). */
export function prependHeader(msg: SipMessage, name: string, value: string): void {
  const wanted = canonicalHeaderName(name);
  const index = msg.headers.findIndex((h) => sameName(h.name, wanted));
  msg.headers.splice(index < 0 ? msg.headers.length : index, 0, { name: wanted, value });
}

export function removeHeader(msg: SipMessage, name: string): void {
  const wanted = canonicalHeaderName(name);
  msg.headers = msg.headers.filter((h) => !sameName(h.name, wanted));
}

// -------------------------------------------------------------------------------------------------
// Via

export interface Via {
  /** Upper-cased transport: 'UDP', 'TCP', 'TLS', 'WS'… */
  transport: string;
  host: string;
  port?: number;
  /** branch, received, rport (null when asked for, the port once filled), maddr, ttl… */
  params: SipParams;
}

/** The RFC 3261 branch prefix: a branch without it comes from an RFC 2543 element. */
export const BRANCH_MAGIC_COOKIE = 'z9hG4bK';

const VIA_PREFIX = /^SIP[ \t]*\/[ \t]*2\.0[ \t]*\/[ \t]*([A-Za-z0-9\-.!%*_+`'~]+)[ \t]+/i;

export function parseVia(value: string): Via {
  const text = value.trim();
  const match = VIA_PREFIX.exec(text);
  if (!match) throw new SipParseError('bad-via', `bad Via "${clip(value)}"`);
  const rest = text.slice(match[0].length);
  const semi = rest.indexOf(';');
  // LWS is allowed around the ':' of sent-by (§25.1); a bare space inside the host is not.
  const sentBy = (semi < 0 ? rest : rest.slice(0, semi))
    .split(':')
    .map((part) => part.trim())
    .join(':');
  const { host, port } = parseHostPort(sentBy, 'bad-via');
  const params = semi < 0 ? parseParams('') : parseParams(rest.slice(semi), 'bad-via');
  const rport = params.rport;
  if (rport !== undefined && rport !== null && !/^[0-9]{1,5}$/.test(rport)) {
    throw new SipParseError('bad-via', `bad rport "${clip(rport)}"`);
  }
  if (params.branch === null) throw new SipParseError('bad-via', 'empty Via branch');
  const via: Via = { transport: match[1]!.toUpperCase(), host, params };
  if (port !== undefined) via.port = port;
  return via;
}

export function formatVia(via: Via): string {
  return `SIP/2.0/${via.transport} ${formatHostPort(via.host, via.port)}${formatParams(via.params)}`;
}

export function getVias(msg: SipMessage): Via[] {
  return getHeaderValues(msg, 'Via').map(parseVia);
}

export function getTopVia(msg: SipMessage): Via {
  const first = getHeaderValues(msg, 'Via')[0];
  if (first === undefined) throw new SipParseError('missing-header', 'no Via');
  return parseVia(first);
}

// -------------------------------------------------------------------------------------------------
// From, To, Contact, Route, Record-Route

function requireHeader(msg: SipMessage, name: string): string {
  const value = getHeader(msg, name);
  if (value === undefined) throw new SipParseError('missing-header', `no ${name}`);
  return value;
}

export function getFrom(msg: SipMessage): NameAddr {
  return parseNameAddr(requireHeader(msg, 'From'));
}

export function getTo(msg: SipMessage): NameAddr {
  return parseNameAddr(requireHeader(msg, 'To'));
}

/** Contact addresses; '*' for the wildcard of a REGISTER that removes every binding. */
export function getContacts(msg: SipMessage): NameAddr[] | '*' {
  const values = getHeaderValues(msg, 'Contact');
  if (values.length === 1 && values[0] === '*') return '*';
  return values.map(parseNameAddr);
}

export function getRoutes(msg: SipMessage, name: 'Route' | 'Record-Route'): NameAddr[] {
  return getHeaderValues(msg, name).map(parseNameAddr);
}

export { formatNameAddr };

// -------------------------------------------------------------------------------------------------
// Call-ID, CSeq, Expires, Max-Forwards, Content-Length

const CALL_ID = /^[A-Za-z0-9\-.!%*_+`'~()<>:\\"/[\]?{}]+(@[A-Za-z0-9\-.!%*_+`'~()<>:\\"/[\]?{}]+)?$/;

export function getCallId(msg: SipMessage): string {
  const value = requireHeader(msg, 'Call-ID').trim();
  if (!CALL_ID.test(value)) throw new SipParseError('bad-header', `bad Call-ID "${clip(value)}"`);
  return value;
}

export interface CSeq {
  seq: number;
  method: string;
}

export function parseCSeq(value: string): CSeq {
  const match = /^([0-9]{1,10})\s+(\S+)$/.exec(value.trim());
  if (!match || !isToken(match[2]!) || Number(match[1]) > 2 ** 31 - 1) {
    throw new SipParseError('bad-cseq', `bad CSeq "${clip(value)}"`);
  }
  return { seq: Number(match[1]), method: match[2]! };
}

export function getCSeq(msg: SipMessage): CSeq {
  return parseCSeq(requireHeader(msg, 'CSeq'));
}

/** A header holding one unsigned integer (Expires, Max-Forwards, Min-Expires); undefined when absent. */
export function getNumberHeader(msg: SipMessage, name: string): number | undefined {
  const value = getHeader(msg, name);
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (!/^[0-9]{1,10}$/.test(trimmed)) throw new SipParseError('bad-header', `bad ${name} "${clip(value)}"`);
  return Number(trimmed);
}
