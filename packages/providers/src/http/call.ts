// One outbound HTTP request for every vendor adapter (speech, translation): an injected fetch (the server
// passes its SSRF-guarded one, tests a plain one aimed at a local server), a deadline that covers reading the
// body, a cap on the answer's size, and failures as one neutral error each domain maps onto its own type.

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

/** 'status': a non-2xx answer (see `status` and `body`); 'too_large': the answer passed the cap. */
export type HttpFailure = 'status' | 'timeout' | 'aborted' | 'network' | 'too_large';

export class HttpCallError extends Error {
  readonly failure: HttpFailure;
  readonly status: number | undefined;
  /** The start of the vendor's answer (never the request: it may carry secrets). */
  readonly body: string | undefined;

  constructor(
    failure: HttpFailure,
    message: string,
    details: { status?: number; body?: string; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'HttpCallError';
    this.failure = failure;
    this.status = details.status;
    this.body = details.body;
  }
}

/** Sends one request and reads the whole answer; anything but a 2xx answer read in time is an HttpCallError. */
export async function sendHttp(call: HttpCall): Promise<HttpAnswer> {
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
      throw new HttpCallError('too_large', `answer larger than ${limit} bytes`);
    }
    body = Buffer.from(await res.arrayBuffer());
    if (body.length > limit) throw new HttpCallError('too_large', `answer larger than ${limit} bytes`);
  } catch (error) {
    if (error instanceof HttpCallError) throw error;
    if (call.signal?.aborted) throw new HttpCallError('aborted', 'request aborted');
    if (deadline.aborted) throw new HttpCallError('timeout', `no answer within ${call.timeoutMs} ms`);
    const reason = error instanceof Error ? error.message : String(error);
    throw new HttpCallError('network', `request failed: ${reason}`, { cause: error });
  }
  if (status < 200 || status > 299) {
    const text = excerpt(body.toString('utf8'));
    throw new HttpCallError('status', `HTTP ${status}: ${text}`, { status, body: text });
  }
  return { status, headers, body };
}

/** Keeps error messages and logs short: vendors sometimes answer with whole HTML pages. */
export function excerpt(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/** Joins a configured base URL and a path without doubling or losing the slash. */
export function joinUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}
