// WS /api/v1/console/ws: the console's live feed for the signed-in user's workspace (cookie auth on
// upgrade, through the same authentication hook as every route). A socket lives only as long as its
// session: `session.revoked` (from any process) closes it, and so does a ping after the session expired.

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ConsoleClientFrame } from '@zhike/contracts';
import { CONSOLE_CLOSE, SESSION_COOKIE } from '@zhike/contracts';
import type { WebSocket } from 'ws';
import { sessionPrincipal, userOf } from '../auth/authenticate.ts';
import { sessionPolicyOf } from '../auth/sessions.ts';
import type { AppContext } from '../context.ts';
import { HttpProblem, sendProblem } from '../http/problems.ts';
import { originAllowed } from '../http/widgetAccess.ts';
import type { BrowserCalls } from '../voice/webrtc/browserCalls.ts';
import { isCallFrameType } from './callFrames.ts';
import { relayLiveCalls, softphoneSession } from './consoleCalls.ts';
import { send } from './hub.ts';

/** Close code for "your session ended": the console goes back to the sign-in page instead of retrying. */
export const CONSOLE_SESSION_ENDED = CONSOLE_CLOSE.sessionEnded;

/** `calls`: browser calls (the softphone); null while the server runs without the voice channel. */
export const consoleGateway =
  (ctx: AppContext, calls: BrowserCalls | null = null): FastifyPluginAsyncTypebox =>
  async (app) => {
    const bySession = new Map<string, Set<WebSocket>>();
    const unsubscribe = ctx.bus.subscribe((event) => {
      if (event.name !== 'session.revoked') return;
      for (const id of event.sessionIds) {
        for (const socket of bySession.get(id) ?? []) socket.close(CONSOLE_SESSION_ENDED, 'session ended');
        bySession.delete(id);
      }
    });
    const stopRelay = calls ? relayLiveCalls(ctx, calls) : () => {};
    app.addHook('onClose', async () => {
      unsubscribe();
      stopRelay();
    });
    const policy = sessionPolicyOf(ctx.config);

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
        const token = request.cookies[SESSION_COOKIE];
        const remove = ctx.hub.addConsole(principal.workspaceId, socket, {
          userId: principal.user.id,
          role: principal.user.role,
        });
        let sockets = bySession.get(principal.sessionId);
        if (!sockets) {
          sockets = new Set();
          bySession.set(principal.sessionId, sockets);
        }
        sockets.add(socket);
        const softphone = softphoneSession(calls, socket, {
          workspaceId: principal.workspaceId,
          userId: principal.user.id,
          permissions: principal.permissions,
        });
        const ended = ctx.observability.telemetry.socketOpened('console');
        socket.on('close', () => {
          ended();
          softphone.close();
          remove();
          const set = bySession.get(principal.sessionId);
          set?.delete(socket);
          if (set?.size === 0) bySession.delete(principal.sessionId);
        });
        socket.on('message', async (raw) => {
          let frame: ConsoleClientFrame | null = null;
          try {
            frame = JSON.parse(String(raw)) as ConsoleClientFrame;
          } catch {
            frame = null;
          }
          if (isCallFrameType(frame)) {
            await softphone
              .handle(frame)
              .catch((err: unknown) => request.log.error({ err }, 'softphone frame failed'));
            return;
          }
          if (frame?.type === 'activity') {
            await ctx.commands
              .recordAgentActivity(principal.workspaceId, { userId: principal.user.id })
              .catch((err: unknown) => request.log.warn({ err }, 'agent activity not recorded'));
            return;
          }
          if (frame?.type !== 'ping') return;
          // Pings double as the expiry check of a long-open socket; they do not count as use (an
          // unattended open tab must still go idle).
          const alive = await sessionPrincipal({ db: ctx.db, clock: ctx.clock, sessions: policy }, token, {
            touch: false,
          }).catch(() => null);
          if (!alive) socket.close(CONSOLE_SESSION_ENDED, 'session ended');
          else send(socket, { type: 'pong' });
        });
        send(socket, { type: 'ready', userId: principal.user.id });
        // Opening the console is activity (presence for auto-away).
        void ctx.commands
          .recordAgentActivity(principal.workspaceId, { userId: principal.user.id })
          .catch((err: unknown) => request.log.warn({ err }, 'agent activity not recorded'));
      },
    });
  };
