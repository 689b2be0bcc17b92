// Walks every registered HTTP route with hostile input (malformed JSON, wrong types, oversize bodies,
// unknown and garbage ids, odd query strings) and requires a 4xx problem, never a 5xx.
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestSession } from './testing.ts';

describe('no route answers 5xx to bad input', () => {
  let t: TestApp;
  let owner: TestSession;
  let key: string;
  beforeAll(async () => {
    t = await createTestApp('sqlite', { env: { ZHIKE_BODY_LIMIT: '65536' } });
    owner = await t.login();
    key = await t.apiKey();
  });
  afterAll(async () => t?.close());

  const unknownId = '01890a5d-ac96-774b-bcce-b302099a8057';
  const variants: { name: string; body?: string; contentType?: string; id: string; query?: string }[] = [
    { name: 'malformed JSON', body: '{"a":', contentType: 'application/json', id: unknownId },
    { name: 'JSON array', body: '[1,2,3]', contentType: 'application/json', id: unknownId },
    { name: 'JSON number', body: '42', contentType: 'application/json', id: unknownId },
    { name: 'JSON null', body: 'null', contentType: 'application/json', id: unknownId },
    {
      name: 'wrong types',
      body: '{"text":1,"name":[],"status":{},"assigneeId":5,"email":true}',
      contentType: 'application/json',
      id: unknownId,
    },
    {
      name: 'oversize',
      body: JSON.stringify({ text: 'x'.repeat(70_000) }),
      contentType: 'application/json',
      id: unknownId,
    },
    { name: 'text/plain', body: 'hello', contentType: 'text/plain', id: unknownId },
    { name: 'malformed CSV', body: 'number,status\n"ZK1,\u0000', contentType: 'text/csv', id: unknownId },
    {
      name: 'CSV with wrong fields',
      body: 'number,status,carrier,tracking_number,phone,total\n../x,,,,not a phone,-1\n,,',
      contentType: 'text/csv; charset=utf-8',
      id: unknownId,
    },
    {
      name: 'multipart',
      body: '--b\r\n\r\nx\r\n--b--',
      contentType: 'multipart/form-data; boundary=b',
      id: unknownId,
    },
    { name: 'garbage id', id: '../../etc/passwd' },
    { name: 'unknown id', id: unknownId, body: '{}', contentType: 'application/json' },
    { name: 'odd query', id: unknownId, query: '?limit=-1&cursor=%00&status[]=x&assignee=everyone&inbox=' },
  ];

  it('holds for every route, signed in as owner and as an API key', async () => {
    const routes = t.app.zhike.routes.filter(
      (r) => !r.websocket && r.method !== 'HEAD' && !r.url.startsWith('/api/docs'),
    );
    expect(routes.length).toBeGreaterThan(15);
    let checked = 0;
    for (const route of routes) {
      // A fresh session per route: the sign-out route ends the one it is called with.
      owner = await t.login();
      // A GET carries no body: variants that differ only in their body are the same request there (and
      // the weekly review's PDF takes seconds to print), so each distinct URL is asked once.
      const asked = new Set<string>();
      for (const v of variants) {
        for (const auth of [owner.headers, { authorization: `Bearer ${key}` }]) {
          const url = route.url.replace(':id', encodeURIComponent(v.id)).replace('*', 'x') + (v.query ?? '');
          const once = `${'authorization' in auth ? 'key' : 'owner'} ${url}`;
          if (route.method === 'GET' && asked.has(once)) continue;
          asked.add(once);
          const options: InjectOptions = {
            method: route.method as InjectOptions['method'],
            url,
            headers: { ...auth },
          };
          if (v.body !== undefined && !['GET', 'HEAD'].includes(route.method)) {
            options.payload = v.body;
            options.headers = { ...options.headers, 'content-type': v.contentType ?? 'application/json' };
          }
          const res = await t.app.inject(options);
          checked++;
          expect(
            res.statusCode,
            `${route.method} ${url} (${v.name}) → ${res.statusCode} ${res.body.slice(0, 200)}`,
          ).toBeLessThan(500);
          if (res.statusCode >= 400 && route.url.startsWith('/api/')) {
            expect(String(res.headers['content-type'])).toContain('application/problem+json');
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(300);
    // Over 300 routes with several bodies each: ~13 s alone, 30 s on a busy machine.
  }, 120_000);
});

describe('behind https', () => {
  it('marks the session cookie Secure when the public URL is https', async () => {
    const t = await createTestApp('sqlite', { env: { ZHIKE_PUBLIC_URL: 'https://chat.example.cn' } });
    try {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: 'owner@test.zhike.local', password: 'correct horse battery' },
      });
      const cookie = res.cookies.find((c) => c.name === 'zhike_session');
      expect(cookie).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Lax', path: '/' });
    } finally {
      await t.close();
    }
  });
});
