// SIP URIs (RFC 3261 §19.1; tel: URIs as trunks send them in From/To) and name-addr/addr-spec values.

import { isIPv4, isIPv6 } from 'node:net';
import { SipParseError } from './errors.ts';
import {
  clip,
  emptyParams,
  formatParams,
  parseParams,
  quote,
  readQuoted,
  type SipParams,
} from './grammar.ts';

export interface SipUri {
  scheme: 'sip' | 'sips' | 'tel';
  /** User part as written (escapes kept); for tel: the number. */
  user?: string;
  password?: string;
  /** Lower-cased host name or IP address; IPv6 without brackets. Empty for tel:. */
  host: string;
  port?: number;
  /** URI parameters (transport, lr, maddr, user…), names lower-cased. */
  params: SipParams;
  /** The `?a=b&c=d` header part without '?', as written. */
  headers?: string;
}

/** A From/To/Contact/Route value: optional display name, URI and the header's own parameters (tag…). */
export interface NameAddr {
  displayName?: string;
  uri: SipUri;
  params: SipParams;
}

const USER = /^[A-Za-z0-9\-_.!~*'()%&=+$,;?/]+$/;
const PASSWORD = /^[A-Za-z0-9\-_.!~*'()%&=+$,]*$/;
const HOSTNAME =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)*[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.?$/;
const TEL_NUMBER = /^[0-9A-Fa-f*#+\-.()pPwW]+$/;
const URI_HEADERS = /^[A-Za-z0-9\-_.!~*'()%&=+$,;?/:@[\]]*$/;
const DISPLAY_NAME_TOKENS = /^[^"<>,;\p{Cc}]*$/u;

/** Parses host[:port] as in a URI or a Via sent-by; IPv6 in brackets. */
export function parseHostPort(text: string, reason: 'bad-uri' | 'bad-via'): { host: string; port?: number } {
  let host: string;
  let portText: string | undefined;
  if (text.startsWith('[')) {
    const end = text.indexOf(']');
    if (end < 0) throw new SipParseError(reason, `unterminated IPv6 reference in "${clip(text)}"`);
    host = text.slice(1, end);
    if (!isIPv6(host)) throw new SipParseError(reason, `bad IPv6 address "${clip(host)}"`);
    const rest = text.slice(end + 1);
    if (rest !== '') {
      if (!rest.startsWith(':'))
        throw new SipParseError(reason, `junk after IPv6 reference in "${clip(text)}"`);
      portText = rest.slice(1);
    }
  } else {
    const colon = text.indexOf(':');
    host = colon < 0 ? text : text.slice(0, colon);
    if (colon >= 0) portText = text.slice(colon + 1);
    if (!HOSTNAME.test(host) && !isIPv4(host)) throw new SipParseError(reason, `bad host "${clip(host)}"`);
  }
  if (portText === undefined) return { host: host.toLowerCase() };
  if (!/^[0-9]{1,5}$/.test(portText) || Number(portText) > 65535) {
    throw new SipParseError(reason, `bad port "${clip(portText)}"`);
  }
  return { host: host.toLowerCase(), port: Number(portText) };
}

export function formatHostPort(host: string, port?: number): string {
  const h = host.includes(':') ? `[${host}]` : host;
  return port === undefined ? h : `${h}:${port}`;
}

export function parseUri(text: string): SipUri {
  const colon = text.indexOf(':');
  if (colon < 0) throw new SipParseError('bad-uri', `no scheme in "${clip(text)}"`);
  const scheme = text.slice(0, colon).toLowerCase();
  const rest = text.slice(colon + 1);
  if (!/^[a-z][a-z0-9+.-]*$/.test(scheme) || /[\s<>"]/.test(rest))
    throw new SipParseError('bad-uri', `bad character in URI "${clip(text)}"`);
  if (scheme === 'tel') return parseTelUri(rest);
  if (scheme !== 'sip' && scheme !== 'sips') {
    throw new SipParseError('unsupported-uri-scheme', `unsupported URI scheme "${clip(scheme)}"`);
  }
  const uri: SipUri = { scheme, host: '', params: emptyParams() };
  let hostPart = rest;
  const at = rest.indexOf('@');
  if (at >= 0) {
    const userinfo = rest.slice(0, at);
    hostPart = rest.slice(at + 1);
    const pw = userinfo.indexOf(':');
    const user = pw < 0 ? userinfo : userinfo.slice(0, pw);
    if (!USER.test(user)) throw new SipParseError('bad-uri', `bad user part in "${clip(text)}"`);
    uri.user = user;
    if (pw >= 0) {
      const password = userinfo.slice(pw + 1);
      if (!PASSWORD.test(password)) throw new SipParseError('bad-uri', `bad password in "${clip(text)}"`);
      uri.password = password;
    }
  }
  const q = hostPart.indexOf('?');
  if (q >= 0) {
    const headers = hostPart.slice(q + 1);
    if (!URI_HEADERS.test(headers)) throw new SipParseError('bad-uri', `bad URI headers in "${clip(text)}"`);
    uri.headers = headers;
    hostPart = hostPart.slice(0, q);
  }
  const semi = hostPart.indexOf(';');
  if (semi >= 0) {
    uri.params = parseParams(hostPart.slice(semi), 'bad-uri');
    hostPart = hostPart.slice(0, semi);
  }
  const { host, port } = parseHostPort(hostPart, 'bad-uri');
  uri.host = host;
  if (port !== undefined) uri.port = port;
  return uri;
}

function parseTelUri(rest: string): SipUri {
  const semi = rest.indexOf(';');
  const number = semi < 0 ? rest : rest.slice(0, semi);
  if (!TEL_NUMBER.test(number)) throw new SipParseError('bad-uri', `bad tel number "${clip(number)}"`);
  const params = semi < 0 ? emptyParams() : parseParams(rest.slice(semi), 'bad-uri');
  return { scheme: 'tel', user: number, host: '', params };
}

export function formatUri(uri: SipUri): string {
  if (uri.scheme === 'tel') return `tel:${uri.user ?? ''}${formatParams(uri.params)}`;
  let out = `${uri.scheme}:`;
  if (uri.user !== undefined) out += `${uri.user}${uri.password !== undefined ? `:${uri.password}` : ''}@`;
  out += formatHostPort(uri.host, uri.port);
  out += formatParams(uri.params);
  if (uri.headers !== undefined && uri.headers !== '') out += `?${uri.headers}`;
  return out;
}

/** Parses `"Name" <sip:…>;tag=x`, `Name <sip:…>` or the bare addr-spec form `sip:…;tag=x`. */
export function parseNameAddr(text: string): NameAddr {
  const value = text.trim();
  if (value === '') throw new SipParseError('bad-name-addr', 'empty address');
  let displayName: string | undefined;
  let rest: string;
  if (value.startsWith('"')) {
    const quoted = readQuoted(value, 'bad-name-addr');
    displayName = quoted.value;
    rest = value.slice(quoted.length).trimStart();
    if (!rest.startsWith('<')) throw new SipParseError('bad-name-addr', `expected <uri> after display name`);
  } else {
    const lt = value.indexOf('<');
    if (lt >= 0) {
      const name = value.slice(0, lt).trim();
      if (!DISPLAY_NAME_TOKENS.test(name)) {
        throw new SipParseError('bad-name-addr', `bad display name "${clip(name)}"`);
      }
      if (name !== '') displayName = name;
      rest = value.slice(lt);
    } else {
      // addr-spec: parameters after the URI belong to the header (§20.10), so the URI ends at ';'.
      const semi = value.indexOf(';');
      const uri = parseUri(semi < 0 ? value : value.slice(0, semi));
      const params = semi < 0 ? emptyParams() : parseParams(value.slice(semi), 'bad-name-addr');
      return { uri, params };
    }
  }
  const gt = rest.indexOf('>');
  if (gt < 0) throw new SipParseError('bad-name-addr', 'unterminated <uri>');
  const uri = parseUri(rest.slice(1, gt));
  const after = rest.slice(gt + 1).trim();
  if (after !== '' && !after.startsWith(';')) {
    throw new SipParseError('bad-name-addr', `junk after <uri>: "${clip(after)}"`);
  }
  const params = after === '' ? emptyParams() : parseParams(after, 'bad-name-addr');
  const result: NameAddr = { uri, params };
  if (displayName !== undefined) result.displayName = displayName;
  return result;
}

export function formatNameAddr(addr: NameAddr): string {
  const name = addr.displayName !== undefined && addr.displayName !== '' ? `${quote(addr.displayName)} ` : '';
  return `${name}<${formatUri(addr.uri)}>${formatParams(addr.params)}`;
}
