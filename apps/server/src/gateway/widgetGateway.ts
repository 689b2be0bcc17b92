// WS /api/v1/widget/ws: the visitor's chat. A send is acknowledged only after it is committed; resending
// a clientMessageId returns the original message (duplicate=true). `sync` replays what was missed.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { WIDGET_MAX_TEXT, type WidgetClientFrame, WidgetWsQuery } from '@zhike/contracts';
import type { Inbox } from '@zhike/core';
import type { FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { verifyVisitorToken } from '../auth/secrets.ts';
import type { AppContext } from '../context.ts';
import { authorNames, widgetMessageDto } from '../http/presenters.ts';
import { HttpProblem, sendProblem } from '../http/problems.ts';
import { widgetInbox } from '../http/widgetAccess.ts';
import { send } from './hub.ts';

const SYNC_LIMIT = 200;

function parseFrame(raw: string): WidgetClientFrame | null {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const f = value as Record<string, unknown>;
  if (f.type === 'ping') return { type: 'ping' };
  if (f.type === 'sync' && (f.after === null || f.after === undefined || typeof f.after === 'string')) {
    return { type: 'sync', after: (f.after as string | null | undefined) ?? null };
  }
  if (
    f.type === 'send' &&
    typeof f.clientMessageId === 'string' &&
    f.clientMessageId.length > 0 &&
    f.clientMessageId.length <= 100 &&
    typeof f.text === 'string'
  ) {
    return { type: 'send', clientMessageId: f.clientMessageId, text: f.text };
  }
  return null;
}

export const widgetGateway =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    // What the upgrade's preHandler verified, handed to the socket handler.
    const visitorOf = new WeakMap<FastifyRequest, { inbox: Inbox; visitorId: string }>();
    app.route({
      method: 'GET',
      url: '/api/v1/widget/ws',
      config: { auth: 'public' },
      schema: { hide: true, querystring: WidgetWsQuery },
      preHandler: async (request) => {
        const query = request.query as { inbox: string; visitorToken: string };
        const inbox = await widgetInbox(ctx, request, query.inbox);
        const visitorId = verifyVisitorToken(ctx.config.secret, inbox.id, query.visitorToken);
        if (!visitorId)
          throw new HttpProblem('unauthenticated', 'Unknown visitor token; start a session first');
        visitorOf.set(request, { inbox, visitorId });
      },
      handler: async (_request, reply) =>
        sendProblem(reply, 'validation_failed', 'This endpoint speaks WebSocket'),
      wsHandler: async (socket: WebSocket, request) => {
        const visitor = visitorOf.get(request);
        if (!visitor) {
          socket.close(1008, 'unauthenticated');
          return;
        }
        const { inbox, visitorId } = visitor;
        const workspaceId = inbox.workspaceId;
        const store = ctx.db.forWorkspace(workspaceId);
        let detach: (() => void) | null = null;
        let customerId: string | null = null;
        const attach = (id: string) => {
          if (customerId) return;
          customerId = id;
          detach = ctx.hub.addVisitor(workspaceId, id, socket);
        };
        socket.on('close', () => detach?.());

        // Frames are handled one at a time, after the greeting, so acks leave in the order sends arrived.
        let queue = (async () => {
          const customer = await store.customers.findByIdentity('visitor', visitorId);
          if (customer) attach(customer.id);
          const conversation = customer ? await store.conversations.latest(customer.id, inbox.id) : null;
          send(socket, { type: 'ready', visitorId, conversationId: conversation?.id ?? null });
        })();
        socket.on('message', (raw) => {
          queue = queue
            .then(() => handle(String(raw)))
            .catch((err) => {
              request.log.error({ err }, 'widget frame failed');
              send(socket, {
                type: 'error',
                code: 'internal',
                detail: 'Something went wrong; please resend',
              });
            });
        });

        async function handle(raw: string): Promise<void> {
          const frame = parseFrame(raw);
          if (!frame) {
            send(socket, { type: 'error', code: 'bad_frame', detail: 'Unrecognised frame' });
            return;
          }
          if (frame.type === 'ping') {
            send(socket, { type: 'pong' });
            return;
          }
          if (frame.type === 'sync') {
            const conversation = customerId ? await store.conversations.latest(customerId, inbox.id) : null;
            if (!conversation) {
              send(socket, { type: 'history', conversationId: null, messages: [] });
              return;
            }
            const [messages, names] = await Promise.all([
              store.messages.listAfter(conversation.id, frame.after, SYNC_LIMIT),
              authorNames(store),
            ]);
            send(socket, {
              type: 'history',
              conversationId: conversation.id,
              messages: messages.map((m) => widgetMessageDto(m, names)),
            });
            return;
          }
          const text = frame.text.trim();
          if (text.length === 0 || frame.text.length > WIDGET_MAX_TEXT) {
            send(socket, {
              type: 'error',
              code: 'validation_failed',
              detail: `Text must have 1–${WIDGET_MAX_TEXT} characters`,
              clientMessageId: frame.clientMessageId,
            });
            return;
          }
          const result = await ctx.commands.receiveCustomerMessage(workspaceId, {
            inboxId: inbox.id,
            identity: { kind: 'visitor', value: visitorId },
            text,
            idempotencyKey: `visitor:${visitorId}:${frame.clientMessageId}`,
            clientMessageId: frame.clientMessageId,
          });
          attach(result.conversation.customerId);
          send(socket, {
            type: 'ack',
            clientMessageId: frame.clientMessageId,
            conversationId: result.conversation.id,
            duplicate: result.duplicate,
            message: widgetMessageDto(result.message, new Map()),
          });
        }

        await queue.catch((err) => {
          request.log.error({ err }, 'widget session failed to start');
          socket.close(1011, 'internal error');
        });
      },
    });
  };
