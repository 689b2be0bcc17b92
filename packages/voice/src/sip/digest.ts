// The client side of HTTP digest authentication as SIP uses it (RFC 3261 §22, RFC 2617, RFC 7616,
// RFC 8760): MD5 and SHA-256 (and their -sess forms), qop=auth / auth-int with cnonce and nc, and the old
// no-qop form; answers a 401 with Authorization and a 407 with Proxy-Authorization.
//
// API:
//   const digest = new DigestClient({ username, password });
//   const header = digest.authorize(request, challengeResponse)  // SipHeader | null (give up)
//   request.headers.push(header) and send it again with a new CSeq and branch.

import { createHash, randomBytes } from 'node:crypto';
import { SipParseError } from './errors.ts';
import { clip, isToken, quote, readQuoted, splitOutside } from './grammar.ts';
import { getHeaderValues, type SipHeader } from './headers.ts';
import type { SipRequest, SipResponse } from './message.ts';
import { formatUri } from './uri.ts';

export type DigestAlgorithm = 'MD5' | 'MD5-sess' | 'SHA-256' | 'SHA-256-sess';

export interface DigestChallenge {
  realm: string;
  nonce: string;
  opaque?: string;
  algorithm: DigestAlgorithm;
  /** Quality-of-protection options offered; empty for the RFC 2069 form. */
  qop: string[];
  stale: boolean;
}

export interface DigestCredentials {
  /** Digest user name (often the extension or the trunk's auth id). */
  username: string;
  password: string;
  /** Answer only challenges of this realm; any realm when absent. */
  realm?: string;
}

const ALGORITHMS: Record<string, DigestAlgorithm> = {
  md5: 'MD5',
  'md5-sess': 'MD5-sess',
  'sha-256': 'SHA-256',
  'sha-256-sess': 'SHA-256-sess',
};

/** Parses one `Digest realm="…", nonce="…", …` challenge. Unknown algorithms are a SipParseError. */
export function parseDigestChallenge(value: string): DigestChallenge {
  const trimmed = value.trim();
  const space = trimmed.search(/\s/);
  const scheme = space < 0 ? trimmed : trimmed.slice(0, space);
  if (scheme.toLowerCase() !== 'digest') {
    throw new SipParseError('bad-header', `not a Digest challenge: "${clip(scheme)}"`);
  }
  const params = parseAuthParams(space < 0 ? '' : trimmed.slice(space + 1));
  const realm = params.get('realm');
  const nonce = params.get('nonce');
  if (realm === undefined || nonce === undefined)
    throw new SipParseError('bad-header', 'challenge without realm or nonce');
  const algorithm = ALGORITHMS[(params.get('algorithm') ?? 'MD5').toLowerCase()];
  if (!algorithm)
    throw new SipParseError(
      'bad-header',
      `unsupported digest algorithm "${clip(params.get('algorithm') ?? '')}"`,
    );
  const challenge: DigestChallenge = {
    realm,
    nonce,
    algorithm,
    qop: (params.get('qop') ?? '')
      .split(',')
      .map((q) => q.trim().toLowerCase())
      .filter((q) => q !== ''),
    stale: (params.get('stale') ?? '').toLowerCase() === 'true',
  };
  const opaque = params.get('opaque');
  if (opaque !== undefined) challenge.opaque = opaque;
  return challenge;
}

function parseAuthParams(text: string): Map<string, string> {
  const params = new Map<string, string>();
  if (text.trim() === '') return params;
  for (const raw of splitOutside(text, ',', 'bad-header')) {
    const piece = raw.trim();
    if (piece === '') continue;
    const eq = piece.indexOf('=');
    if (eq < 0) throw new SipParseError('bad-header', `bad auth parameter "${clip(piece)}"`);
    const name = piece.slice(0, eq).trim().toLowerCase();
    const rawValue = piece.slice(eq + 1).trim();
    if (!isToken(name)) throw new SipParseError('bad-header', `bad auth parameter name "${clip(name)}"`);
    if (rawValue.startsWith('"')) {
      const { value, length } = readQuoted(rawValue, 'bad-header');
      if (length !== rawValue.length) throw new SipParseError('bad-header', `junk after ${name}`);
      params.set(name, value);
    } else if (isToken(rawValue)) {
      params.set(name, rawValue);
    } else {
      throw new SipParseError('bad-header', `bad value for ${name}`);
    }
  }
  return params;
}

function hash(algorithm: DigestAlgorithm, text: string | Buffer): string {
  return createHash(algorithm.startsWith('SHA-256') ? 'sha256' : 'md5')
    .update(text)
    .digest('hex');
}

