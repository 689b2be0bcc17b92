// POST /users/:id/deactivate: an owner or admin takes someone's access away. Their sessions end at
// once (open console sockets close in every process) and they can no longer sign in.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { IdParams } from '@zhike/contracts';
import Type from 'typebox';
import { actorOf, recordAudit } from '../audit.ts';
import { userOf } from '../auth/authenticate.ts';
import { revokeSessions } from '../auth/sessions.ts';
import type { AppContext } from '../context.ts';
import { HttpProblem } from './problems.ts';
import { problems } from './schemas.ts';

export const userAccessRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/api/v1/users/:id/deactivate',
      {
        config: { auth: 'session', permission: 'users.manage' },
        schema: {
          tags: ['users'],
          summary: "Deactivate a person's account and end their sessions",
          params: IdParams,
          response: { 204: Type.Null(), ...problems },
        },
      },
      async (request, reply) => {
        const p = userOf(request);
        const target = await ctx.db.forWorkspace(p.workspaceId).users.get(request.params.id);
        if (!target) throw new HttpProblem('not_found', 'No such user');
        if (target.id === p.user.id) throw new HttpProblem('conflict', 'You cannot deactivate yourself');
        // Only an owner may take an owner's access away.
        if (target.role === 'owner' && p.user.role !== 'owner')
          throw new HttpProblem('forbidden', 'Only an owner can deactivate an owner');
        const done = await ctx.db.directory.deactivateUser(
          p.workspaceId,
          target.id,
          ctx.clock.now().toISOString(),
        );
        if (!done) throw new HttpProblem('not_found', 'No such active user');
        await recordAudit(ctx, {
          workspaceId: p.workspaceId,
          actor: actorOf(p),
          action: 'user.removed',
          target: { type: 'user', id: target.id },
          details: { reason: 'deactivated' },
        });
        await revokeSessions(
          ctx,
          { workspaceId: p.workspaceId, userId: target.id },
          { except: null },
          { actor: actorOf(p), reason: 'user_deactivated' },
        );
        return reply.code(204).send(null);
      },
    );
  };
