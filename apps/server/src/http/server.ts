// The HTTP face of one app: Fastify with its hooks, OpenAPI, WebSockets and every context's routes, and
// the shutdown order that closes them. createApp (the composition root) builds the context it serves.
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { registerAjvFormats } from '@fastify/type-provider-typebox';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import { startAssistListener } from '../assist/assistListener.ts';
import { registerAuthentication } from '../auth/authenticate.ts';
import { sessionPolicyOf } from '../auth/sessions.ts';
import type { BotWarmUp } from '../bot/warmUp.ts';
import type { AppContext } from '../context.ts';
import { consoleGateway } from '../gateway/consoleGateway.ts';
import { widgetGateway } from '../gateway/widgetGateway.ts';
import { ALWAYS_ANSWERED } from '../limits/overload.ts';
import type { ActivityListener } from '../metrics/activityListener.ts';
import { metricsRoutes, registerObservability } from '../observability/http.ts';
import { createCallbacks } from '../voice/callback.ts';
import { createBrowserCalls } from '../voice/webrtc/browserCalls.ts';
import { agentMetricsRoutes } from './agentMetrics.ts';
import { apiKeyRoutes } from './apiKeys.ts';
import { assistRoutes } from './assist.ts';
import { auditRoutes } from './audit.ts';
import { authRoutes } from './auth.ts';
import { botAnalyticsRoutes } from './botAnalytics.ts';
import { botSettingsRoutes } from './botSettings.ts';
import { callRoutes } from './calls.ts';
import { campaignRoutes } from './campaigns.ts';
import { channelInboxRoutes } from './channelInboxes.ts';
import { complaintRoutes } from './complaints.ts';
import { connectorRoutes } from './connectors.ts';
import { conversationRoutes } from './conversations.ts';
import { costRoutes } from './costs.ts';
import { customer360Routes } from './customer360.ts';
import { customerProfileRoutes } from './customerProfiles.ts';
import { customerRoutes } from './customers.ts';
import { dialogueRoutes } from './dialogue.ts';
import { directoryRoutes } from './directory.ts';
import { healthRoutes } from './health.ts';
import { hookRoutes } from './hooks.ts';
import { inboundRoutes } from './inbound.ts';
import { jobRoutes } from './jobs.ts';
import { knowledgeRoutes } from './knowledge.ts';
import { knowledgeSearchRoutes } from './knowledgeSearch.ts';
import { kpiRoutes } from './kpis.ts';
import { lazySerializers, lazyTypeBoxValidator } from './lazySchemas.ts';
import { orderRoutes } from './orders.ts';
import { outreachRoutes } from './outreach.ts';
import { privacyRoutes } from './privacy.ts';
import { registerProblemHandlers, sendProblem } from './problems.ts';
import { qualityRoutes } from './quality.ts';
import { queueRoutes, registerAgentActivity } from './queues.ts';
import { replyTemplateRoutes } from './replies.ts';
import { revealRoutes } from './reveal.ts';
import { reviewRoutes } from './reviews.ts';
import { routingRoutes } from './routing.ts';
import { registerSecurityHeaders } from './securityHeaders.ts';
import { siteRoutes } from './site.ts';
import { slaRoutes } from './sla.ts';
import { surveyPageRoutes } from './surveyPage.ts';
import { surveyRoutes } from './surveys.ts';
import { ticketSettingsRoutes } from './ticketSettings.ts';
import { ticketRoutes } from './tickets.ts';
import { ticketWatcherRoutes } from './ticketWatchers.ts';
import { topicRoutes } from './topics.ts';
import { translationRoutes } from './translation.ts';
import { unsubscribeRoutes } from './unsubscribe.ts';
import { userAccessRoutes } from './userAccess.ts';
import { widgetRoutes } from './widget.ts';

