// SIP requests and responses (RFC 3261 §7, §20, §25): a strict parser with hard limits, a serialiser,
// and builders for new requests and for responses to a request (§8.2.6).
//
// API:
//   parseMessage(bytes, { stream?, limits? }) → SipRequest | SipResponse, or throws SipParseError
//   serializeMessage(msg) → Buffer (Content-Length always written from the body)
//   createRequest({ method, uri, headers, body? }), createResponse(request, status, reason?, options?)
//   newBranch(), newTag(), newCallId(), reasonPhrase(status)
// A parsed message is known to carry a parseable top-level Via list, From, To, Call-ID and CSeq (whose
// method matches a request's), and parseable Contact/Route/Record-Route; read them with headers.ts.

import { randomBytes } from 'node:crypto';
import { SipParseError } from './errors.ts';
import { clip, isToken } from './grammar.ts';
import {
  canonicalHeaderName,
  getCallId,
  getContacts,
  getCSeq,
  getFrom,
  getHeader,
  getNumberHeader,
  getRoutes,
  getTo,
  getVias,
  type SipHeader,
} from './headers.ts';
import { formatUri, parseNameAddr, parseUri, type SipUri } from './uri.ts';

export interface SipRequest {
  kind: 'request';
  method: string;
  uri: SipUri;
  headers: SipHeader[];
  body: Buffer;
}

export interface SipResponse {
  kind: 'response';
  status: number;
  reason: string;
  headers: SipHeader[];
  body: Buffer;
}

export type SipMessage = SipRequest | SipResponse;

export interface SipLimits {
  /** Whole message, start line to end of body. 65 535 is the largest UDP payload anyway. */
  maxMessageBytes: number;
  maxHeaders: number;
  /** One header line before unfolding (and the start line). */
  maxLineBytes: number;
  maxBodyBytes: number;
}

export const DEFAULT_SIP_LIMITS: Readonly<SipLimits> = Object.freeze({
  maxMessageBytes: 65_535,
  maxHeaders: 128,
  maxLineBytes: 8_192,
  maxBodyBytes: 32_768,
});

