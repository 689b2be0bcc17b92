// Liveness, readiness and the OpenAPI document.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { AppContext } from '../context.ts';
import { HttpProblem } from './problems.ts';
import { problems } from './schemas.ts';

const Health = Type.Object({ status: Type.Literal('ok') });
const Ready = Type.Object({ status: Type.Literal('ok'), database: Type.Literal('ok') });
const OpenApiDocument = Type.Unsafe<Record<string, unknown>>({ type: 'object', additionalProperties: true });

export const healthRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/healthz',
      { schema: { tags: ['health'], summary: 'Liveness', response: { 200: Health, ...problems } } },
      async () => ({ status: 'ok' as const }),
    );
    app.get(
      '/readyz',
      {
        schema: {
          tags: ['health'],
          summary: 'Readiness: the database answers',
          response: { 200: Ready, ...problems },
        },
      },
      async () => {
        try {
          await ctx.db.ping();
        } catch {
          throw new HttpProblem('unavailable', 'database unreachable');
        }
        return { status: 'ok' as const, database: 'ok' as const };
      },
    );
    app.get(
      '/api/openapi.json',
      { schema: { tags: ['meta'], summary: 'This API as OpenAPI 3.1', response: { 200: OpenApiDocument } } },
      async () => app.swagger() as unknown as Record<string, unknown>,
    );
  };
