// The composition root: builds one Zhike server from a Config. No module-level state, so tests can run
// several apps (two workspaces, two "processes") side by side.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { registerAjvFormats, TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import websocket from '@fastify/websocket';
import type { compileBot } from '@zhike/bot';
import { relayGuard, type SmtpListener } from '@zhike/channels';
import { type Clock, createIdGenerator, type EventBus, systemClock } from '@zhike/core';
import { type Database, openDatabase } from '@zhike/db';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import pino, { type Logger } from 'pino';
import { startAssistListener } from './assist/assistListener.ts';
import { createHandoffCards, handoffCardHandler, listenForHandoffs } from './assist/handoffCards.ts';
import { createHandoffSummaryWriter } from './assist/handoffSummaryWriter.ts';
import { createReplySuggestions } from './assist/replySuggestions.ts';
import { registerAuthentication } from './auth/authenticate.ts';
import { purgeEndedSessions, sessionPolicyOf } from './auth/sessions.ts';
import { createLlmAnswerWriter } from './bot/llmAnswers.ts';
import { createTemplateBot, type TemplateBot } from './bot/templateBot.ts';
import { channelHttpClient } from './channels/adapterContext.ts';
import { startEmailListener } from './channels/emailInbound.ts';
import { PASSIVE_WAIT_MS } from './channels/passiveReply.ts';
import { type AnyChannelAdapter, createChannelRegistry } from './channels/registry.ts';
import { createCommands } from './commands.ts';
import type { Config } from './config.ts';
import type { AppContext } from './context.ts';
import { createMemoryBus } from './events/memoryBus.ts';
import { createRedisBus } from './events/redisBus.ts';
import { consoleGateway } from './gateway/consoleGateway.ts';
import { createGatewayHub } from './gateway/hub.ts';
import { widgetGateway } from './gateway/widgetGateway.ts';
import { agentMetricsRoutes } from './http/agentMetrics.ts';
import { apiKeyRoutes } from './http/apiKeys.ts';
import { assistRoutes } from './http/assist.ts';
import { auditRoutes } from './http/audit.ts';
import { authRoutes } from './http/auth.ts';
import { botAnalyticsRoutes } from './http/botAnalytics.ts';
import { botSettingsRoutes } from './http/botSettings.ts';
import { channelInboxRoutes } from './http/channelInboxes.ts';
import { connectorRoutes } from './http/connectors.ts';
import { conversationRoutes } from './http/conversations.ts';
import { customer360Routes } from './http/customer360.ts';
import { customerProfileRoutes } from './http/customerProfiles.ts';
import { customerRoutes } from './http/customers.ts';
import { dialogueRoutes } from './http/dialogue.ts';
import { directoryRoutes } from './http/directory.ts';
import { healthRoutes } from './http/health.ts';
import { hookRoutes } from './http/hooks.ts';
import { inboundRoutes } from './http/inbound.ts';
import { knowledgeRoutes } from './http/knowledge.ts';
import { knowledgeSearchRoutes } from './http/knowledgeSearch.ts';
import { orderRoutes } from './http/orders.ts';
import { privacyRoutes } from './http/privacy.ts';
import { registerProblemHandlers } from './http/problems.ts';
import { queueRoutes, registerAgentActivity } from './http/queues.ts';
import { replyTemplateRoutes } from './http/replies.ts';
import { revealRoutes } from './http/reveal.ts';
import { routingRoutes } from './http/routing.ts';
import { registerSecurityHeaders } from './http/securityHeaders.ts';
import { siteRoutes } from './http/site.ts';
import { userAccessRoutes } from './http/userAccess.ts';
import { widgetRoutes } from './http/widget.ts';
import { botReplyHandler } from './jobs/botReply.ts';
import { channelDeliveryHandler } from './jobs/channelDelivery.ts';
import { queueJobHandlers } from './jobs/queueJobs.ts';
import { webhookDeliveryHandler } from './jobs/webhookDelivery.ts';
import { createWorker, type Worker } from './jobs/worker.ts';
import { type ActivityListener, startActivityListener } from './metrics/activityListener.ts';
import { attachmentFilesOf } from './privacy/attachmentFiles.ts';
import { applyRetention } from './privacy/retention.ts';
import { seedOnFirstStart } from './seed.ts';

