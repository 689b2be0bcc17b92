// Small pieces of the RFC 3261 §25 grammar shared by the URI, header and message parsers.

import { SipParseError, type SipParseReason } from './errors.ts';

/** Header and URI parameters; names lower-cased (they compare case-insensitively), null for a bare flag. */
export type SipParams = Record<string, string | null>;

const TOKEN = /^[A-Za-z0-9\-.!%*_+`'~]+$/;
// gen-value = token / host / quoted-string: a host adds ':' and brackets (IPv6 in received=, maddr=).
const PARAM_VALUE = /^[A-Za-z0-9\-.!%*_+`'~:[\]/@&$?=]+$/;

export function isToken(text: string): boolean {
  return TOKEN.test(text);
}

/** A fresh parameter record without a prototype, so names such as "__proto__" stay plain data. */
export function emptyParams(): SipParams {
  return Object.create(null) as SipParams;
}

/**
 * Splits on `separator` where it is not inside a quoted string or <…> (a URI in a name-addr may hold
 * commas and semicolons). Throws on an unterminated quote or bracket.
 */
export function splitOutside(text: string, separator: ',' | ';', reason: SipParseReason): string[] {
  const parts: string[] = [];
  let start = 0;
  let inQuote = false;
  let inAngle = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inQuote) {
      if (ch === '\\') i++;
      else if (ch === '"') inQuote = false;
    } else if (ch === '"') inQuote = true;
    else if (ch === '<') inAngle = true;
    else if (ch === '>') inAngle = false;
    else if (ch === separator && !inAngle) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (inQuote || inAngle) throw new SipParseError(reason, `unterminated quote or <> in "${clip(text)}"`);
  parts.push(text.slice(start));
  return parts;
}

/** Reads a quoted-string starting at text[0] === '"'; returns its unescaped content and length used. */
export function readQuoted(text: string, reason: SipParseReason): { value: string; length: number } {
  let value = '';
  for (let i = 1; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\\') {
      const next = text[i + 1];
      if (next === undefined) break;
      value += next;
      i++;
    } else if (ch === '"') return { value, length: i + 1 };
    else value += ch;
  }
  throw new SipParseError(reason, `unterminated quoted string in "${clip(text)}"`);
}

export function quote(text: string): string {
  return `"${text.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/** Parses `;a=b;c;d="x y"` (the leading ';' optional) into lower-cased names. */
export function parseParams(text: string, reason: SipParseReason = 'bad-param'): SipParams {
  const params = emptyParams();
  const body = text.startsWith(';') ? text.slice(1) : text;
  if (body.trim() === '') {
    if (text.startsWith(';')) throw new SipParseError(reason, 'empty parameter');
    return params;
  }
  for (const raw of splitOutside(body, ';', reason)) {
    const piece = raw.trim();
    const eq = piece.indexOf('=');
    const name = (eq < 0 ? piece : piece.slice(0, eq)).trim().toLowerCase();
    if (!isToken(name)) throw new SipParseError(reason, `bad parameter name "${clip(name)}"`);
    if (eq < 0) {
      params[name] = null;
      continue;
    }
    const rawValue = piece.slice(eq + 1).trim();
    if (rawValue.startsWith('"')) {
      const { value, length } = readQuoted(rawValue, reason);
      if (length !== rawValue.length) throw new SipParseError(reason, `junk after quoted value of ${name}`);
      params[name] = value;
    } else if (PARAM_VALUE.test(rawValue)) {
      params[name] = rawValue;
    } else {
      throw new SipParseError(reason, `bad value for parameter ${name}`);
    }
  }
  return params;
}

export function formatParams(params: SipParams): string {
  let out = '';
  for (const [name, value] of Object.entries(params)) {
    if (value === null) out += `;${name}`;
    else out += `;${name}=${PARAM_VALUE.test(value) ? value : quote(value)}`;
  }
  return out;
}

/** Shortens untrusted text before it goes into an error message or a log line. */
export function clip(text: string, max = 60): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
