// WS /api/v1/widget/ws: the visitor's chat. A send is acknowledged only after it is committed; resending
// a clientMessageId returns the original message (duplicate=true). `sync` replays what was missed, in pages.
// A visitor the server does not recognise, or a page on a foreign origin, gets an accepted upgrade closed
// with a WIDGET_CLOSE code: a refused handshake would reach the browser only as an anonymous 1006.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  WIDGET_CLOSE,
  WIDGET_MAX_TEXT,
  WIDGET_SYNC_LIMIT,
  type WidgetClientFrame,
  type WidgetCloseCode,
  type WidgetSocketErrorCode,
  WidgetWsQuery,
} from '@zhike/contracts';
import { DomainError, type Inbox, queuePlaces, waitMinutes } from '@zhike/core';
import type { FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { verifyVisitorToken } from '../auth/secrets.ts';
import type { AppContext } from '../context.ts';
import { authorNames, widgetMessageDto } from '../http/presenters.ts';
import { HttpProblem, sendProblem } from '../http/problems.ts';
import { widgetInbox } from '../http/widgetAccess.ts';
import type { BrowserCalls } from '../voice/webrtc/browserCalls.ts';
import { isCallFrameType } from './callFrames.ts';
import { send } from './hub.ts';
import { takesCalls, visitorCallSession } from './visitorCalls.ts';

/** Sends one socket may make per window before it gets `rate_limited` errors. */
const SEND_BURST = 20;
const SEND_WINDOW_MS = 10_000;

/** The chat frames; call frames go to visitorCalls. */
type ChatFrame = Exclude<WidgetClientFrame, { type: `call.${string}` }>;

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return null;
  }
}