export interface AppOptions {
  clock?: Clock;
  /** Where apps/console/dist, apps/widget/dist and apps/widget/demo are looked up. */
  repoRoot?: string;
  /** Job worker idle poll interval; tests shorten it. */
  jobPollMs?: number;
  /** false = do not start the job worker (tests drive it with app.zhike.worker.runDue()). */
  startWorker?: boolean;
  /** Redis pub/sub channel for domain events. */
  redisChannel?: string;
  logger?: Logger;
  /** Replaces the bot compiler; tests count compilations with it. */
  compileBot?: typeof compileBot;
  /** Adapters besides the production registry's (tests bring a fake provider's; never in production). */
  channelAdapters?: readonly AnyChannelAdapter[];
  /** How long a passive-reply hook waits for the bot (default 4 s, under WeChat's 5 s); tests shorten it. */
  passiveReplyWaitMs?: number;
}

export type ZhikeApp = FastifyInstance;

const defaultRepoRoot = fileURLToPath(new URL('../../../', import.meta.url));

function createLogger(config: Config): Logger {
  return pino({
    level: config.logLevel,
    // Message text and customer data never reach logs: no bodies are logged, and tokens are redacted.
    redact: ['req.headers.cookie', 'req.headers.authorization', 'req.headers["x-csrf-token"]'],
  });
}

export async function createApp(config: Config, options: AppOptions = {}): Promise<ZhikeApp> {
  const clock = options.clock ?? systemClock;
  const newId = createIdGenerator(clock);
  const log = options.logger ?? createLogger(config);
  const repoRoot = options.repoRoot ?? defaultRepoRoot;

  const db = openDatabase({ url: config.databaseUrl, newId, masterKeys: config.masterKeys });
  let bus: EventBus | null = null;
  let smtp: SmtpListener | null = null;
  let activity: ActivityListener | null = null;
  try {
    await db.migrate();
    try {
      await db.keyring?.assertMasterKeyMatches();
    } catch (error) {
      throw new Error(
        `Master key mismatch: ${(error as Error).message}. Every process sharing this database needs the same ZHIKE_MASTER_KEY or master key file.`,
      );
    }
    const templatesDir = join(repoRoot, 'templates');
    const seed = await seedOnFirstStart({ db, config, newId, now: clock.now(), templatesDir });
    const onBusError = (err: unknown) => log.error({ err }, 'event bus error');
    bus = config.redisUrl
      ? await createRedisBus({
          url: config.redisUrl,
          channel: options.redisChannel ?? 'zhike:events',
          onError: onBusError,
        })
      : createMemoryBus(onBusError);
    const bot = createTemplateBot({
      db,
      templatesDir,
      newId,
      ...(options.compileBot ? { compile: options.compileBot } : {}),
    });

    const channels = createChannelRegistry(options.channelAdapters);
    const channelHttp = channelHttpClient({ allowHosts: config.channelAllowHosts });
    const channelRelay = relayGuard({ allowHosts: config.channelAllowHosts });
    let worker: Worker | null = null;
    const answerWriter = config.llm ? createLlmAnswerWriter(config.llm, { log }) : null;
    const commands = createCommands({
      db,
      bus,
      clock,
      newId,
      bot,
      answerWriter,
      log,
      wakeWorker: () => worker?.wake(),
    });
    const handoffCards = createHandoffCards({
      db,
      clock,
      writer: config.llm ? createHandoffSummaryWriter(config.llm, { log }) : null,
    });
    // Bound to the bus: closing the bus ends the subscription.
    listenForHandoffs({ bus, db, clock, wakeWorker: () => worker?.wake() });
    worker = createWorker({
      queue: db.jobs,
      clock,
      log,
      pollMs: options.jobPollMs,
      housekeeping: async () => {
        await db.audit.purge(config.auditRetentionDays);
        await purgeEndedSessions({ db, clock, config });
        await applyRetention({ db, clock, log }, attachmentFilesOf(config));
      },
      handlers: {
        'bot.reply': botReplyHandler(commands),
        'webhook.deliver': webhookDeliveryHandler({ db, allowHosts: config.webhookAllowHosts }),
        'channel.deliver': channelDeliveryHandler({
          db,
          channels,
          http: channelHttp,
          resolveRelay: channelRelay,
          clock,
          bus,
          log,
          files: attachmentFilesOf(config),
        }),
        ...queueJobHandlers(commands),
        'handoff.card': handoffCardHandler(handoffCards),
      },
    });
    const hub = createGatewayHub({ db, bus, log });
    activity = startActivityListener({ db, bus, log });
    const assist = createReplySuggestions({
      db,
      bot,
      log,
      historyConversations: config.assistHistoryConversations,
    });
    const ctx: AppContext = {
      config,
      db,
      bus,
      clock,
      newId,
      log,
      bot,
      worker,
      commands,
      handoffCards,
      hub,
      assist,
      channels,
      channelHttp,
      channelRelay,
      smtp: null,
      passiveReplyWaitMs: options.passiveReplyWaitMs ?? PASSIVE_WAIT_MS,
      seed,
      repoRoot,
      routes: [],
    };
    if (config.smtp) {
      const files = attachmentFilesOf(config);
      smtp = await startEmailListener(
        config.smtp,
        { db, bus, commands, clock, newId, log, files },
        smtpName(config),
      );
      ctx.smtp = smtp;
      log.info({ port: smtp.port }, 'SMTP listener for email inboxes started');
    }
    const app = await buildHttp(ctx, botWarmUp(db, bot, log), activity);
    if (options.startWorker !== false) worker.start();
    return app;
  } catch (error) {
    await smtp?.close().catch(() => {});
    await activity?.stop().catch(() => {});
    await bus?.close().catch(() => {});
    await db.close().catch(() => {});
    throw error;
  }
}