export interface DigestAnswerInput {
  challenge: DigestChallenge;
  credentials: DigestCredentials;
  method: string;
  /** The Request-URI exactly as sent. */
  uri: string;
  body?: Buffer;
  /** Fixed in tests; random otherwise. */
  cnonce?: string;
  /** Times this nonce was used, this one included. */
  nonceCount?: number;
}

/** The credentials value (`Digest username="…", …`) answering `challenge`. */
export function digestAuthorization(input: DigestAnswerInput): string {
  const { challenge, credentials, method, uri } = input;
  const algorithm = challenge.algorithm;
  const qop = challenge.qop.includes('auth')
    ? 'auth'
    : challenge.qop.includes('auth-int')
      ? 'auth-int'
      : undefined;
  const cnonce = input.cnonce ?? randomBytes(12).toString('hex');
  const nc = (input.nonceCount ?? 1).toString(16).padStart(8, '0');
  let ha1 = hash(algorithm, `${credentials.username}:${challenge.realm}:${credentials.password}`);
  if (algorithm.endsWith('-sess')) ha1 = hash(algorithm, `${ha1}:${challenge.nonce}:${cnonce}`);
  const ha2 =
    qop === 'auth-int'
      ? hash(algorithm, `${method}:${uri}:${hash(algorithm, input.body ?? Buffer.alloc(0))}`)
      : hash(algorithm, `${method}:${uri}`);
  const response = qop
    ? hash(algorithm, `${ha1}:${challenge.nonce}:${nc}:${cnonce}:${qop}:${ha2}`)
    : hash(algorithm, `${ha1}:${challenge.nonce}:${ha2}`);
  const parts = [
    `username=${quote(credentials.username)}`,
    `realm=${quote(challenge.realm)}`,
    `nonce=${quote(challenge.nonce)}`,
    `uri=${quote(uri)}`,
    `response=${quote(response)}`,
    `algorithm=${algorithm}`,
  ];
  if (challenge.opaque !== undefined) parts.push(`opaque=${quote(challenge.opaque)}`);
  if (qop) parts.push(`qop=${qop}`, `nc=${nc}`, `cnonce=${quote(cnonce)}`);
  return `Digest ${parts.join(', ')}`;
}

// Stronger algorithms first when a server offers several challenges (RFC 8760 §2.4).
const PREFERENCE: DigestAlgorithm[] = ['SHA-256', 'SHA-256-sess', 'MD5', 'MD5-sess'];

/** Answers 401/407 challenges with one set of credentials, counting nonce uses. */
export class DigestClient {
  private readonly nonceCounts = new Map<string, number>();

  constructor(private readonly credentials: DigestCredentials) {}

  /**
   * The header answering `response` (a 401 or 407 to `request`), or null when there is nothing to answer
   * or answering again is pointless: the request already carried our answer to this realm and the new
   * challenge is not marked stale, i.e. the password is wrong.
   */
  authorize(request: SipRequest, response: SipResponse): SipHeader | null {
    const proxy = response.status === 407;
    if (!proxy && response.status !== 401) return null;
    const challengeHeader = proxy ? 'Proxy-Authenticate' : 'WWW-Authenticate';
    const answerHeader = proxy ? 'Proxy-Authorization' : 'Authorization';
    const challenges: DigestChallenge[] = [];
    for (const value of getHeaderValues(response, challengeHeader)) {
      try {
        const challenge = parseDigestChallenge(value);
        if (this.credentials.realm === undefined || this.credentials.realm === challenge.realm) {
          challenges.push(challenge);
        }
      } catch (error) {
        // A challenge we cannot read (another scheme, an unknown algorithm) is skipped, not fatal.
        if (!(error instanceof SipParseError)) throw error;
      }
    }
    challenges.sort((a, b) => PREFERENCE.indexOf(a.algorithm) - PREFERENCE.indexOf(b.algorithm));
    const challenge = challenges[0];
    if (!challenge) return null;
    const alreadyAnswered = getHeaderValues(request, answerHeader).some(
      (value) => realmOf(value) === challenge.realm,
    );
    if (alreadyAnswered && !challenge.stale) return null;
    const count = (this.nonceCounts.get(challenge.nonce) ?? 0) + 1;
    this.nonceCounts.set(challenge.nonce, count);
    // Old nonces are never answered again; keep the map from growing over a long registration.
    if (this.nonceCounts.size > 64) this.nonceCounts.delete(this.nonceCounts.keys().next().value as string);
    return {
      name: answerHeader,
      value: digestAuthorization({
        challenge,
        credentials: this.credentials,
        method: request.method,
        uri: formatUri(request.uri),
        body: request.body,
        nonceCount: count,
      }),
    };
  }
}

function realmOf(credentials: string): string | undefined {
  const match = /realm\s*=\s*"([^"]*)"/i.exec(credentials);
  return match?.[1];
}