export interface ParseOptions {
  /** Stream transports (TCP): Content-Length is mandatory and must match the body exactly (§18.3). */
  stream?: boolean;
  limits?: Partial<SipLimits>;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const REQUEST_LINE = /^([A-Za-z0-9\-.!%*_+`'~]+) (\S+) SIP\/([0-9]+\.[0-9]+)$/;
const STATUS_LINE = /^SIP\/([0-9]+\.[0-9]+) ([0-9]{3})(?: (.*))?$/;

export function parseMessage(data: Uint8Array | string, options: ParseOptions = {}): SipMessage {
  const limits = { ...DEFAULT_SIP_LIMITS, ...options.limits };
  const bytes =
    typeof data === 'string'
      ? Buffer.from(data, 'utf8')
      : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (bytes.length > limits.maxMessageBytes) {
    throw new SipParseError(
      'too-large',
      `message of ${bytes.length} bytes exceeds ${limits.maxMessageBytes}`,
    );
  }
  // §7.5: CRLFs before the start line are ignored (keep-alives, stray line ends between messages).
  let start = 0;
  while (start < bytes.length && (bytes[start] === 13 || bytes[start] === 10)) start++;
  const { headEnd, bodyStart } = findHeadEnd(bytes, start);
  if (headEnd < 0) throw new SipParseError('bad-header', 'no empty line after the headers');
  let head: string;
  try {
    head = utf8.decode(bytes.subarray(start, headEnd));
  } catch {
    throw new SipParseError('bad-encoding', 'headers are not valid UTF-8');
  }
  const lines = head.split(/\r?\n/);
  for (const line of lines) {
    if (line.length > limits.maxLineBytes) throw new SipParseError('line-too-long', 'header line too long');
  }
  const startLine = lines[0] ?? '';
  const { headers, error } = splitHeaders(lines.slice(1), limits.maxHeaders);
  let msg: SipMessage;
  if (startLine.startsWith('SIP/')) {
    if (error) throw error;
    msg = parseStatusLine(startLine, headers);
  } else {
    const { method, uriText } = parseRequestLine(startLine, headers);
    const partial = { method, headers };
    if (error) throw new SipParseError(error.reason, error.message, partial);
    let uri: SipUri;
    try {
      uri = parseUri(uriText);
    } catch (e) {
      throw withPartial(e, partial);
    }
    msg = { kind: 'request', method, uri, headers, body: Buffer.alloc(0) };
  }
  try {
    validateHeaders(msg);
    msg.body = extractBody(msg, bytes.subarray(bodyStart), options.stream === true, limits);
  } catch (e) {
    throw msg.kind === 'request' ? withPartial(e, { method: msg.method, headers }) : e;
  }
  return msg;
}

function findHeadEnd(bytes: Buffer, from: number): { headEnd: number; bodyStart: number } {
  const crlf = bytes.indexOf('\r\n\r\n', from, 'latin1');
  const lf = bytes.indexOf('\n\n', from, 'latin1');
  if (crlf >= 0 && (lf < 0 || crlf < lf)) return { headEnd: crlf, bodyStart: crlf + 4 };
  if (lf >= 0) return { headEnd: lf, bodyStart: lf + 2 };
  return { headEnd: -1, bodyStart: -1 };
}

function withPartial(e: unknown, partial: { method: string; headers: SipHeader[] }): unknown {
  return e instanceof SipParseError ? new SipParseError(e.reason, e.message, partial) : e;
}

/** Unfolds continuation lines (§7.3.1) and splits `name: value`; keeps going after a bad line. */
function splitHeaders(lines: string[], maxHeaders: number): { headers: SipHeader[]; error?: SipParseError } {
  const headers: SipHeader[] = [];
  let error: SipParseError | undefined;
  for (const line of lines) {
    if (hasControlCharacter(line)) {
      error ??= new SipParseError('bad-header', `control character in "${clip(line)}"`);
      continue;
    }
    if (line.startsWith(' ') || line.startsWith('\t')) {
      const last = headers[headers.length - 1];
      if (last) last.value = `${last.value} ${line.trim()}`.trim();
      else error ??= new SipParseError('bad-header', 'continuation line before any header');
      continue;
    }
    const colon = line.indexOf(':');
    const name = colon < 0 ? '' : line.slice(0, colon).trimEnd();
    if (!isToken(name)) {
      error ??= new SipParseError('bad-header', `bad header line "${clip(line)}"`);
      continue;
    }
    if (headers.length >= maxHeaders) {
      return { headers, error: new SipParseError('too-many-headers', `more than ${maxHeaders} headers`) };
    }
    headers.push({ name: canonicalHeaderName(name), value: line.slice(colon + 1).trim() });
  }
  return error ? { headers, error } : { headers };
}

/** Control characters other than HTAB never belong in a header line (a bare CR would split it on resend). */
function hasControlCharacter(line: string): boolean {
  for (let i = 0; i < line.length; i++) {
    const code = line.charCodeAt(i);
    if ((code < 32 && code !== 9) || code === 127) return true;
  }
  return false;
}

function parseStatusLine(line: string, headers: SipHeader[]): SipResponse {
  const match = STATUS_LINE.exec(line);
  if (!match) throw new SipParseError('bad-start-line', `bad status line "${clip(line)}"`);
  if (match[1] !== '2.0') throw new SipParseError('bad-version', `unsupported SIP version ${match[1]}`);
  const status = Number(match[2]);
  if (status < 100 || status > 699) throw new SipParseError('bad-start-line', `bad status code ${status}`);
  return { kind: 'response', status, reason: match[3] ?? '', headers, body: Buffer.alloc(0) };
}

function parseRequestLine(line: string, headers: SipHeader[]): { method: string; uriText: string } {
  const match = REQUEST_LINE.exec(line);
  if (!match) throw new SipParseError('bad-start-line', `bad request line "${clip(line)}"`);
  if (match[3] !== '2.0') {
    throw new SipParseError('bad-version', `unsupported SIP version ${match[3]}`, {
      method: match[1]!,
      headers,
    });
  }
  // The URI is parsed by the caller so that its failure still carries the partial request.
  return { method: match[1]!, uriText: match[2]! };
}

function validateHeaders(msg: SipMessage): void {
  if (getVias(msg).length === 0) throw new SipParseError('missing-header', 'no Via');
  getFrom(msg);
  getTo(msg);
  getCallId(msg);
  const cseq = getCSeq(msg);
  if (msg.kind === 'request' && cseq.method !== msg.method) {
    throw new SipParseError('bad-cseq', `CSeq method ${clip(cseq.method)} differs from ${clip(msg.method)}`);
  }
  getContacts(msg);
  getRoutes(msg, 'Route');
  getRoutes(msg, 'Record-Route');
  getNumberHeader(msg, 'Max-Forwards');
  getNumberHeader(msg, 'Expires');
}

function extractBody(msg: SipMessage, rest: Buffer, stream: boolean, limits: SipLimits): Buffer {
  const raw = getHeader(msg, 'Content-Length');
  let length: number;
  if (raw === undefined) {
    if (stream) throw new SipParseError('bad-content-length', 'Content-Length is required on TCP');
    length = rest.length;
  } else {
    if (!/^[0-9]{1,10}$/.test(raw))
      throw new SipParseError('bad-content-length', `bad Content-Length "${clip(raw)}"`);
    length = Number(raw);
    // §18.3: over a stream the body is exactly Content-Length; in a datagram, extra bytes are dropped and
    // a body shorter than announced means the datagram was cut.
    if (length > rest.length || (stream && length < rest.length)) {
      throw new SipParseError('body-length-mismatch', `Content-Length ${length}, body ${rest.length} bytes`);
    }
  }
  if (length > limits.maxBodyBytes) throw new SipParseError('too-large', `body of ${length} bytes`);
  return Buffer.from(rest.subarray(0, length));
}

export function serializeMessage(msg: SipMessage): Buffer {
  const startLine =
    msg.kind === 'request'
      ? `${msg.method} ${formatUri(msg.uri)} SIP/2.0`
      : `SIP/2.0 ${msg.status} ${msg.reason}`;
  let head = `${startLine}\r\n`;
  for (const header of msg.headers) {
    if (header.name.toLowerCase() === 'content-length') continue;
    if (/[\r\n]/.test(header.value) || !isToken(header.name)) {
      throw new TypeError(`header ${header.name} cannot be serialised (bad name or line break in value)`);
    }
    head += header.value === '' ? `${header.name}:\r\n` : `${header.name}: ${header.value}\r\n`;
  }
  head += `Content-Length: ${msg.body.length}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'utf8'), msg.body]);
}

