// One app's observability: its own Prometheus registry (several apps in one test process never share
// one), the Telemetry the server's parts report through, the scrape-time gauges read from the database,
// and the tracer when OTEL_EXPORTER_OTLP_ENDPOINT is set.
//
// prom-client rather than a registry of our own: it is the reference client, gets the exposition
// format's escaping and histogram conventions right, and lets each app own a `new Registry()`. Its
// default process metrics are not used (see processMetrics.ts).
import type { Clock } from '@zhike/core';
import type { Database } from '@zhike/db';
import type { Logger } from 'pino';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Config } from '../config.ts';
import { registerProcessMetrics } from './processMetrics.ts';
import type { JobOutcome, Telemetry } from './telemetry.ts';
import { createTracer, type Tracer } from './tracing.ts';

/** Prometheus's default scrape timeout is 10 s; the database gauges get half of it. */
const DATABASE_TIMEOUT_MS = 5_000;

/** Latency buckets (seconds) for requests, jobs and NLU: 5 ms to 30 s. */
const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export interface HttpMetrics {
  /** `route` is the route's pattern (never the raw URL); `status` its class, 2xx…5xx. */
  observe(labels: { method: string; route: string; status: string }, seconds: number): void;
}

export interface Observability {
  telemetry: Telemetry;
  http: HttpMetrics;
  /** null = tracing off: no hooks, no spans, no timers. */
  tracer: Tracer | null;
  /** The exposition text, with the queue and job gauges read from the database first. */
  scrape(): Promise<string>;
  readonly contentType: string;
  close(): Promise<void>;
}

