// API keys for integrators: listed by prefix, the secret shown once at creation, stored as SHA-256.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ApiKeyList, CreateApiKeyBody, CreatedApiKey, IdParams } from '@zhike/contracts';
import Type from 'typebox';
import { type AuditActor, actorOf, cliActor, recordAudit } from '../audit.ts';
import { principalOf } from '../auth/authenticate.ts';
import { newApiKey } from '../auth/secrets.ts';
import type { AppContext } from '../context.ts';
import { HttpProblem } from './problems.ts';
import { problems } from './schemas.ts';

/** Creates a key for a workspace; used by the route and by `zhike api-key create`. */
export async function createApiKey(
  ctx: AppContext,
  workspaceId: string,
  name: string,
  actor: AuditActor = cliActor,
) {
  const key = newApiKey();
  const record = {
    id: ctx.newId(),
    name,
    prefix: key.prefix,
    createdAt: ctx.clock.now().toISOString(),
    lastUsedAt: null,
  };
  await ctx.db.forWorkspace(workspaceId).apiKeys.create({ ...record, keyHash: key.hash });
  await recordAudit(ctx, {
    workspaceId,
    actor,
    action: 'api_key.created',
    target: { type: 'api_key', id: record.id },
    details: { prefix: key.prefix },
  });
  return { apiKey: record, secret: key.secret };
}

export const apiKeyRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    const config = { auth: 'session', permission: 'api_keys.manage' } as const;
    app.get(
      '/api/v1/api-keys',
      {
        config,
        schema: { tags: ['api keys'], summary: 'List API keys', response: { 200: ApiKeyList, ...problems } },
      },
      async (request) => ({
        apiKeys: await ctx.db.forWorkspace(principalOf(request).workspaceId).apiKeys.list(),
      }),
    );
    app.post(
      '/api/v1/api-keys',
      {
        config,
        schema: {
          tags: ['api keys'],
          summary: 'Create an API key (the secret is shown only in this response)',
          body: CreateApiKeyBody,
          response: { 201: CreatedApiKey, ...problems },
        },
      },
      async (request, reply) =>
        reply
          .code(201)
          .send(
            await createApiKey(
              ctx,
              principalOf(request).workspaceId,
              request.body.name,
              actorOf(principalOf(request)),
            ),
          ),
    );
    app.delete(
      '/api/v1/api-keys/:id',
      {
        config,
        schema: {
          tags: ['api keys'],
          summary: 'Revoke an API key',
          params: IdParams,
          response: { 204: Type.Null(), ...problems },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const deleted = await ctx.db.forWorkspace(principal.workspaceId).apiKeys.delete(request.params.id);
        if (!deleted) throw new HttpProblem('not_found', 'API key not found');
        await recordAudit(ctx, {
          workspaceId: principal.workspaceId,
          actor: actorOf(principal),
          action: 'api_key.deleted',
          target: { type: 'api_key', id: request.params.id },
          details: {},
        });
        return reply.code(204).send(null);
      },
    );
  };
