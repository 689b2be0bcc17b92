// The composition root: builds one Zhike server from a Config. No module-level state, so tests can run
// several apps (two workspaces, two "processes") side by side.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { relayGuard, type SmtpListener } from '@zhike/channels';
import { MAX_ATTACHMENT_BYTES } from '@zhike/contracts';
import { type Clock, createIdGenerator, type EventBus, systemClock } from '@zhike/core';
import { openDatabase } from '@zhike/db';
import type { FastifyInstance } from 'fastify';
import pino, { type Logger } from 'pino';
import { createHandoffCards, handoffCardHandler, listenForHandoffs } from './assist/handoffCards.ts';
import { createHandoffSummaryWriter } from './assist/handoffSummaryWriter.ts';
import { createReplySuggestions } from './assist/replySuggestions.ts';
import { purgeEndedSessions } from './auth/sessions.ts';
import { createLlmAnswerWriter } from './bot/llmAnswers.ts';
import { type BotCompiler, createTemplateBot } from './bot/templateBot.ts';
import { botWarmUp } from './bot/warmUp.ts';
import { type CampaignLine, createDialler } from './campaigns/dialler.ts';
import { channelHttpClient } from './channels/adapterContext.ts';
import { startEmailListener } from './channels/emailInbound.ts';
import { createIntakeDrain } from './channels/intakeDrain.ts';
import { PASSIVE_WAIT_MS } from './channels/passiveReply.ts';
import { type AnyChannelAdapter, createChannelRegistry } from './channels/registry.ts';
import { createCommands } from './commands.ts';
import type { Config } from './config.ts';
import type { AppContext } from './context.ts';
import { budgetedAnswerWriter, budgetedSummaryWriter } from './costs/budgetedWriter.ts';
import { createCostMeter } from './costs/costMeter.ts';
import { createMemoryBus } from './events/memoryBus.ts';
import { createRedisBus } from './events/redisBus.ts';
import { checkFileStore, createFileStore } from './files/fileStore.ts';
import { createGatewayHub } from './gateway/hub.ts';
import { createInFlight } from './gateway/inFlight.ts';
import { buildHttp } from './http/server.ts';
import { botReplyHandler } from './jobs/botReply.ts';
import { channelDeliveryHandler } from './jobs/channelDelivery.ts';
import { queueJobHandlers } from './jobs/queueJobs.ts';
import { webhookDeliveryHandler } from './jobs/webhookDelivery.ts';
import { createWorker, type Worker } from './jobs/worker.ts';
import { createOverloadGuard } from './limits/overload.ts';
import { createMemoryRateLimiter, createRedisRateLimiter, type RateLimiter } from './limits/rateLimiter.ts';
import { type ActivityListener, startActivityListener } from './metrics/activityListener.ts';
import { createObservability, type Observability } from './observability/observability.ts';
import { outreachJobHandlers } from './outreach/jobs.ts';
import { createAttachmentFiles } from './privacy/attachmentFiles.ts';
import { applyRetention } from './privacy/retention.ts';
import { qualityJobHandlers } from './quality/qualityJobs.ts';
import { listenForQualityInspection } from './quality/qualityListener.ts';
import { createTextAnalysis } from './quality/textAnalysis.ts';
import { reviewMailHandler, scheduleReviewMailings } from './reviews/mailing.ts';
import { createPdfPrinter } from './reviews/pdf.ts';
import { seedOnFirstStart } from './seed.ts';
import { listenForSlaActivity, slaJobHandlers } from './sla/slaJobs.ts';
import { createSurveyCommands } from './surveys/surveyCommands.ts';
import { surveyJobHandlers } from './surveys/surveyJobs.ts';
import { surveyLinks } from './surveys/surveyLinks.ts';
import { listenForSurveys } from './surveys/surveyListener.ts';
import { startTicketListener } from './tickets/ticketListener.ts';
import { createTopicReports } from './topics/topicReports.ts';
import { multilingualBot } from './translation/multilingualBot.ts';
import { createTranslationService, listenForCustomerMessages } from './translation/service.ts';
import { createVoice, type VoiceOptions, type VoiceServices } from './voice/index.ts';
import { createOutboundLine } from './voice/outboundLine.ts';
import { startSipService } from './voice/sipService.ts';

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
  compileBot?: BotCompiler;
  /** Adapters besides the production registry's (tests bring a fake provider's; never in production). */
  channelAdapters?: readonly AnyChannelAdapter[];
  /** How long a passive-reply hook waits for the bot (default 4 s, under WeChat's 5 s); tests shorten it. */
  passiveReplyWaitMs?: number;
  /** The voice bot loop and speech providers (tests bring fakes). */
  voice?: VoiceOptions;
  /** Places campaign calls instead of the voice server's SIP line (tests bring a scripted line). */
  campaignLine?: CampaignLine;
  /** The quality review sample's draw, uniform in [0, 1) (default Math.random; tests fix it). */
  qualityDraw?: () => number;
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
  // One store for every attachment and recording this process writes, reads or deletes.
  const fileStore = createFileStore(config);
  const attachments = createAttachmentFiles({ store: fileStore, maxBytes: MAX_ATTACHMENT_BYTES });
  let bus: EventBus | null = null;
  let rateLimiter: RateLimiter | null = null;
  let smtp: SmtpListener | null = null;
  let activity: ActivityListener | null = null;
  let stopTicketListener: (() => void) | null = null;
  let voiceServices: VoiceServices | null = null;
  let observability: Observability | null = null;
  try {
    await checkFileStore(fileStore);
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
    rateLimiter = config.redisUrl
      ? await createRedisRateLimiter({
          url: config.redisUrl,
          prefix: `${options.redisChannel ?? 'zhike:events'}:rate:`,
          onError: (err) => log.warn({ err }, 'rate limiter: Redis unavailable, counting locally'),
        })
      : createMemoryRateLimiter();
    observability = createObservability({ config, db, clock, log });
    const { telemetry } = observability;
    const bot = createTemplateBot({
      db,
      templatesDir,
      newId,
      telemetry,
      ...(options.compileBot ? { compile: options.compileBot } : {}),
    });

    const channels = createChannelRegistry(options.channelAdapters);
    const channelHttp = channelHttpClient({
      allowHosts: config.channelAllowHosts,
      timeoutMs: config.channelTimeoutSeconds * 1000,
    });
    const channelRelay = relayGuard({ allowHosts: config.channelAllowHosts });
    let worker: Worker | null = null;
    // Jobs that need the whole context (the weekly review reads every report) get it once it is built.
    let appContext: AppContext | null = null;
    const costs = createCostMeter({ db, bus, clock, log });
    const answerWriter = config.llm
      ? budgetedAnswerWriter(createLlmAnswerWriter(config.llm, { log, telemetry }), costs)
      : null;
    const translation = createTranslationService({
      db,
      bus,
      clock,
      log,
      http: channelHttp,
      wakeWorker: () => worker?.wake(),
      costs,
    });
    const commands = createCommands({
      db,
      bus,
      clock,
      newId,
      bot: multilingualBot(bot, translation, log),
      costs,
      answerWriter,
      log,
      wakeWorker: () => worker?.wake(),
      telemetry,
    });
    const handoffCards = createHandoffCards({
      db,
      clock,
      writer: config.llm
        ? budgetedSummaryWriter(createHandoffSummaryWriter(config.llm, { log, telemetry }), costs)
        : null,
    });
    // Bound to the bus: closing the bus ends the subscription.
    listenForHandoffs({ bus, db, clock, wakeWorker: () => worker?.wake() });
    listenForCustomerMessages({ bus, db, clock, translation, wakeWorker: () => worker?.wake() });
    const sla = { db, bus, clock, newId, log, wakeWorker: () => worker?.wake() };
    listenForSlaActivity(sla);
    const surveys = createSurveyCommands({
      db,
      bus,
      clock,
      newId,
      log,
      links: surveyLinks(config.publicUrl),
      wakeWorker: () => worker?.wake(),
    });
    listenForSurveys({ bus, db, commands: surveys, log });
    listenForQualityInspection({ bus, db, clock, log, wakeWorker: () => worker?.wake() });
    const voice = createVoice(
      {
        db,
        bus,
        commands,
        log,
        clock,
        newId,
        fileStore,
        speechModelsDir: config.speechModelsDir,
        http: channelHttp,
        costs,
      },
      options.voice,
    );
    const dialler = createDialler({
      db,
      commands,
      costs,
      clock,
      newId,
      log,
      // Bound late: the SIP user agent starts below, after the worker that ticks campaigns exists.
      line:
        options.campaignLine ??
        (config.sip
          ? createOutboundLine({
              db,
              calls: voice.calls,
              log,
              dial: () => (voice.sip ? voice.sip.dial : null),
              ringTimeoutMs: config.sip.ringTimeoutMs,
            })
          : null),
      wakeWorker: () => worker?.wake(),
    });
    worker = createWorker({
      queue: db.jobs,
      clock,
      log,
      pollMs: options.jobPollMs,
      leaseMs: config.jobLeaseSeconds * 1000,
      batchSize: config.jobConcurrency,
      telemetry,
      housekeeping: async () => {
        await db.audit.purge(config.auditRetentionDays);
        await purgeEndedSessions({ db, clock, config });
        await applyRetention({ db, clock, log }, attachments, voice.recordings);
        await scheduleReviewMailings({ db, clock });
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
          files: attachments,
          costs,
          telemetry,
        }),
        ...queueJobHandlers(commands),
        'handoff.card': handoffCardHandler(handoffCards),
        'message.translate': async (job) => {
          const { workspaceId, messageId } = job.payload as { workspaceId: string; messageId: string };
          await translation.translateIncoming(workspaceId, messageId);
        },
        'ticket.notify_customer': async (job) => {
          const { workspaceId, ticketId } = job.payload as { workspaceId: string; ticketId: string };
          await commands.tickets.notifyCustomer(workspaceId, { ticketId });
        },
        ...surveyJobHandlers({ db, bot, commands: surveys, now: () => clock.now() }),
        ...qualityJobHandlers({
          db,
          clock,
          newId,
          log,
          analysis: createTextAnalysis(),
          ...(options.qualityDraw ? { draw: options.qualityDraw } : {}),
        }),
        'review.email': reviewMailHandler(() => {
          if (!appContext) throw new Error('the app is still starting');
          return appContext;
        }),
        'campaign.tick': async (job) => {
          const { workspaceId, campaignId } = job.payload as { workspaceId: string; campaignId: string };
          await dialler.tick(workspaceId, campaignId);
        },
        ...slaJobHandlers(sla),
        ...outreachJobHandlers(
          { db, bus, channels, channelHttp, channelRelay, clock, newId, log, config, costs },
          () => worker?.wake(),
        ),
      },
    });
    const intake = createIntakeDrain({ db, commands, clock, log, pollMs: options.jobPollMs });
    const hub = createGatewayHub({ db, bus, log });
    activity = startActivityListener({ db, bus, log });
    stopTicketListener = startTicketListener({ bus, db, commands, log });
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
      intake,
      commands,
      handoffCards,
      hub,
      inFlight: createInFlight(),
      rateLimiter,
      overload: createOverloadGuard({ maxDelayMs: config.limits.maxEventLoopDelayMs }),
      assist,
      channels,
      channelHttp,
      channelRelay,
      smtp: null,
      passiveReplyWaitMs: options.passiveReplyWaitMs ?? PASSIVE_WAIT_MS,
      seed,
      voice,
      fileStore,
      attachments,
      dialler,
      surveys,
      translation,
      costs,
      topics: createTopicReports({ db, clock }),
      pdf: createPdfPrinter(config.chromiumPath),
      observability,
      repoRoot,
      routes: [],
    };
    appContext = ctx;
    if (config.smtp) {
      smtp = await startEmailListener(
        config.smtp,
        { db, bus, commands, clock, newId, log, files: attachments },
        smtpName(config),
      );
      ctx.smtp = smtp;
      log.info({ port: smtp.port }, 'SMTP listener for email inboxes started');
    }
    voiceServices = voice;
    if (config.sip)
      voice.sip = await startSipService({
        config: config.sip,
        db,
        calls: voice.calls,
        log,
        clock: voice.clock,
      });
    const app = await buildHttp(ctx, botWarmUp(db, bot, log), activity);
    if (options.startWorker !== false) {
      worker.start();
      intake.start();
    }
    return app;
  } catch (error) {
    await voiceServices?.stop().catch(() => {});
    await smtp?.close().catch(() => {});
    await activity?.stop().catch(() => {});
    stopTicketListener?.();
    await bus?.close().catch(() => {});
    await rateLimiter?.close().catch(() => {});
    await observability?.close().catch(() => {});
    await db.close().catch(() => {});
    await fileStore.close().catch(() => {});
    throw error;
  }
}

/** The name the listener greets with: the public host, as senders see it in our Received lines. */
function smtpName(config: Config): string {
  return new URL(config.publicUrl).hostname;
}
