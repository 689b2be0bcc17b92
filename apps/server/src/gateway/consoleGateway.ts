// WS /api/v1/console/ws: the console's live feed for the signed-in user's workspace (cookie auth on
// upgrade, through the same authentication hook as every route).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ConsoleClientFrame } from '@zhike/contracts';
import { userOf } from '../auth/authenticate.ts';
import type { AppContext } from '../context.ts';
import { HttpProblem, sendProblem } from '../http/problems.ts';
import { originAllowed } from '../http/widgetAccess.ts';
import { send } from './hub.ts';

export const consoleGateway =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.route({
      method: 'GET',
      url: '/api/v1/console/ws',
      config: { auth: 'session', permission: 'conversations.read' },
      schema: { hide: true },
      preHandler: async (request) => {
        // Cookies ride along on cross-site WebSocket handshakes; only our own pages may open this one.
        if (!originAllowed([ctx.config.publicUrl], request, ctx.config.publicUrl))
          throw new HttpProblem('origin_not_allowed');
      },
      handler: async (_request, reply) =>
        sendProblem(reply, 'validation_failed', 'This endpoint speaks WebSocket'),
      wsHandler: (socket, request) => {
        const principal = userOf(request);
        const remove = ctx.hub.addConsole(principal.workspaceId, socket);
        socket.on('close', remove);
        socket.on('message', (raw) => {
          let frame: ConsoleClientFrame | null = null;
          try {
            frame = JSON.parse(String(raw)) as ConsoleClientFrame;
          } catch {
            frame = null;
          }
          if (frame?.type === 'ping') send(socket, { type: 'pong' });
        });
        send(socket, { type: 'ready', userId: principal.user.id });
      },
    });
  };
