// Calls a shop's order API as its order-lookup connector describes: the filled request through the SSRF
// guard (DNS pinned, redirects re-checked, response capped), retried with exponential backoff and jitter
// on network errors, 5xx and 429 (Retry-After honoured while the budget lasts), then the JSON mapping.
//
// Time: each attempt may take `timeoutMs`; the whole lookup, waits included, at most
// `timeoutMs × (retries + 1)`, so a chat turn is never held longer than the admin configured.
import {
  fillBody,
  fillUrl,
  type LookupValues,
  type MappingResult,
  mapOrderResponse,
  type OrderLookupConnectorSettings,
  OrderMappingError,
} from '@zhike/core';
import { ResponseTooLargeError, safeFetch, UnsafeUrlError } from '@zhike/security';

export const REDACTED = '••••';
const MAX_RESPONSE_BYTES = 512 * 1024;
const MAX_REDIRECTS = 3;
const BACKOFF_BASE_MS = 200;
const EXCERPT_CHARS = 4000;

export type FailureKind =
  | 'refused' // the SSRF guard said no (private address, bad redirect)
  | 'timeout'
  | 'network'
  | 'http_error' // 4xx other than 404/429, 3xx left over
  | 'server_error' // 5xx or 429 after every retry
  | 'too_large'
  | 'invalid_json'
  | 'mapping';

export interface Attempt {
  status: number | null;
  ms: number;
  error: string | null;
}

export interface OrderApiCall {
  /** What was sent, secret header values replaced by ••••. */
  request: { method: string; url: string; headers: Record<string, string>; body: string | null };
  attempts: Attempt[];
  totalMs: number;
  /** The last answer's status and start of its body, for the admin writing the mapping. */
  status: number | null;
  bodyExcerpt: string | null;
  outcome: { ok: true; result: MappingResult } | { ok: false; kind: FailureKind; message: string };
}

class Failure extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
  }
}

/** Retry-After in seconds or as an HTTP date; null when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | null {
  if (!header) return null;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  // Only an HTTP date (ends in GMT): Date.parse reads "-5" or "2" as years.
  if (!/GMT\s*$/i.test(header)) return null;
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function callOrderApi(
  settings: OrderLookupConnectorSettings,
  values: LookupValues,
): Promise<OrderApiCall> {
  const url = fillUrl(settings.urlTemplate, values);
  const body =
    settings.method === 'POST' && settings.bodyTemplate ? fillBody(settings.bodyTemplate, values) : null;
  const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'Zhike-Connector/1' };
  const shown: Record<string, string> = { ...headers };
  if (body !== null) headers['content-type'] = shown['content-type'] = 'application/json';
  for (const h of settings.headers) {
    headers[h.name.toLowerCase()] = h.value;
    shown[h.name.toLowerCase()] = h.secret ? REDACTED : h.value;
  }

  const started = Date.now();
  const deadline = started + settings.timeoutMs * (settings.retries + 1);
  const attempts: Attempt[] = [];
  let status: number | null = null;
  let bodyExcerpt: string | null = null;

  const attempt = async (): Promise<MappingResult> => {
    const budget = Math.min(settings.timeoutMs, deadline - Date.now());
    let response: Response;
    let text: string;
    try {
      response = await safeFetch(url, {
        method: settings.method,
        headers,
        ...(body !== null ? { body } : {}),
        allowHosts: settings.allowedHosts,
        maxRedirects: MAX_REDIRECTS,
        maxResponseBytes: MAX_RESPONSE_BYTES,
        timeoutMs: budget,
        signal: AbortSignal.timeout(budget),
      });
      status = response.status;
      text = await response.text();
    } catch (error) {
      if (error instanceof UnsafeUrlError) throw new Failure('refused', error.message, false);
      if (error instanceof ResponseTooLargeError || (error as Error).cause instanceof ResponseTooLargeError)
        throw new Failure('too_large', `the answer is larger than ${MAX_RESPONSE_BYTES} bytes`, false);
      const name = (error as Error).name;
      const timedOut = name === 'TimeoutError' || name === 'AbortError' || /timed out/.test(String(error));
      if (timedOut) throw new Failure('timeout', `no answer within ${budget} ms`, true);
      throw new Failure('network', (error as Error).message || 'network error', true);
    }
    bodyExcerpt = text.slice(0, EXCERPT_CHARS);
    if (response.status === 404) return { found: false };
    if (response.status === 429 || response.status >= 500)
      throw new Failure(
        'server_error',
        `the order API answered ${response.status}`,
        true,
        retryAfterMs(response.headers.get('retry-after')),
      );
    if (response.status < 200 || response.status >= 300)
      throw new Failure('http_error', `the order API answered ${response.status}`, false);
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch {
      throw new Failure('invalid_json', 'the answer is not JSON', false);
    }
    try {
      return mapOrderResponse(settings, document, values.orderNumber);
    } catch (error) {
      if (error instanceof OrderMappingError) throw new Failure('mapping', error.message, false);
      throw error;
    }
  };

  const finish = (outcome: OrderApiCall['outcome']): OrderApiCall => ({
    request: { method: settings.method, url, headers: shown, body },
    attempts,
    totalMs: Date.now() - started,
    status,
    bodyExcerpt,
    outcome,
  });

  for (let n = 0; ; n++) {
    const at = Date.now();
    status = null;
    try {
      const result = await attempt();
      attempts.push({ status, ms: Date.now() - at, error: null });
      return finish({ ok: true, result });
    } catch (error) {
      if (!(error instanceof Failure)) throw error;
      attempts.push({ status, ms: Date.now() - at, error: error.message });
      const backoff = BACKOFF_BASE_MS * 2 ** n * (0.5 + Math.random() / 2);
      const wait = Math.max(backoff, error.retryAfterMs ?? 0);
      // A Retry-After past the budget means the answer will not come in time: stop now.
      if (!error.retryable || n >= settings.retries || Date.now() + wait >= deadline)
        return finish({ ok: false, kind: error.kind, message: error.message });
      await sleep(wait);
    }
  }
}
