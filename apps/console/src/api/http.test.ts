import { describe, expect, it, vi } from 'vitest';
import { type Translate, translate } from '../i18n/catalogue.ts';
import { enUS } from '../i18n/en-US.ts';
import { buildUrl, createHttpClient } from './http.ts';
import { ApiError, describeError, problemToError } from './problem.ts';

const t: Translate = (key, vars) => translate(enUS, key, vars);

type Call = { url: string; init: RequestInit };

function stubFetch(response: () => Response) {
  const calls: Call[] = [];
  const fetchImpl = (async (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(input), init: init ?? {} });
    return response();
  }) as typeof fetch;
  return { calls, fetchImpl };
}

function problem(status: number, body: object): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/problem+json; charset=utf-8' },
  });
}

function client(fetchImpl: typeof fetch, csrf: string | null = 'tok-1') {
  const onUnauthenticated = vi.fn();
  const http = createHttpClient({ fetch: fetchImpl, getCsrfToken: () => csrf, onUnauthenticated });
  return { http, onUnauthenticated };
}

describe('http client', () => {
  it('sends cookies, JSON and the CSRF header on writes', async () => {
    const { calls, fetchImpl } = stubFetch(() => Response.json({ ok: true }));
    const { http } = client(fetchImpl);
    await expect(http.request('POST', '/api/v1/x', { body: { a: 1 } })).resolves.toEqual({ ok: true });
    const init = calls[0]!.init;
    const headers = init.headers as Record<string, string>;
    expect(init.credentials).toBe('include');
    expect(headers['x-csrf-token']).toBe('tok-1');
    expect(headers['content-type']).toBe('application/json');
    expect(init.body).toBe('{"a":1}');
  });

  it('does not send the CSRF header on GET and encodes the query', async () => {
    const { calls, fetchImpl } = stubFetch(() => Response.json({ conversations: [] }));
    const { http } = client(fetchImpl);
    await http.request('GET', '/api/v1/conversations', {
      query: { status: 'open', cursor: 'a b', x: undefined },
    });
    expect(calls[0]!.url).toBe('/api/v1/conversations?status=open&cursor=a+b');
    expect((calls[0]!.init.headers as Record<string, string>)['x-csrf-token']).toBeUndefined();
  });

  it('returns null for an empty 204 body', async () => {
    const { fetchImpl } = stubFetch(() => new Response(null, { status: 204 }));
    await expect(client(fetchImpl).http.request('DELETE', '/api/v1/api-keys/1')).resolves.toBeNull();
  });

  it('parses problem+json into a typed ApiError', async () => {
    const { fetchImpl } = stubFetch(() =>
      problem(403, {
        type: 'urn:zhike:problem:csrf_failed',
        title: 'Forbidden',
        status: 403,
        detail: 'Missing CSRF token',
      }),
    );
    const error = await client(fetchImpl)
      .http.request('POST', '/api/v1/x')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 403, code: 'csrf_failed', detail: 'Missing CSRF token' });
    expect(describeError(error, t)).toBe('Missing CSRF token');
  });

  it('signals an expired session on 401 unauthenticated, but not on bad credentials', async () => {
    const expired = stubFetch(() =>
      problem(401, { type: 'urn:zhike:problem:unauthenticated', title: 'x', status: 401 }),
    );
    const a = client(expired.fetchImpl);
    await expect(a.http.request('GET', '/api/v1/conversations')).rejects.toMatchObject({
      code: 'unauthenticated',
    });
    expect(a.onUnauthenticated).toHaveBeenCalledTimes(1);

    const wrong = stubFetch(() =>
      problem(401, {
        type: 'urn:zhike:problem:invalid_credentials',
        title: 'x',
        status: 401,
        detail: 'Wrong password',
      }),
    );
    const b = client(wrong.fetchImpl);
    await expect(b.http.request('POST', '/api/v1/auth/login', { body: {} })).rejects.toMatchObject({
      code: 'invalid_credentials',
    });
    expect(b.onUnauthenticated).not.toHaveBeenCalled();

    const restoring = stubFetch(() =>
      problem(401, { type: 'urn:zhike:problem:unauthenticated', title: 'x', status: 401 }),
    );
    const c = client(restoring.fetchImpl);
    await expect(c.http.request('GET', '/api/v1/auth/me', { expectUnauthenticated: true })).rejects.toThrow();
    expect(c.onUnauthenticated).not.toHaveBeenCalled();
  });

  it('turns a fetch rejection into a network error', async () => {
    const fetchImpl = (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof fetch;
    const error = await client(fetchImpl)
      .http.request('GET', '/api/v1/x')
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'network', status: 0 });
    expect(describeError(error, t)).toBe(enUS['error.network']);
  });

  it('copes with a non-JSON error page from a proxy', async () => {
    const { fetchImpl } = stubFetch(() => new Response('<html>Bad gateway</html>', { status: 502 }));
    const error = await client(fetchImpl)
      .http.request('GET', '/api/v1/x')
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 502, code: 'unknown', detail: null });
    expect(describeError(error, t)).toBe('Something went wrong (502)');
  });
});

describe('problemToError', () => {
  it('keeps validation errors and shows them when there is no detail', () => {
    const error = problemToError(400, {
      type: 'urn:zhike:problem:validation_failed',
      title: 'Validation failed',
      status: 400,
      errors: [{ path: '/text', message: 'must NOT be empty' }, { bad: true }],
    });
    expect(error.code).toBe('validation_failed');
    expect(error.fieldErrors).toEqual([{ path: '/text', message: 'must NOT be empty' }]);
    expect(describeError(error, t)).toBe('Validation failed — /text: must NOT be empty');
  });

  it('maps an unknown problem type to unknown', () => {
    expect(problemToError(418, { type: 'urn:zhike:problem:teapot' }).code).toBe('unknown');
    expect(problemToError(500, 'oops').code).toBe('unknown');
  });

  it('builds the URL without a trailing question mark', () => {
    expect(buildUrl('', '/a', {})).toBe('/a');
    expect(buildUrl('http://h', '/a', { n: 1, b: false })).toBe('http://h/a?n=1&b=false');
  });
});