/** The name the listener greets with: the public host, as senders see it in our Received lines. */
function smtpName(config: Config): string {
  return new URL(config.publicUrl).hostname;
}

interface BotWarmUp {
  start(): void;
  /** Stops before the next workspace and waits for the compile under way, if any. */
  stop(): Promise<void>;
}

/**
 * Compiles every workspace's bot once the server listens, so no visitor waits ~1 s for the first reply
 * and no first message stalls the event loop for everyone. A compile is synchronous CPU, so workspaces go
 * one at a time with a turn of the event loop between them for requests (health checks) to get through.
 */
function botWarmUp(db: Database, bot: TemplateBot, log: Logger): BotWarmUp {
  let stopped = false;
  let done: Promise<void> | null = null;
  const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
  const run = async () => {
    await yieldToLoop(); // let listen() return and the first requests in before any compile
    if (stopped) return;
    const started = Date.now();
    const workspaces = await db.directory.botWorkspaces();
    for (const { id, locale } of workspaces) {
      if (stopped) return;
      await bot
        .warm(id, locale)
        .catch((err: unknown) => log.warn({ err, workspaceId: id }, 'bot warm-up failed'));
      await yieldToLoop();
    }
    log.info({ workspaces: workspaces.length, ms: Date.now() - started }, 'bots warmed');
  };
  return {
    start() {
      done ??= run().catch((err: unknown) => {
        if (!stopped) log.warn({ err }, 'bot warm-up failed');
      });
    },
    async stop() {
      stopped = true;
      await done;
    },
  };
}

async function buildHttp(
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
  });
  registerAjvFormats();
  app.setValidatorCompiler(TypeBoxValidatorCompiler);
  app.decorate('zhike', ctx);
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
  await app.register(customerRoutes(ctx));
  await app.register(customer360Routes(ctx));
  await app.register(directoryRoutes(ctx));
  await app.register(inboundRoutes(ctx));
  await app.register(knowledgeRoutes(ctx));
  await app.register(knowledgeSearchRoutes(ctx));
  await app.register(orderRoutes(ctx));
  await app.register(privacyRoutes(ctx, attachmentFilesOf(ctx.config)));
  await app.register(routingRoutes(ctx));
  await app.register(customerProfileRoutes(ctx));
  await app.register(queueRoutes(ctx));
  await app.register(replyTemplateRoutes(ctx));
  await app.register(widgetRoutes(ctx));
  await app.register(widgetGateway(ctx));
  await app.register(consoleGateway(ctx));
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
    await ctx.worker.stop();
    ctx.hub.stop();
    await activity.stop();
    await ctx.bus.close();
    await ctx.db.close();
  });
  await app.ready();
  return app;
}
