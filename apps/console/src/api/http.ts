// The fetch wrapper every API call goes through: cookies, CSRF header, JSON, problem+json errors, 401.
import { CSRF_HEADER } from '@zhike/contracts/protocol';
import { ApiError, problemToError } from './problem.ts';

export type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
  query?: Readonly<Record<string, QueryValue>>;
  body?: unknown;
  signal?: AbortSignal;
  /** A 401 here is an expected answer (e.g. restoring a session), not an expired session. */
  expectUnauthenticated?: boolean;
}

export interface HttpClientOptions {
  fetch: typeof fetch;
  baseUrl?: string;
  getCsrfToken: () => string | null;
  onUnauthenticated: () => void;
}

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface HttpClient {
  request<T>(method: HttpMethod, path: string, options?: RequestOptions): Promise<T>;
}

export function buildUrl(baseUrl: string, path: string, query?: RequestOptions['query']): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null) params.set(key, String(value));
  }
  const qs = params.toString();
  return `${baseUrl}${path}${qs ? `?${qs}` : ''}`;
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return null;
  const type = response.headers.get('content-type') ?? '';
  if (!type.includes('json')) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const baseUrl = options.baseUrl ?? '';
  return {
    async request<T>(method: HttpMethod, path: string, req: RequestOptions = {}): Promise<T> {
      const headers: Record<string, string> = { accept: 'application/json' };
      if (req.body !== undefined) headers['content-type'] = 'application/json';
      if (method !== 'GET') {
        const token = options.getCsrfToken();
        if (token) headers[CSRF_HEADER] = token;
      }
      let response: Response;
      try {
        response = await options.fetch(buildUrl(baseUrl, path, req.query), {
          method,
          headers,
          credentials: 'include',
          body: req.body === undefined ? undefined : JSON.stringify(req.body),
          signal: req.signal,
        });
      } catch (cause) {
        if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
        throw new ApiError({ status: 0, code: 'network', detail: null });
      }
      const body = await readBody(response);
      if (response.ok) return body as T;
      const error = problemToError(response.status, body);
      if (response.status === 401 && error.code !== 'invalid_credentials' && !req.expectUnauthenticated) {
        options.onUnauthenticated();
      }
      throw error;
    },
  };
}
