// HTTP for the speech adapters: one injected fetch (the server passes its SSRF-guarded one, tests a plain
// one aimed at a local server), a deadline that covers reading the body, and vendor errors mapped onto
// SpeechProviderError with the status and the start of the body.
import { excerpt, SpeechProviderError } from './errors.ts';

/** The subset of fetch the adapters use; both the global fetch and the server's safeFetch fit it. */
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string | Buffer; signal?: AbortSignal },
) => Promise<Response>;

/** The global fetch in the FetchLike shape, for operator-configured endpoints and tests. */
export const globalFetch: FetchLike = (url, init) =>
  fetch(url, {
    method: init.method,
    headers: init.headers,
    body: typeof init.body === 'string' || init.body === undefined ? init.body : new Uint8Array(init.body),
    signal: init.signal,
  });

export interface HttpCall {
  provider: string;
  fetch: FetchLike;
  url: string;
  method?: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Largest answer read. Default 32 MiB (a minute of 24 kHz WAV is under 3 MiB). */
  maxResponseBytes?: number;
}

export interface HttpAnswer {
  status: number;
  headers: Headers;
  body: Buffer;
}

/** Sends one request and reads the whole answer; non-2xx answers become errors (401/403 → 'auth'). */
export async function callHttp(call: HttpCall): Promise<HttpAnswer> {
  const deadline = AbortSignal.timeout(call.timeoutMs);
  const signal = call.signal ? AbortSignal.any([call.signal, deadline]) : deadline;
  let status: number;
  let headers: Headers;
  let body: Buffer;
  try {
    const res = await call.fetch(call.url, {
      method: call.method ?? 'POST',
      headers: call.headers,
      body: call.body,
      signal,
    });
    status = res.status;
    headers = res.headers;
    const limit = call.maxResponseBytes ?? 32 * 1024 * 1024;
    const declared = Number(res.headers.get('content-length') ?? 0);
    if (declared > limit) {
      await res.body?.cancel();
      throw new SpeechProviderError(call.provider, 'bad_response', `answer larger than ${limit} bytes`);
    }
    body = Buffer.from(await res.arrayBuffer());
    if (body.length > limit)
      throw new SpeechProviderError(call.provider, 'bad_response', `answer larger than ${limit} bytes`);
  } catch (error) {
    if (error instanceof SpeechProviderError) throw error;
    if (call.signal?.aborted) throw new SpeechProviderError(call.provider, 'aborted', 'request aborted');
    if (deadline.aborted)
      throw new SpeechProviderError(call.provider, 'timeout', `no answer within ${call.timeoutMs} ms`);
    const reason = error instanceof Error ? error.message : String(error);
    throw new SpeechProviderError(call.provider, 'network', `request failed: ${reason}`, { cause: error });
  }
  if (status < 200 || status > 299) {
    const text = excerpt(body.toString('utf8'));
    const code = status === 401 || status === 403 ? 'auth' : 'http';
    throw new SpeechProviderError(call.provider, code, `HTTP ${status}: ${text}`, { status, body: text });
  }
  return { status, headers, body };
}

/** Parses a JSON answer, naming the provider when it is not JSON. */
export function parseJson(provider: string, body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new SpeechProviderError(
      provider,
      'bad_response',
      `answer is not JSON: ${excerpt(body.toString('utf8'))}`,
      {
        body: excerpt(body.toString('utf8')),
      },
    );
  }
}

/** Joins a configured base URL and a path without doubling or losing the slash. */
export function joinUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}