export async function buildHttp(
  ctx: AppContext,
  warmUp: BotWarmUp,
  activity: ActivityListener,
): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: ctx.log as FastifyBaseLogger,
    bodyLimit: ctx.config.bodyLimit,
    trustProxy: ctx.config.trustProxy,
    genReqId: () => ctx.newId(),
    return503OnClosing: true,
    // Requests are logged below without query strings (visitor tokens travel there).
    logController: new LogController({ disableRequestLogging: true }),
    forceCloseConnections: 'idle',
    schemaController: { compilersFactory: { buildSerializer: lazySerializers() } },
  });
  registerAjvFormats();
  app.setValidatorCompiler(lazyTypeBoxValidator);
  app.decorate('zhike', ctx);
  // First, so its request timing and trace span cover every other hook.
  registerObservability(app, ctx);
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      {
        method: request.method,
        path: request.url.split('?')[0],
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
      },
      'request',
    );
  });
  app.addHook('onRoute', (route) => {
    const auth = route.config?.auth;
    if (route.schema && auth && auth !== 'public') {
      const schemes: Record<string, Record<string, string[]>[]> = {
        session: [{ session: [] }],
        apiKey: [{ apiKey: [] }],
        sessionOrApiKey: [{ session: [] }, { apiKey: [] }],
      };
      route.schema.security = schemes[auth];
    }
    for (const method of [route.method].flat()) {
      ctx.routes.push({
        method,
        url: route.url,
        auth: route.config?.auth,
        websocket: Boolean(route.websocket || route.wsHandler),
        schema: route.schema,
      });
    }
  });
  // Shed load at the door: a request refused here was never accepted (see limits/overload.ts).
  app.addHook('onRequest', async (request, reply) => {
    if (!ctx.overload.overloaded() || ALWAYS_ANSWERED.has(request.url.split('?')[0] ?? '')) return;
    reply.header('retry-after', '2');
    return sendProblem(reply, 'unavailable', 'The server is overloaded; please retry shortly');
  });
  // Only JSON is accepted; anything else is a 415, not a confusing validation error.
  app.removeContentTypeParser('text/plain');
  registerProblemHandlers(app);
  registerSecurityHeaders(app, ctx.config.publicUrl);

  await app.register(cookie);
  await app.register(websocket, {
    options: { maxPayload: 64 * 1024 },
    preClose: (done) => {
      ctx.hub.closeAll();
      for (const client of app.websocketServer.clients) client.close(1001, 'server shutting down');
      done();
    },
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Zhike API', version: '0.1.0', description: '智客 self-hosted customer service' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'zhike_session' },
          apiKey: { type: 'http', scheme: 'bearer' },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  registerAuthentication(app, { db: ctx.db, clock: ctx.clock, sessions: sessionPolicyOf(ctx.config) });
  registerAgentActivity(app, ctx);

  await app.register(healthRoutes(ctx));
  await app.register(metricsRoutes(ctx));
  await app.register(hookRoutes(ctx));
  await app.register(authRoutes(ctx));
  await app.register(botAnalyticsRoutes(ctx));
  await app.register(agentMetricsRoutes(ctx));
  await app.register(auditRoutes(ctx));
  await app.register(revealRoutes(ctx));
  await app.register(userAccessRoutes(ctx));
  await app.register(botSettingsRoutes(ctx));
  await app.register(dialogueRoutes(ctx));
  await app.register(apiKeyRoutes(ctx));
  await app.register(assistRoutes(ctx));
  await app.register(channelInboxRoutes(ctx));
  await app.register(connectorRoutes(ctx));
  await app.register(conversationRoutes(ctx));
  await app.register(translationRoutes(ctx));
  await app.register(costRoutes(ctx));
  await app.register(kpiRoutes(ctx));
  await app.register(reviewRoutes(ctx));
  await app.register(topicRoutes(ctx));
  await app.register(qualityRoutes(ctx));
  await app.register(customerRoutes(ctx));
  await app.register(customer360Routes(ctx));
  await app.register(callRoutes(ctx));
  await app.register(campaignRoutes(ctx));
  await app.register(slaRoutes(ctx));
  await app.register(surveyRoutes(ctx));
  await app.register(complaintRoutes(ctx));
  await app.register(surveyPageRoutes(ctx));
  await app.register(outreachRoutes(ctx));
  await app.register(unsubscribeRoutes(ctx));
  await app.register(directoryRoutes(ctx));
  await app.register(inboundRoutes(ctx));
  await app.register(jobRoutes(ctx));
  await app.register(knowledgeRoutes(ctx));
  await app.register(knowledgeSearchRoutes(ctx));
  await app.register(orderRoutes(ctx));
  await app.register(ticketRoutes(ctx));
  await app.register(ticketSettingsRoutes(ctx));
  await app.register(ticketWatcherRoutes(ctx));
  await app.register(privacyRoutes(ctx, ctx.attachments));
  await app.register(routingRoutes(ctx));
  await app.register(customerProfileRoutes(ctx));
  await app.register(queueRoutes(ctx));
  await app.register(replyTemplateRoutes(ctx));
  await app.register(widgetRoutes(ctx));
  // Browser calls (widget call button, console softphone) enter the same voiceCalls/liveCalls as phones.
  const browserCalls = createBrowserCalls({
    calls: ctx.voice.calls,
    liveCalls: ctx.voice.liveCalls,
    ice: ctx.config.webrtc,
    callbacks: ctx.config.sip
      ? createCallbacks({
          db: ctx.db,
          commands: ctx.commands,
          calls: ctx.voice.calls,
          liveCalls: ctx.voice.liveCalls,
          log: ctx.log,
          clock: ctx.voice.clock,
          newId: ctx.newId,
          dial: () => (ctx.voice.sip ? ctx.voice.sip.dial : null),
          ringTimeoutMs: ctx.config.sip.ringTimeoutMs,
        })
      : null,
    newId: ctx.newId,
    now: () => ctx.clock.now(),
  });
  await app.register(widgetGateway(ctx, browserCalls));
  await app.register(consoleGateway(ctx, browserCalls));
  await app.register(siteRoutes(ctx));

  // Drop connections whose peer vanished without a close frame (sleeping laptops, dead mobile links).
  const alive = new WeakSet<object>();
  const heartbeat = setInterval(() => {
    for (const socket of app.websocketServer.clients) {
      if (!alive.has(socket)) {
        socket.terminate();
        continue;
      }
      alive.delete(socket);
      socket.ping();
    }
  }, 30_000);
  heartbeat.unref();
  app.websocketServer.on('connection', (socket) => {
    alive.add(socket);
    socket.on('pong', () => alive.add(socket));
  });

  const stopAssist = startAssistListener({
    db: ctx.db,
    bus: ctx.bus,
    hub: ctx.hub,
    suggestions: ctx.assist,
    log: ctx.log,
  });

  // Not awaited: readiness (/healthz) never waits for bots.
  app.addHook('onListen', (done) => {
    warmUp.start();
    done();
  });
  app.addHook('onClose', async () => {
    await warmUp.stop();
    // No new mail is taken once the app is going down; a sender whose mail is cut off retries later.
    await ctx.smtp?.close();
    clearInterval(heartbeat);
    stopAssist();
    // Sockets are closed by now; what they handed in is still being stored (its ack may be lost, and the
    // widget resends it to another process under the same clientMessageId, which dedupes).
    if (!(await ctx.inFlight.settled(10_000))) ctx.log.warn('socket work still running at shutdown');
    // Calls end before the worker and database go: each call's recording and transcript are stored.
    await ctx.voice.stop();
    // Held API messages not stored by now stay held: the next process to take the lease stores them.
    await ctx.intake.stop();
    await ctx.worker.stop();
    await ctx.pdf.close();
    ctx.hub.stop();
    await activity.stop();
    await ctx.bus.close();
    await ctx.rateLimiter.close();
    ctx.overload.stop();
    await ctx.db.close();
    await ctx.fileStore.close();
  });
  await app.ready();
  return app;
}