export function createRequest(init: {
  method: string;
  uri: SipUri;
  headers: SipHeader[];
  body?: Buffer;
}): SipRequest {
  return {
    kind: 'request',
    method: init.method,
    uri: init.uri,
    headers: init.headers.map((h) => ({ name: canonicalHeaderName(h.name), value: h.value })),
    body: init.body ?? Buffer.alloc(0),
  };
}

export interface ResponseOptions {
  /** Added to To when the request's To has no tag yet (not on 100 Trying, §8.2.6.2). */
  toTag?: string;
  headers?: SipHeader[];
  body?: Buffer;
}

/** A response to `request` per §8.2.6: Via list, From, To, Call-ID and CSeq copied, then `headers`. */
export function createResponse(
  request: SipRequest,
  status: number,
  reason: string = reasonPhrase(status),
  options: ResponseOptions = {},
): SipResponse {
  const headers: SipHeader[] = [];
  for (const header of request.headers) {
    const name = header.name;
    if (name === 'Via' || name === 'From' || name === 'Call-ID' || name === 'CSeq')
      headers.push({ ...header });
    else if (name === 'To') {
      const hasTag = parseNameAddr(header.value).params.tag !== undefined;
      const tag = options.toTag !== undefined && status !== 100 && !hasTag ? `;tag=${options.toTag}` : '';
      headers.push({ name, value: `${header.value}${tag}` });
    } else if (name === 'Timestamp' && status === 100) headers.push({ ...header });
  }
  for (const header of options.headers ?? [])
    headers.push({ name: canonicalHeaderName(header.name), value: header.value });
  return { kind: 'response', status, reason, headers, body: options.body ?? Buffer.alloc(0) };
}

/** A new RFC 3261 branch (magic cookie + 96 random bits). */
export function newBranch(): string {
  return `z9hG4bK${randomBytes(12).toString('base64url')}`;
}

export function newTag(): string {
  return randomBytes(8).toString('hex');
}

export function newCallId(): string {
  return randomBytes(16).toString('base64url');
}

const REASONS: Record<number, string> = {
  100: 'Trying',
  180: 'Ringing',
  181: 'Call Is Being Forwarded',
  182: 'Queued',
  183: 'Session Progress',
  200: 'OK',
  202: 'Accepted',
  300: 'Multiple Choices',
  301: 'Moved Permanently',
  302: 'Moved Temporarily',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  407: 'Proxy Authentication Required',
  408: 'Request Timeout',
  413: 'Request Entity Too Large',
  415: 'Unsupported Media Type',
  416: 'Unsupported URI Scheme',
  420: 'Bad Extension',
  423: 'Interval Too Brief',
  480: 'Temporarily Unavailable',
  481: 'Call/Transaction Does Not Exist',
  482: 'Loop Detected',
  483: 'Too Many Hops',
  486: 'Busy Here',
  487: 'Request Terminated',
  488: 'Not Acceptable Here',
  491: 'Request Pending',
  500: 'Server Internal Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
  504: 'Server Time-out',
  505: 'Version Not Supported',
  513: 'Message Too Large',
  600: 'Busy Everywhere',
  603: 'Decline',
  604: 'Does Not Exist Anywhere',
  606: 'Not Acceptable',
};

export function reasonPhrase(status: number): string {
  return REASONS[status] ?? (status < 200 ? 'Progress' : status < 300 ? 'OK' : 'Error');
}