function parseFrame(value: unknown): ChatFrame | null {
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

/** What the upgrade's preHandler decided, handed to the socket handler. */
type Admission =
  | { ok: true; inbox: Inbox; visitorId: string }
  | { ok: false; code: WidgetCloseCode; reason: string };

const refusals: Partial<Record<HttpProblem['code'], WidgetCloseCode>> = {
  origin_not_allowed: WIDGET_CLOSE.originNotAllowed,
  not_found: WIDGET_CLOSE.unknownInbox,
};

/** The socket error for a failure while handling a frame; anything unexpected is `internal`. */
const errorCodeOf = (error: unknown): WidgetSocketErrorCode =>
  error instanceof DomainError && error.code === 'not_found' ? 'not_found' : 'internal';

/** `calls`: browser calls (the call button); null while the server runs without the voice channel. */
export const widgetGateway =
  (ctx: AppContext, calls: BrowserCalls | null = null): FastifyPluginAsyncTypebox =>
  async (app) => {
    const admissions = new WeakMap<FastifyRequest, Admission>();
    app.route({
      method: 'GET',
      url: '/api/v1/widget/ws',
      config: { auth: 'public' },
      schema: { hide: true, querystring: WidgetWsQuery },
      preHandler: async (request) => {
        const query = request.query as { inbox: string; visitorToken: string };
        let admission: Admission;
        try {
          const inbox = await widgetInbox(ctx, request, query.inbox);
          const visitorId = verifyVisitorToken(ctx.config.secret, inbox.id, query.visitorToken);
          admission = visitorId
            ? { ok: true, inbox, visitorId }
            : {
                ok: false,
                code: WIDGET_CLOSE.unknownVisitor,
                reason: 'unknown visitor; start a new session',
              };
        } catch (error) {
          const problem = error instanceof HttpProblem ? error : null;
          const code = problem ? refusals[problem.code] : undefined;
          if (!problem || !code || !request.ws) throw error;
          admission = { ok: false, code, reason: problem.message.slice(0, 100) };
        }
        // Plain HTTP callers still get the problem+json they can read.
        if (!admission.ok && !request.ws && admission.code === WIDGET_CLOSE.unknownVisitor)
          throw new HttpProblem('unauthenticated', 'Unknown visitor token; start a session first');
        admissions.set(request, admission);
      },
      handler: async (_request, reply) =>
        sendProblem(reply, 'validation_failed', 'This endpoint speaks WebSocket'),
      wsHandler: async (socket: WebSocket, request) => {
        const visitor = admissions.get(request);
        if (!visitor?.ok) {
          socket.close(visitor?.code ?? WIDGET_CLOSE.unknownVisitor, visitor?.reason ?? 'unauthenticated');
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
        const call = visitorCallSession(
          calls,
          socket,
          {
            workspaceId,
            inboxId: inbox.id,
            visitorId,
            enabled: async () => takesCalls(await store.inboxes.list()),
          },
          request.log,
        );
        const ended = ctx.observability.telemetry.socketOpened('widget');
        socket.on('close', () => {
          ended();
          detach?.();
          call.close();
        });

        // Frames are handled one at a time, after the greeting, so acks leave in the order sends arrived.
        let queue = (async () => {
          const customer = await store.customers.findByIdentity('visitor', visitorId);
          if (customer) attach(customer.id);
          const conversation = customer ? await store.conversations.latest(customer.id, inbox.id) : null;
          send(socket, { type: 'ready', visitorId, conversationId: conversation?.id ?? null });
        })();
        const recentSends: number[] = [];
        socket.on('message', (raw) => {
          const value = parseJson(String(raw));
          // Calls run beside the chat queue: answering an offer takes a moment and must not hold up sends.
          if (isCallFrameType(value)) {
            void call.handle(value);
            return;
          }
          const frame = parseFrame(value);
          queue = ctx.inFlight.track(
            queue
              .then(() => handle(frame))
              .catch((err) => {
                request.log.error({ err }, 'widget frame failed');
                const code = errorCodeOf(err);
                send(socket, {
                  type: 'error',
                  code,
                  detail: err instanceof DomainError ? err.message : 'Something went wrong; please resend',
                  ...(frame?.type === 'send' ? { clientMessageId: frame.clientMessageId } : {}),
                });
              }),
          );
        });

        async function handle(frame: ChatFrame | null): Promise<void> {
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
              send(socket, { type: 'history', conversationId: null, messages: [], hasMore: false });
              return;
            }
            const [rows, names] = await Promise.all([
              store.messages.listAfter(conversation.id, frame.after, WIDGET_SYNC_LIMIT + 1),
              authorNames(store),
            ]);
            send(socket, {
              type: 'history',
              conversationId: conversation.id,
              messages: rows
                .slice(0, WIDGET_SYNC_LIMIT)
                .filter((m) => !m.metadata?.internal)
                .map((m) => widgetMessageDto(m, names)),
              hasMore: rows.length > WIDGET_SYNC_LIMIT,
            });
            // A visitor (re)connecting while in line sees their place at once, not at the next change.
            if (conversation.waitingSince && !conversation.assigneeId) {
              const places = await queuePlaces(store, store.workspaceId, ctx.clock.now());
              const place = places.find((p) => p.conversationId === conversation.id);
              if (place)
                send(socket, {
                  type: 'queue',
                  conversationId: conversation.id,
                  position: place.position,
                  waitMinutes: place.waitSeconds === null ? null : waitMinutes(place.waitSeconds),
                });
            }
            return;
          }
          const now = ctx.clock.now().getTime();
          while (recentSends.length > 0 && (recentSends[0] ?? 0) <= now - SEND_WINDOW_MS) recentSends.shift();
          if (recentSends.length >= SEND_BURST) {
            send(socket, {
              type: 'error',
              code: 'rate_limited',
              detail: 'Too many messages; wait a moment and resend',
              clientMessageId: frame.clientMessageId,
            });
            return;
          }
          recentSends.push(now);
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
            identity: { kind: 'visitor', value: visitorId, verified: true, source: 'widget' },
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
