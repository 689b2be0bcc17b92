// Schemas compile on a route's first use, so a schema the compilers reject would only fail when that
// route is first called. This compiles every route's schemas up front, as the server used to at start-up.
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import { TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import type { FastifySchema } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing.ts';

describe('route schemas compiled lazily', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('sqlite');
  });
  afterAll(() => t?.close());

  it('every request and response schema of every route compiles', () => {
    const serializers = SerializerSelector()(t.app.getSchemas(), {});
    let compiled = 0;
    const routes = t.app.zhike.routes.filter((r) => r.schema);
    expect(routes.length).toBeGreaterThan(100);
    for (const route of routes) {
      const schema = route.schema as FastifySchema & { response?: Record<string, unknown> };
      for (const part of ['body', 'querystring', 'params', 'headers'] as const) {
        if (!schema[part]) continue;
        const check = TypeBoxValidatorCompiler({
          schema: schema[part] as never,
          method: route.method,
          url: route.url,
          httpPart: part,
        });
        expect(typeof check, `${route.method} ${route.url} ${part}`).toBe('function');
        compiled++;
      }
      for (const [httpStatus, body] of Object.entries(schema.response ?? {})) {
        const serialize = serializers({ schema: body, method: route.method, url: route.url, httpStatus });
        expect(typeof serialize, `${route.method} ${route.url} ${httpStatus}`).toBe('function');
        compiled++;
      }
    }
    expect(compiled).toBeGreaterThan(200);
  });

  it('a route still refuses a malformed body and serializes its answer on first use', async () => {
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 42 },
    });
    expect(bad.statusCode).toBe(400);
    const owner = await t.login();
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: owner.headers });
    expect(me.statusCode, me.body).toBe(200);
    expect(me.json()).toMatchObject({ user: { email: owner.info.user.email } });
  });
});
