// The widget's HTTP bootstrap: inbox config and visitor sessions (new or resumed, with history).
// Cross-origin by nature (the widget runs on the shop's site), so these routes answer CORS.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { WidgetConfig, WidgetConfigQuery, WidgetSession, WidgetSessionBody } from '@zhike/contracts';
import Type from 'typebox';
import { signVisitorToken, verifyVisitorToken } from '../auth/secrets.ts';
import type { AppContext } from '../context.ts';
import { takesCalls } from '../gateway/visitorCalls.ts';
import { authorNames, widgetMessageDto } from './presenters.ts';
import { HttpProblem } from './problems.ts';
import { problems } from './schemas.ts';
import { widgetInbox } from './widgetAccess.ts';
import { identityClaims } from './widgetIdentity.ts';

const HISTORY = 100;

export const widgetRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.addHook('onRequest', async (request, reply) => {
      const origin = request.headers.origin;
      if (origin && request.url.startsWith('/api/v1/widget/')) {
        // Whether this origin may use the inbox is decided per request (widgetInbox); CORS only lets
        // the browser read that answer.
        reply.header('access-control-allow-origin', origin);
        reply.header('vary', 'origin');
      }
    });

    app.options(
      '/api/v1/widget/*',
      { config: { auth: 'public' }, schema: { hide: true, response: { 204: Type.Null() } } },
      async (_request, reply) =>
        reply
          .header('access-control-allow-methods', 'GET, POST, OPTIONS')
          .header('access-control-allow-headers', 'content-type')
          .header('access-control-max-age', '600')
          .code(204)
          .send(null),
    );

    app.get(
      '/api/v1/widget/config',
      {
        config: { auth: 'public' },
        schema: {
          tags: ['widget'],
          summary: 'Widget settings for an inbox token',
          querystring: WidgetConfigQuery,
          response: { 200: WidgetConfig, ...problems },
        },
      },
      async (request) => {
        const inbox = await widgetInbox(ctx, request, request.query.inbox);
        const store = ctx.db.forWorkspace(inbox.workspaceId);
        const [workspace, inboxes] = await Promise.all([store.workspace.get(), store.inboxes.list()]);
        return {
          inboxId: inbox.id,
          name: workspace.name,
          greeting: inbox.greeting,
          locale: workspace.locale,
          voiceCalls: takesCalls(inboxes),
        };
      },
    );

    app.post(
      '/api/v1/widget/sessions',
      {
        config: { auth: 'public' },
        schema: {
          tags: ['widget'],
          summary: 'Start or resume a visitor session',
          body: WidgetSessionBody,
          response: { 200: WidgetSession, ...problems },
        },
      },
      async (request) => {
        const perMinute = ctx.config.limits.widgetSessionsPerMinute;
        if (perMinute > 0) {
          const budget = await ctx.rateLimiter.hit(`widget-session:${request.ip}`, perMinute, 60_000);
          if (!budget.allowed)
            throw HttpProblem.retryLater(
              'rate_limited',
              'Too many chat sessions from this address',
              budget.retryAfterMs,
            );
        }
        const inbox = await widgetInbox(ctx, request, request.body.inbox);
        const store = ctx.db.forWorkspace(inbox.workspaceId);
        const claimed = request.body.visitorToken
          ? verifyVisitorToken(ctx.config.secret, inbox.id, request.body.visitorToken)
          : null;
        const visitorId = claimed && /^[0-9a-f-]{36}$/.test(claimed) ? claimed : ctx.newId();
        const visitorToken = signVisitorToken(ctx.config.secret, inbox.id, visitorId);
        const name = request.body.name?.trim();
        const visitor = { kind: 'visitor' as const, value: visitorId, verified: true, source: 'widget' };
        const identity = request.body.identity;
        const customer = identity
          ? (
              await ctx.commands.identifyCustomer(inbox.workspaceId, {
                identity: visitor,
                // Checked before anything is stored: a wrong signature leaves no trace.
                claims: identityClaims(identity, await store.inboxes.identitySecret(inbox.id)),
                ...((identity.name ?? name) ? { name: identity.name ?? name } : {}),
                source: 'widget',
              })
            ).customer
          : name
            ? await ctx.commands.nameCustomer(inbox.workspaceId, { identity: visitor, name })
            : claimed
              ? await store.customers.findByIdentity('visitor', visitorId)
              : null;
        const conversation = customer ? await store.conversations.latest(customer.id, inbox.id) : null;
        if (!conversation) return { visitorId, visitorToken, conversationId: null, messages: [] };
        const [messages, names] = await Promise.all([
          store.messages.list(conversation.id, { limit: HISTORY }),
          authorNames(store),
        ]);
        return {
          visitorId,
          visitorToken,
          conversationId: conversation.id,
          messages: messages.filter((m) => !m.metadata?.internal).map((m) => widgetMessageDto(m, names)),
        };
      },
    );
  };