export function createObservability(deps: {
  config: Config;
  db: Database;
  clock: Clock;
  log: Logger;
}): Observability {
  const registry = new Registry();
  const registers = [registry];
  const stopProcessMetrics = registerProcessMetrics(registry);

  const httpDuration = new Histogram({
    name: 'zhike_http_request_duration_seconds',
    help: 'HTTP requests by method, route pattern (unmatched for none) and status class.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: SECONDS,
    registers,
  });
  const sockets = new Gauge({
    name: 'zhike_websocket_connections',
    help: 'Open WebSocket sessions on this process: widget visitors and console users.',
    labelNames: ['kind'] as const,
    registers,
  });
  for (const kind of ['widget', 'console'] as const) sockets.set({ kind }, 0);
  const waiting = new Gauge({
    name: 'zhike_queue_waiting_conversations',
    help: 'Conversations waiting for an agent, all workspaces: waiting (in line) or offered (an offer is out).',
    labelNames: ['state'] as const,
    registers,
  });
  const longestWait = new Gauge({
    name: 'zhike_queue_longest_wait_seconds',
    help: 'How long the longest-waiting conversation has waited for an agent, all workspaces (0 = none).',
    registers,
  });
  const jobsReady = new Gauge({
    name: 'zhike_jobs_ready',
    help: 'Jobs due that no worker holds (all processes sharing the database).',
    registers,
  });
  const jobLag = new Gauge({
    name: 'zhike_job_lag_seconds',
    help: 'Age of the oldest due, unclaimed job (0 = none): how far the workers are behind.',
    registers,
  });
  const intakeHeld = new Gauge({
    name: 'zhike_inbound_held_messages',
    help: 'API messages acknowledged (Prefer: respond-async) and not yet stored in their conversations.',
    registers,
  });
  const intakeLag = new Gauge({
    name: 'zhike_inbound_held_seconds',
    help: 'Age of the oldest held API message (0 = none): how far storing is behind acknowledging.',
    registers,
  });
  const databaseUp = new Gauge({
    name: 'zhike_database_up',
    help: 'Whether the last scrape could read the queue and job gauges from the database (1) or not (0).',
    registers,
  });
  const jobsProcessed = new Counter({
    name: 'zhike_jobs_processed_total',
    help: 'Job runs on this process by job name and outcome (done, retry, failed).',
    labelNames: ['name', 'outcome'] as const,
    registers,
  });
  const jobDuration = new Histogram({
    name: 'zhike_job_duration_seconds',
    help: 'Job runs on this process by job name.',
    labelNames: ['name'] as const,
    buckets: SECONDS,
    registers,
  });
  const nluDuration = new Histogram({
    name: 'zhike_nlu_duration_seconds',
    help: 'NLU work of the bot: turn (understanding and dialogue step), analyse (understanding alone), compile.',
    labelNames: ['operation'] as const,
    buckets: SECONDS,
    registers,
  });
  const providerErrors = new Counter({
    name: 'zhike_provider_errors_total',
    help: 'Failed calls to outside services: channel adapters by registry id, and llm; by kind of failure.',
    labelNames: ['provider', 'kind'] as const,
    registers,
  });
  const messagesReceived = new Counter({
    name: 'zhike_messages_received_total',
    help: 'Customer messages stored by this process, by channel (resent duplicates not counted).',
    labelNames: ['channel'] as const,
    registers,
  });

  const tracer = deps.config.otel
    ? createTracer({
        url: deps.config.otel.tracesUrl,
        serviceName: deps.config.otel.serviceName,
        headers: deps.config.otel.headers,
        log: deps.log,
      })
    : null;

  const seconds = (startedAt: number) => (performance.now() - startedAt) / 1000;

  const telemetry: Telemetry = {
    async job(name, run) {
      const startedAt = performance.now();
      let outcome: JobOutcome | null;
      if (tracer) {
        outcome = await tracer.inSpan(`job ${name}`, { 'zhike.job.name': name }, async (span) => {
          const ended = await run();
          span.setAttribute('zhike.job.outcome', ended ?? 'lease_lost');
          if (ended === 'retry' || ended === 'failed') span.fail(`job ${ended}`);
          return ended;
        });
      } else outcome = await run();
      if (outcome === null) return;
      jobsProcessed.inc({ name, outcome });
      jobDuration.observe({ name }, seconds(startedAt));
    },
    async nlu(operation, run) {
      const startedAt = performance.now();
      try {
        return tracer
          ? await tracer.inSpan(`nlu ${operation}`, { 'zhike.nlu.operation': operation }, run)
          : await run();
      } finally {
        nluDuration.observe({ operation }, seconds(startedAt));
      }
    },
    socketOpened(kind) {
      sockets.inc({ kind });
      let open = true;
      return () => {
        if (!open) return;
        open = false;
        sockets.dec({ kind });
      };
    },
    providerError(provider, kind) {
      providerErrors.inc({ provider, kind });
    },
    messageReceived(channel) {
      messagesReceived.inc({ channel });
    },
  };

  /** The gauges only the database knows; zero, with zhike_database_up 0, when it does not answer. */
  async function readBacklog(): Promise<void> {
    const now = deps.clock.now();
    const ageOf = (since: string | null) =>
      since ? Math.max(0, (now.getTime() - Date.parse(since)) / 1000) : 0;
    let timer: NodeJS.Timeout | undefined;
    try {
      // A database that takes longer than a scrape may must not make the process look down: the
      // process metrics still go out, with zhike_database_up 0.
      const timeout = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer in ${DATABASE_TIMEOUT_MS} ms`)),
          DATABASE_TIMEOUT_MS,
        );
      });
      const [jobs, line, held] = await Promise.race([
        Promise.all([
          deps.db.jobs.backlog(now.toISOString()),
          deps.db.monitoring.waitingForAgents(),
          deps.db.intake.depth(),
        ]),
        timeout,
      ]);
      intakeHeld.set(held.held);
      intakeLag.set(ageOf(held.oldestAcceptedAt));
      jobsReady.set(jobs.ready);
      jobLag.set(ageOf(jobs.oldestDueAt));
      waiting.set({ state: 'waiting' }, line.waiting);
      waiting.set({ state: 'offered' }, line.offered);
      longestWait.set(ageOf(line.oldestSince));
      databaseUp.set(1);
    } catch (error) {
      deps.log.warn({ err: error }, 'metrics: the database did not answer the queue and job gauges');
      for (const gauge of [jobsReady, jobLag, waiting, longestWait, intakeHeld, intakeLag]) gauge.reset();
      databaseUp.set(0);
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    telemetry,
    http: { observe: (labels, value) => httpDuration.observe(labels, value) },
    tracer,
    async scrape() {
      await readBacklog();
      return registry.metrics();
    },
    contentType: registry.contentType,
    async close() {
      stopProcessMetrics();
      await tracer?.shutdown();
    },
  };
}
