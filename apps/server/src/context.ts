// The services one app instance is built from (see app.ts), and what Fastify knows about requests.

import type { HttpClient, SmtpListener } from '@zhike/channels';
import type { Clock, EventBus, Permission, User } from '@zhike/core';
import type { Database } from '@zhike/db';
import type { BlobStore } from '@zhike/providers';
import type { FastifySchema } from 'fastify';
import type { Logger } from 'pino';
import type { HandoffCards } from './assist/handoffCards.ts';
import type { ReplySuggestions } from './assist/replySuggestions.ts';
import type { TemplateBot } from './bot/templateBot.ts';
import type { Dialler } from './campaigns/dialler.ts';
import type { IntakeDrain } from './channels/intakeDrain.ts';
import type { ChannelRegistry } from './channels/registry.ts';
import type { Commands } from './commands.ts';
import type { Config } from './config.ts';
import type { CostMeter } from './costs/costMeter.ts';
import type { GatewayHub } from './gateway/hub.ts';
import type { InFlight } from './gateway/inFlight.ts';
import type { Worker } from './jobs/worker.ts';
import type { OverloadGuard } from './limits/overload.ts';
import type { RateLimiter } from './limits/rateLimiter.ts';
import type { Observability } from './observability/observability.ts';
import type { AttachmentFiles } from './privacy/attachmentFiles.ts';
import type { PdfPrinter } from './reviews/pdf.ts';
import type { SeedResult } from './seed.ts';
import type { SurveyCommands } from './surveys/surveyCommands.ts';
import type { TopicReports } from './topics/topicReports.ts';
import type { TranslationService } from './translation/service.ts';
import type { VoiceServices } from './voice/index.ts';

export interface AppContext {
  config: Config;
  db: Database;
  bus: EventBus;
  clock: Clock;
  newId: () => string;
  log: Logger;
  /** The template bot; routes use its knowledge sync and preview besides `decide`. */
  bot: TemplateBot;
  worker: Worker;
  /** Stores the API messages acknowledged before being stored (`Prefer: respond-async`). */
  intake: IntakeDrain;
  commands: Commands;
  /** Stored hand-off cards, computed when the bot hands a conversation to people. */
  handoffCards: HandoffCards;
  hub: GatewayHub;
  /** Socket work (a widget message being stored) that shutdown waits for before closing the database. */
  inFlight: InFlight;
  /** Request budgets (in Redis when configured, so shared by every process). */
  rateLimiter: RateLimiter;
  /** Says when the event loop lags too much to take new requests. */
  overload: OverloadGuard;
  /** Agent assist's reply suggestions (with each workspace's history index). */
  assist: ReplySuggestions;
  /** Provider-channel adapters by registry id (SMS vendors, email, WeChat). */
  channels: ChannelRegistry;
  /** How adapters reach providers: the SSRF-guarded fetch with ZHIKE_CHANNEL_ALLOW_HOSTS and a timeout. */
  channelHttp: HttpClient;
  /** How adapters with sockets of their own (SMTP) reach providers: the same rule as channelHttp. */
  channelRelay: (hostname: string) => Promise<string>;
  /** The inbound SMTP listener of email inboxes, when ZHIKE_SMTP_PORT is set. */
  smtp: SmtpListener | null;
  /** How long a passive-reply hook (WeChat) waits for the bot's answer. */
  passiveReplyWaitMs: number;
  seed: SeedResult;
  /** Calls (phone and browser): the entry point, the live-call registry, recordings. */
  voice: VoiceServices;
  /** Where attachment and recording files live: the data directory or an S3-compatible bucket. */
  fileStore: BlobStore;
  /** Encrypted attachment files in `fileStore`. */
  attachments: AttachmentFiles;
  /** Runs outbound call campaigns. */
  dialler: Dialler;
  /** Follow-up surveys and complaint closure. */
  surveys: SurveyCommands;
  /** Live translation: each workspace's provider, conversation switches, message translations. */
  translation: TranslationService;
  /** Cost metering and the monthly budget's hard cap. */
  costs: CostMeter;
  /** Prints the weekly review (one browser per app, kept while prints follow each other). */
  pdf: PdfPrinter;
  /** Topic and emotion reports of a period (cached per workspace and period). */
  topics: TopicReports;
  /** Where the built console, widget and demo page live. */
  repoRoot: string;
  /** Metrics (GET /metrics), the Telemetry port the parts report through, and the optional tracer. */
  observability: Observability;
  /** Every registered route, for introspection (the tenant-isolation test walks it). */
  routes: RouteInfo[];
}

export interface RouteInfo {
  method: string;
  url: string;
  auth: AuthMode | undefined;
  websocket: boolean;
  /** As registered: the tenancy matrix builds valid bodies and queries from it. */
  schema: FastifySchema | undefined;
}

export type Principal =
  | {
      kind: 'user';
      workspaceId: string;
      user: User;
      sessionId: string;
      csrfToken: string;
      permissions: ReadonlySet<Permission>;
    }
  | { kind: 'apiKey'; workspaceId: string; apiKeyId: string; permissions: ReadonlySet<Permission> };

/** Who may call a route. Routes under /api/v1 default to 'session'. */
export type AuthMode = 'public' | 'session' | 'apiKey' | 'sessionOrApiKey';

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: AuthMode;
    permission?: Permission;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyInstance {
    zhike: AppContext;
  }
}
