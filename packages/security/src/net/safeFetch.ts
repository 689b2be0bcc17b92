// fetch-shaped outbound HTTP that connects only to the address the SSRF guard approved (no DNS
// rebinding between check and connect), follows redirects only when asked, re-checking every hop, and
// stops reading a response once it passes the size cap.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { Readable, Transform } from 'node:stream';
import { assertSafeUrl, type SafeTarget, type SafeUrlOptions, UnsafeUrlError } from './safeUrl.ts';

export interface SafeFetchInit extends SafeUrlOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** 0 (default) returns 3xx responses as they are. */
  maxRedirects?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Largest response body read; more (declared or streamed) fails with ResponseTooLargeError. */
  maxResponseBytes?: number;
}

/** Default cap: a merchant API or webhook receiver has no reason to send more. */
export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;

export class ResponseTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`response body larger than ${limit} bytes`);
    this.name = 'ResponseTooLargeError';
  }
}

/** Counts bytes as they stream, so a body without Content-Length cannot exhaust memory either. */
function capped(res: IncomingMessage, limit: number): Readable {
  let seen = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      if (seen > limit) {
        res.destroy();
        done(new ResponseTooLargeError(limit));
      } else done(null, chunk);
    },
  });
  res.on('error', (error) => counter.destroy(error));
  return res.pipe(counter);
}

const pinnedLookup =
  (target: SafeTarget): LookupFunction =>
  (_hostname, options, callback) => {
    const first = target.addresses[0]!;
    if (options.all)
      callback(
        null,
        target.addresses.map((a) => ({ address: a.address, family: a.family })),
      );
    else callback(null, first.address, first.family);
  };

function send(target: SafeTarget, init: SafeFetchInit): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const request = target.url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = request(
      target.url,
      {
        method: init.method ?? 'GET',
        headers: init.headers,
        lookup: pinnedLookup(target),
        timeout: init.timeoutMs ?? 15_000,
        signal: init.signal,
      },
      resolve,
    );
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end(init.body);
  });
}

function toResponse(res: IncomingMessage, url: URL, limit: number): Response {
  const declared = Number(res.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    res.destroy();
    throw new ResponseTooLargeError(limit);
  }
  const headers = new Headers();
  for (const [name, value] of Object.entries(res.headers))
    if (value !== undefined) for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  const status = res.statusCode ?? 502;
  const empty = status === 204 || status === 304;
  if (empty) res.resume();
  const response = new Response(
    empty ? null : (Readable.toWeb(capped(res, limit)) as ReadableStream<Uint8Array>),
    {
      status,
      statusText: res.statusMessage,
      headers,
    },
  );
  Object.defineProperty(response, 'url', { value: url.toString() });
  return response;
}

export async function safeFetch(input: string | URL, init: SafeFetchInit = {}): Promise<Response> {
  let target = await assertSafeUrl(input, init);
  let method = init.method ?? 'GET';
  let body = init.body;
  let headers = init.headers;
  for (let hop = 0; ; hop++) {
    const res = await send(target, { ...init, method, body, headers });
    const location = res.headers.location;
    const status = res.statusCode ?? 0;
    if (status < 300 || status >= 400 || !location || hop >= (init.maxRedirects ?? 0))
      return toResponse(res, target.url, init.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES);
    res.resume();
    const next = new URL(location, target.url);
    if (target.url.protocol === 'https:' && next.protocol === 'http:')
      throw new UnsafeUrlError('redirect from https to http refused');
    // Credentials meant for one origin must not travel to the next.
    if (next.origin !== target.url.origin && headers)
      headers = Object.fromEntries(
        Object.entries(headers).filter(([k]) => !/^(authorization|cookie|proxy-authorization)$/i.test(k)),
      );
    target = await assertSafeUrl(next, init);
    if (status === 303 || ((status === 301 || status === 302) && method === 'POST')) {
      method = 'GET';
      body = undefined;
    }
  }
}
