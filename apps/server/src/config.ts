// The server's configuration: read from the environment once at start, validated, passed down as one
// typed object. Nothing else in the server reads process.env.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import { type MasterKey, MasterKeyError, masterKey, readOrCreateMasterKeyFile } from '@zhike/security';
import type { WebRtcIceConfig } from './voice/webrtc/answerOffer.ts';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string;
  redisUrl: string | null;
  adminEmail: string;
  /** null = generate one on first start and print it once. */
  adminPassword: string | null;
  secret: string;
  /** Encrypts customer personal data at rest; first = current, the rest only during a rotation. */
  masterKeys: MasterKey[];
  /** Where the master keys came from; `zhike keys rotate` rewrites the file itself, never env vars. */
  masterKeySource: { kind: 'env' } | { kind: 'file'; path: string };
  /** Audit entries older than this are purged (behind a checkpoint); never below 365. */
  auditRetentionDays: number;
  /** How many of the newest well-ended conversations reply suggestions learn past replies from. */
  assistHistoryConversations: number;
  /** A console session unused this long is over. */
  sessionIdleMinutes: number;
  /** A console session ends this long after sign-in, used or not. */
  sessionMaxDays: number;
  /** How long a claim on a job holds without renewal; a crashed process's jobs run again after it. */
  jobLeaseSeconds: number;
  /** Jobs one process runs at once. */
  jobConcurrency: number;
  publicUrl: string;
  bodyLimit: number;
  logLevel: LogLevel;
  demo: boolean;
  /** With demo: ten resolved, rated past conversations for reply suggestions to learn from. */
  demoHistory: boolean;
  /** Believe X-Forwarded-For (set only behind a reverse proxy you control). */
  trustProxy: boolean;
  /** Optional OpenAI-compatible LLM writing knowledge-base answers; null = none (the default). */
  llm: LlmConfig | null;
  /** Hosts outbound webhooks may reach even on loopback/private addresses (the SSRF guard's exemptions). */
  webhookAllowHosts: string[];
  /** The inbound SMTP listener for email inboxes; null = off (the default). */
  smtp: SmtpListenerConfig | null;
  /** The SIP user agent of voice inboxes; null = off (the default). */
  sip: SipListenConfig | null;
  /** Embedded speech models (sherpa-onnx) are loaded only from inside this directory. */
  speechModelsDir: string;
  /** ZHIKE_CHROMIUM_PATH: the browser that prints PDFs; null: none found (the weekly review is HTML only). */
  chromiumPath: string | null;
  /** Hosts provider-channel adapters (SMS, email, WeChat APIs) may reach on loopback/private addresses. */
  channelAllowHosts: string[];
  /** How long a provider API call may take before it is abandoned (and retried). */
  channelTimeoutSeconds: number;
  /** ICE for browser calls (widget call button, console softphone); empty lists suit a LAN. */
  webrtc: WebRtcIceConfig;
  /** Where attachment and recording files are kept: the data directory, or an S3-compatible bucket. */
  fileStore: FileStoreConfig;
  /** Budgets and load shedding: beyond them requests get 429/503 with Retry-After. */
  limits: LimitsConfig;
  /** Bearer token Prometheus must send to GET /metrics; null = only loopback/private addresses may scrape. */
  metricsToken: string | null;
  /** OpenTelemetry trace export over OTLP/HTTP; null = tracing off (the default, and free). */
  otel: OtelConfig | null;
}

export interface LimitsConfig {
  /** API-channel messages per minute per workspace; 0 = no limit. */
  inboundPerMinute: number;
  /**
   * API messages held acknowledged but not yet stored (`Prefer: respond-async`) beyond which new ones get
   * 503 with Retry-After, so a burst cannot queue without end; 0 = no limit.
   */
  inboundHeldMax: number;
  /** Widget sessions started per minute per client address; 0 = no limit. */
  widgetSessionsPerMinute: number;
  /** Event-loop delay above which new requests get 503 until it recovers; 0 = never. */
  maxEventLoopDelayMs: number;
}

export interface OtelConfig {
  /** Where spans are POSTed: OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces. */
  tracesUrl: string;
  serviceName: string;
  /** Sent with every export (a hosted collector's API key). */
  headers: Record<string, string>;
}

/** The documented environment variables; the README's table is checked against this list by a test. */
export const configVars = [
  { name: 'PORT', default: '3000', meaning: 'HTTP port (0 = any free port)' },
  { name: 'HOST', default: '0.0.0.0', meaning: 'Interface to listen on' },
  {
    name: 'ZHIKE_DATA_DIR',
    default: './data',
    meaning: 'Directory for the SQLite file and the generated secret',
  },
  {
    name: 'DATABASE_URL',
    default: './data/zhike.db',
    meaning: 'SQLite file path, or postgres://user@host:5432/db for PostgreSQL',
  },
  {
    name: 'REDIS_URL',
    default: '(none)',
    meaning: 'redis://… to share real-time events between server processes',
  },
  {
    name: 'ZHIKE_ADMIN_EMAIL',
    default: 'owner@demo.zhike.local',
    meaning: 'Owner account created on first start',
  },
  {
    name: 'ZHIKE_ADMIN_PASSWORD',
    default: '(random, printed once)',
    meaning: "Owner's password on first start (at least 8 characters)",
  },
  {
    name: 'ZHIKE_SECRET',
    default: '(generated into ./data/secret.key)',
    meaning: 'Signing key for visitor tokens (at least 32 characters); keep it identical across processes',
  },
  {
    name: 'ZHIKE_MASTER_KEY',
    default: '(none)',
    meaning:
      'Master key for personal data at rest: 32 bytes in base64; "new,old" while rotating. Overrides the key file',
  },
  {
    name: 'ZHIKE_MASTER_KEY_FILE',
    default: './data/master.key',
    meaning:
      'File holding the master key (base64, one per line, first = current; mode 0600); generated if absent',
  },
  {
    name: 'ZHIKE_AUDIT_RETENTION_DAYS',
    default: '365',
    meaning: 'Days the audit log is kept before the hourly purge (at least 365)',
  },
  {
    name: 'ZHIKE_ASSIST_HISTORY_CONVERSATIONS',
    default: '2000',
    meaning: 'How many of the newest well-ended conversations reply suggestions learn past replies from',
  },
  {
    name: 'ZHIKE_SESSION_IDLE_MINUTES',
    default: '720',
    meaning: 'Console sessions unused this many minutes end (5–43200)',
  },
  {
    name: 'ZHIKE_SESSION_MAX_DAYS',
    default: '30',
    meaning: 'Console sessions end this many days after sign-in, however used (1–365)',
  },
  {
    name: 'ZHIKE_JOB_LEASE_SECONDS',
    default: '60',
    meaning:
      "How long a process's claim on a job holds without renewal (5–3600): after a crash its jobs run again this much later",
  },
  {
    name: 'ZHIKE_JOB_CONCURRENCY',
    default: '20',
    meaning: 'Jobs one process runs at once (1–500)',
  },
  {
    name: 'ZHIKE_INBOUND_RATE_LIMIT',
    default: '60000',
    meaning:
      'API-channel messages (POST /api/v1/inbound) per minute per workspace, shared across processes through Redis; beyond it 429 with Retry-After (0 = no limit)',
  },
  {
    name: 'ZHIKE_INBOUND_HELD_LIMIT',
    default: '100000',
    meaning:
      'API messages acknowledged with Prefer: respond-async and not yet stored, beyond which new ones get 503 with Retry-After (0 = no limit)',
  },
  {
    name: 'ZHIKE_WIDGET_SESSION_RATE_LIMIT',
    default: '120',
    meaning: 'Widget sessions started per minute per client address (0 = no limit)',
  },
  {
    name: 'ZHIKE_MAX_EVENT_LOOP_DELAY_MS',
    default: '1000',
    meaning:
      'When the event loop lags more than this, new requests get 503 with Retry-After until it recovers (0 = never shed load)',
  },
  {
    name: 'ZHIKE_PUBLIC_URL',
    default: 'http://localhost:$PORT',
    meaning: 'Public base URL; https makes cookies Secure',
  },
  {
    name: 'ZHIKE_BODY_LIMIT',
    default: '1048576',
    meaning: 'Largest accepted request body in bytes (413 above)',
  },
  {
    name: 'ZHIKE_TRUST_PROXY',
    default: '0',
    meaning: '1 when behind a reverse proxy: client IPs (sign-in throttling) come from X-Forwarded-For',
  },
  { name: 'LOG_LEVEL', default: 'info', meaning: 'fatal, error, warn, info, debug, trace or silent' },
  {
    name: 'ZHIKE_WEBHOOK_ALLOW_HOSTS',
    default: '(none)',
    meaning:
      'Comma-separated host names (or *.suffix) webhooks may reach on loopback/private addresses; others must be public',
  },
  {
    name: 'ZHIKE_CHANNEL_ALLOW_HOSTS',
    default: '(none)',
    meaning:
      'Comma-separated host names (or *.suffix) channel adapters (SMS, email, WeChat APIs) may reach on loopback/private addresses; others must be public',
  },
  {
    name: 'ZHIKE_CHANNEL_TIMEOUT_SECONDS',
    default: '10',
    meaning:
      'Seconds a provider API call (SMS, email relay, WeChat) may take; one unanswered in time is retried, looked up first where the provider can tell',
  },
  {
    name: 'ZHIKE_DEMO',
    default: '1',
    meaning:
      'Seed the demo shop 演示小店 (slug demo) with the retail bot and demo orders on first start; 0 = empty workspace',
  },
  {
    name: 'ZHIKE_DEMO_HISTORY',
    default: '1',
    meaning:
      'With ZHIKE_DEMO: also seed ten resolved, rated past conversations, so reply suggestions have history to learn from',
  },
  {
    name: 'ZHIKE_LLM_BASE_URL',
    default: '(none)',
    meaning:
      'OpenAI-compatible API (DeepSeek, Qwen, Ollama, vLLM), e.g. https://api.deepseek.com/v1: knowledge answers written from the knowledge base, streamed, and hand-off summaries for agents; unset = no LLM',
  },
  {
    name: 'ZHIKE_LLM_API_KEY',
    default: '(none)',
    meaning: 'Its API key, sent as Authorization: Bearer; never logged',
  },
  {
    name: 'ZHIKE_LLM_MODEL',
    default: '(none)',
    meaning: 'Model name, e.g. deepseek-chat, qwen-plus, qwen2.5:7b',
  },
  {
    name: 'ZHIKE_LLM_TIMEOUT_MS',
    default: '15000',
    meaning: 'Longest wait for a whole LLM answer; past it the plain knowledge answer is sent',
  },
  {
    name: 'ZHIKE_LLM_FIRST_TOKEN_MS',
    default: '4000',
    meaning: 'Longest wait for the first word of an LLM answer before the plain knowledge answer is sent',
  },
  {
    name: 'ZHIKE_SMTP_PORT',
    default: '(none)',
    meaning:
      'Port of the inbound SMTP listener for email inboxes (25, or 2525 behind a port forward); unset = off',
  },
  { name: 'ZHIKE_SMTP_HOST', default: '$HOST', meaning: 'Interface the SMTP listener listens on' },
  {
    name: 'ZHIKE_SMTP_MAX_BYTES',
    default: '26214400',
    meaning: 'Largest accepted mail in bytes (25mb also works); larger mail is refused with 552',
  },
  {
    name: 'ZHIKE_SMTP_TLS_CERT_FILE',
    default: '(none)',
    meaning: 'PEM certificate (chain) for STARTTLS on the SMTP listener; with ZHIKE_SMTP_TLS_KEY_FILE',
  },
  { name: 'ZHIKE_SMTP_TLS_KEY_FILE', default: '(none)', meaning: 'PEM private key for STARTTLS' },
  {
    name: 'ZHIKE_SMTP_AUTH_USER',
    default: '(none)',
    meaning: "Login the shop's own mail host may use to forward mail (its senders then count as verified)",
  },
  {
    name: 'ZHIKE_SMTP_AUTH_PASSWORD',
    default: '(none)',
    meaning: 'Its password (at least 12 characters); with a certificate, accepted only after STARTTLS',
  },
  {
    name: 'ZHIKE_WEBRTC_ICE_SERVERS',
    default: '(none)',
    meaning: 'Comma-separated stun:/turn: URLs for browser calls when browsers reach the server through NAT',
  },
  { name: 'ZHIKE_WEBRTC_TURN_USERNAME', default: '(none)', meaning: 'Username for the turn: servers above' },
  {
    name: 'ZHIKE_WEBRTC_TURN_CREDENTIAL',
    default: '(none)',
    meaning: 'Credential for the turn: servers above',
  },
  {
    name: 'ZHIKE_WEBRTC_PUBLIC_IPS',
    default: '(none)',
    meaning: "Extra addresses offered to browsers as host candidates (the server's public IP behind 1:1 NAT)",
  },
  {
    name: 'ZHIKE_WEBRTC_PORT_RANGE',
    default: '(any)',
    meaning: 'UDP ports for browser call media, e.g. 40000-40999 (open them in the firewall)',
  },
  {
    name: 'ZHIKE_SIP_PORT',
    default: '(none)',
    meaning:
      'UDP and TCP port of the SIP user agent for voice inboxes (5060; 0 = any free port); unset = no SIP',
  },
  { name: 'ZHIKE_SIP_HOST', default: '$HOST', meaning: 'Interface SIP and RTP listen on' },
  {
    name: 'ZHIKE_SIP_PUBLIC_ADDRESS',
    default: '(none)',
    meaning:
      'Address written into SIP Contact and SDP when Zhike is behind NAT (the public IP the PBX reaches)',
  },
  {
    name: 'ZHIKE_SIP_RING_TIMEOUT',
    default: '30',
    meaning: 'Seconds an outbound call (campaign, call-back) rings before it counts as not answered',
  },
  {
    name: 'ZHIKE_SPEECH_MODELS_DIR',
    default: '$ZHIKE_DATA_DIR/models',
    meaning:
      'Directory embedded speech models (sherpa-onnx) must lie inside; a model directory set in the speech settings elsewhere is refused',
  },
  {
    name: 'ZHIKE_CHROMIUM_PATH',
    default: '/usr/bin/chromium when present',
    meaning:
      'Chromium (or Chrome) that prints the weekly review as a PDF; without one the review is HTML only (the PDF answers 503)',
  },
  {
    name: 'ZHIKE_RTP_PORTS',
    default: '20000-20999',
    meaning: 'RTP port range for call audio (one port per call; open it in the firewall for UDP)',
  },
  {
    name: 'ZHIKE_FILE_STORE',
    default: 'local',
    meaning:
      'Where attachments and call recordings are kept: local (under $ZHIKE_DATA_DIR) or s3 (an S3-compatible bucket shared by every process)',
  },
  {
    name: 'ZHIKE_S3_ENDPOINT',
    default: '(none)',
    meaning: "With s3: the store's URL, e.g. http://minio:9000 or https://s3.eu-central-1.amazonaws.com",
  },
  { name: 'ZHIKE_S3_REGION', default: 'us-east-1', meaning: 'With s3: the region requests are signed for' },
  { name: 'ZHIKE_S3_BUCKET', default: '(none)', meaning: 'With s3: the bucket (create it beforehand)' },
  { name: 'ZHIKE_S3_ACCESS_KEY_ID', default: '(none)', meaning: 'With s3: the access key id' },
  {
    name: 'ZHIKE_S3_SECRET_ACCESS_KEY',
    default: '(none)',
    meaning: 'With s3: the secret access key; never logged',
  },
  {
    name: 'ZHIKE_S3_PREFIX',
    default: '(none)',
    meaning:
      'With s3: a key prefix inside the bucket (e.g. zhike/), so one bucket can serve several installations',
  },
  {
    name: 'ZHIKE_S3_FORCE_PATH_STYLE',
    default: '1',
    meaning:
      'With s3: 1 = http://endpoint/bucket/key (MinIO); 0 = virtual-host style http://bucket.endpoint/key (AWS)',
  },
  {
    name: 'ZHIKE_METRICS_TOKEN',
    default: '(none)',
    meaning:
      'Bearer token Prometheus sends to GET /metrics (at least 16 characters); unset = only loopback and private addresses may scrape',
  },
  {
    name: 'OTEL_EXPORTER_OTLP_ENDPOINT',
    default: '(none)',
    meaning:
      'OpenTelemetry collector base URL, e.g. http://localhost:4318: spans go to /v1/traces over OTLP/HTTP JSON; unset = no tracing',
  },
  {
    name: 'OTEL_SERVICE_NAME',
    default: 'zhike',
    meaning: 'service.name of the exported spans',
  },
  {
    name: 'OTEL_EXPORTER_OTLP_HEADERS',
    default: '(none)',
    meaning: 'Headers sent with each export, key=value pairs separated by commas (values URL-encoded)',
  },
] as const;

export type ConfigVarName = (typeof configVars)[number]['name'];

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function parseBytes(raw: string): number | null {
  const m = /^(\d+)\s*(b|k|kb|kib|m|mb|mib)?$/i.exec(raw.trim());
  if (!m) return null;
  const unit = (m[2] ?? 'b').toLowerCase();
  const factor = unit.startsWith('k') ? 1024 : unit.startsWith('m') ? 1024 * 1024 : 1;
  return Number(m[1]) * factor;
}

/** The signing secret's file in the data directory when ZHIKE_SECRET is not set. */
export const SECRET_FILE = 'secret.key';

/** Reads the secret from dataDir/secret.key, creating it (mode 0600) the first time. Safe when two processes race. */
function persistedSecret(dataDir: string): string {
  const file = join(dataDir, SECRET_FILE);
  mkdirSync(dataDir, { recursive: true });
  try {
    writeFileSync(file, randomBytes(48).toString('base64url'), { flag: 'wx', mode: 0o600 });
    chmodSync(file, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return readFileSync(file, 'utf8').trim();
}

export function loadConfig(env: Record<string, string | undefined>, cwd = process.cwd()): Config {
  const problems: string[] = [];
  const get = (name: ConfigVarName): string | undefined => {
    const v = env[name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };

  const portRaw = get('PORT') ?? '3000';
  const port = Number(portRaw);
  if (!/^\d+$/.test(portRaw) || port > 65535)
    problems.push(`PORT must be an integer 0–65535, got "${portRaw}"`);

  const dataDir = resolve(cwd, get('ZHIKE_DATA_DIR') ?? 'data');
  const databaseUrl = get('DATABASE_URL') ?? join(dataDir, 'zhike.db');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(databaseUrl) && !/^(postgres(ql)?|sqlite|file):/i.test(databaseUrl)) {
    problems.push('DATABASE_URL must be a SQLite file path or a postgres:// URL');
  }

  const redisUrl = get('REDIS_URL') ?? null;
  if (redisUrl && !/^rediss?:\/\//i.test(redisUrl))
    problems.push('REDIS_URL must start with redis:// or rediss://');

  const adminEmail = (get('ZHIKE_ADMIN_EMAIL') ?? 'owner@demo.zhike.local').toLowerCase();
  if (!/^[^\s@]+@[^\s@]+$/.test(adminEmail))
    problems.push(`ZHIKE_ADMIN_EMAIL is not an email address: "${adminEmail}"`);
  const adminPassword =
    env.ZHIKE_ADMIN_PASSWORD && env.ZHIKE_ADMIN_PASSWORD.length > 0 ? env.ZHIKE_ADMIN_PASSWORD : null;
  if (adminPassword !== null && adminPassword.length < 8)
    problems.push('ZHIKE_ADMIN_PASSWORD must have at least 8 characters');

  const secretRaw = get('ZHIKE_SECRET');
  if (secretRaw !== undefined && secretRaw.length < 32)
    problems.push('ZHIKE_SECRET must have at least 32 characters');

  let masterKeys: MasterKey[] = [];
  let masterKeySource: Config['masterKeySource'] = { kind: 'env' };
  const masterKeyRaw = get('ZHIKE_MASTER_KEY');
  try {
    if (masterKeyRaw !== undefined) {
      masterKeys = masterKeyRaw.split(',').map((k) => masterKey(k));
    } else {
      const file = resolve(cwd, get('ZHIKE_MASTER_KEY_FILE') ?? join(dataDir, 'master.key'));
      masterKeySource = { kind: 'file', path: file };
      masterKeys = readOrCreateMasterKeyFile(file).keys.map((k) => masterKey(k));
    }
  } catch (error) {
    if (!(error instanceof MasterKeyError)) throw error;
    problems.push(
      `${masterKeyRaw !== undefined ? 'ZHIKE_MASTER_KEY' : 'ZHIKE_MASTER_KEY_FILE'}: ${error.message}`,
    );
  }

  const retentionRaw = get('ZHIKE_AUDIT_RETENTION_DAYS') ?? '365';
  const auditRetentionDays = Number(retentionRaw);
  if (!/^\d+$/.test(retentionRaw) || auditRetentionDays < 365)
    problems.push(`ZHIKE_AUDIT_RETENTION_DAYS must be a whole number of days ≥ 365, got "${retentionRaw}"`);

  const assistRaw = get('ZHIKE_ASSIST_HISTORY_CONVERSATIONS') ?? '2000';
  const assistHistoryConversations = Number(assistRaw);
  if (!/^\d+$/.test(assistRaw) || assistHistoryConversations < 0 || assistHistoryConversations > 100000)
    problems.push(`ZHIKE_ASSIST_HISTORY_CONVERSATIONS must be a whole number 0–100000, got "${assistRaw}"`);

  const sessionIdleRaw = get('ZHIKE_SESSION_IDLE_MINUTES') ?? '720';
  const sessionIdleMinutes = Number(sessionIdleRaw);
  if (!/^\d+$/.test(sessionIdleRaw) || sessionIdleMinutes < 5 || sessionIdleMinutes > 43200)
    problems.push(`ZHIKE_SESSION_IDLE_MINUTES must be whole minutes 5–43200, got "${sessionIdleRaw}"`);
  const sessionMaxRaw = get('ZHIKE_SESSION_MAX_DAYS') ?? '30';
  const sessionMaxDays = Number(sessionMaxRaw);
  if (!/^\d+$/.test(sessionMaxRaw) || sessionMaxDays < 1 || sessionMaxDays > 365)
    problems.push(`ZHIKE_SESSION_MAX_DAYS must be whole days 1–365, got "${sessionMaxRaw}"`);

  const jobLeaseRaw = get('ZHIKE_JOB_LEASE_SECONDS') ?? '60';
  const jobLeaseSeconds = Number(jobLeaseRaw);
  if (!/^\d+$/.test(jobLeaseRaw) || jobLeaseSeconds < 5 || jobLeaseSeconds > 3600)
    problems.push(`ZHIKE_JOB_LEASE_SECONDS must be whole seconds 5–3600, got "${jobLeaseRaw}"`);
  const jobConcurrencyRaw = get('ZHIKE_JOB_CONCURRENCY') ?? '20';
  const jobConcurrency = Number(jobConcurrencyRaw);
  if (!/^\d+$/.test(jobConcurrencyRaw) || jobConcurrency < 1 || jobConcurrency > 500)
    problems.push(`ZHIKE_JOB_CONCURRENCY must be a whole number 1–500, got "${jobConcurrencyRaw}"`);

  const wholeNumber = (name: ConfigVarName, fallback: string, max: number): number => {
    const raw = get(name) ?? fallback;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value > max) {
      problems.push(`${name} must be a whole number 0–${max}, got "${raw}"`);
      return Number(fallback);
    }
    return value;
  };
  const limits: LimitsConfig = {
    inboundPerMinute: wholeNumber('ZHIKE_INBOUND_RATE_LIMIT', '60000', 10_000_000),
    inboundHeldMax: wholeNumber('ZHIKE_INBOUND_HELD_LIMIT', '100000', 100_000_000),
    widgetSessionsPerMinute: wholeNumber('ZHIKE_WIDGET_SESSION_RATE_LIMIT', '120', 1_000_000),
    maxEventLoopDelayMs: wholeNumber('ZHIKE_MAX_EVENT_LOOP_DELAY_MS', '1000', 600_000),
  };

  const publicUrl = (get('ZHIKE_PUBLIC_URL') ?? `http://localhost:${port || 3000}`).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/\s]+/.test(publicUrl))
    problems.push(`ZHIKE_PUBLIC_URL must be an http(s) URL, got "${publicUrl}"`);

  const bodyLimitRaw = get('ZHIKE_BODY_LIMIT') ?? '1048576';
  const bodyLimit = parseBytes(bodyLimitRaw);
  if (bodyLimit === null || bodyLimit < 1024)
    problems.push(
      `ZHIKE_BODY_LIMIT must be a byte count ≥ 1024 (e.g. 1048576 or 1mb), got "${bodyLimitRaw}"`,
    );

  const logLevel = (get('LOG_LEVEL') ?? 'info').toLowerCase() as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);

  const demoRaw = (get('ZHIKE_DEMO') ?? '1').toLowerCase();
  if (!['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'].includes(demoRaw))
    problems.push('ZHIKE_DEMO must be 1 or 0');
  const demo = ['1', 'true', 'yes', 'on'].includes(demoRaw);
  const demoHistoryRaw = (get('ZHIKE_DEMO_HISTORY') ?? '1').toLowerCase();
  if (!['1', '0', 'true', 'false'].includes(demoHistoryRaw))
    problems.push('ZHIKE_DEMO_HISTORY must be 1 or 0');
  const demoHistory = demo && (demoHistoryRaw === '1' || demoHistoryRaw === 'true');
  const trustProxyRaw = (get('ZHIKE_TRUST_PROXY') ?? '0').toLowerCase();
  if (!['1', '0', 'true', 'false'].includes(trustProxyRaw)) problems.push('ZHIKE_TRUST_PROXY must be 1 or 0');

  const hostList = (name: 'ZHIKE_WEBHOOK_ALLOW_HOSTS' | 'ZHIKE_CHANNEL_ALLOW_HOSTS') => {
    const hosts = (get(name) ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean);
    for (const host of hosts)
      if (!/^(\*\.)?[a-z0-9.:[\]-]+$/.test(host)) problems.push(`${name}: "${host}" is not a host name`);
    return hosts;
  };
  const webhookAllowHosts = hostList('ZHIKE_WEBHOOK_ALLOW_HOSTS');
  const channelAllowHosts = hostList('ZHIKE_CHANNEL_ALLOW_HOSTS');
  const channelTimeoutRaw = get('ZHIKE_CHANNEL_TIMEOUT_SECONDS') ?? '10';
  const channelTimeoutSeconds = Number(channelTimeoutRaw);
  if (!/^\d+$/.test(channelTimeoutRaw) || channelTimeoutSeconds < 1 || channelTimeoutSeconds > 120)
    problems.push(`ZHIKE_CHANNEL_TIMEOUT_SECONDS must be whole seconds 1–120, got "${channelTimeoutRaw}"`);

  const llm = parseLlmConfig(get, problems);
  const smtp = parseSmtpConfig(get, problems, cwd, get('HOST') ?? '0.0.0.0');
  const webrtc = parseWebRtcConfig(get, problems);
  const sip = parseSipConfig(get, problems, get('HOST') ?? '0.0.0.0');
  const fileStore = parseFileStoreConfig(get, problems);
  const metricsToken = get('ZHIKE_METRICS_TOKEN') ?? null;
  if (metricsToken !== null && metricsToken.length < 16)
    problems.push('ZHIKE_METRICS_TOKEN must have at least 16 characters');
  const otel = parseOtelConfig(get, problems);

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    port,
    host: get('HOST') ?? '0.0.0.0',
    dataDir,
    databaseUrl,
    redisUrl,
    adminEmail,
    adminPassword,
    secret: secretRaw ?? persistedSecret(dataDir),
    masterKeys,
    masterKeySource,
    auditRetentionDays,
    assistHistoryConversations,
    sessionIdleMinutes,
    sessionMaxDays,
    jobLeaseSeconds,
    jobConcurrency,
    publicUrl,
    bodyLimit: bodyLimit ?? 1048576,
    logLevel,
    demo,
    demoHistory,
    trustProxy: trustProxyRaw === '1' || trustProxyRaw === 'true',
    llm,
    webhookAllowHosts,
    smtp,
    sip,
    speechModelsDir: resolve(cwd, get('ZHIKE_SPEECH_MODELS_DIR') ?? join(dataDir, 'models')),
    chromiumPath: chromiumPathOf(get('ZHIKE_CHROMIUM_PATH'), problems),
    channelAllowHosts,
    channelTimeoutSeconds,
    webrtc,
    limits,
    fileStore,
    metricsToken,
    otel,
  };
}

/** The standard OpenTelemetry variables, as far as an OTLP/HTTP JSON trace exporter needs them. */
function parseOtelConfig(
  get: (name: ConfigVarName) => string | undefined,
  problems: string[],
): OtelConfig | null {
  const endpoint = get('OTEL_EXPORTER_OTLP_ENDPOINT');
  if (endpoint === undefined) return null;
  // The operator's own collector (usually on localhost or the LAN), like the LLM base URL: no SSRF guard.
  if (!/^https?:\/\/[^/\s]+/i.test(endpoint))
    problems.push(`OTEL_EXPORTER_OTLP_ENDPOINT must be an http(s) URL, got "${endpoint}"`);
  const headers: Record<string, string> = {};
  for (const pair of (get('OTEL_EXPORTER_OTLP_HEADERS') ?? '').split(',')) {
    if (pair.trim() === '') continue;
    const at = pair.indexOf('=');
    const key = at > 0 ? pair.slice(0, at).trim() : '';
    let value = '';
    try {
      value = decodeURIComponent(pair.slice(at + 1).trim());
    } catch {
      value = '';
    }
    if (!/^[!#$%&'*+.^_`|~0-9a-z-]+$/i.test(key) || value === '')
      problems.push('OTEL_EXPORTER_OTLP_HEADERS must be key=value pairs separated by commas');
    else headers[key] = value;
  }
  // The spec's rule for the signal-less endpoint: the traces path is appended to it.
  return {
    tracesUrl: `${endpoint.replace(/\/+$/, '')}/v1/traces`,
    serviceName: get('OTEL_SERVICE_NAME') ?? 'zhike',
    headers,
  };
}

export type FileStoreConfig =
  | { kind: 'local' }
  | {
      kind: 's3';
      endpoint: string;
      region: string;
      bucket: string;
      accessKeyId: string;
      secretAccessKey: string;
      /** '' or ending in '/'. */
      prefix: string;
      forcePathStyle: boolean;
    };

const S3_VARS = [
  'ZHIKE_S3_ENDPOINT',
  'ZHIKE_S3_REGION',
  'ZHIKE_S3_BUCKET',
  'ZHIKE_S3_ACCESS_KEY_ID',
  'ZHIKE_S3_SECRET_ACCESS_KEY',
  'ZHIKE_S3_PREFIX',
  'ZHIKE_S3_FORCE_PATH_STYLE',
] as const;

function parseFileStoreConfig(
  get: (name: ConfigVarName) => string | undefined,
  problems: string[],
): FileStoreConfig {
  const kind = (get('ZHIKE_FILE_STORE') ?? 'local').toLowerCase();
  if (kind !== 'local' && kind !== 's3') {
    problems.push(`ZHIKE_FILE_STORE must be local or s3, got "${kind}"`);
    return { kind: 'local' };
  }
  if (kind === 'local') {
    // Half an S3 set-up that silently writes to local disk would split files between processes.
    const stray = S3_VARS.filter((name) => get(name) !== undefined);
    if (stray.length > 0)
      problems.push(
        `${stray.join(', ')} ${stray.length > 1 ? 'are' : 'is'} set but ZHIKE_FILE_STORE is not s3`,
      );
    return { kind: 'local' };
  }
  const endpoint = (get('ZHIKE_S3_ENDPOINT') ?? '').replace(/\/+$/, '');
  if (endpoint === '') problems.push('ZHIKE_S3_ENDPOINT is required with ZHIKE_FILE_STORE=s3');
  else {
    let url: URL | null = null;
    try {
      url = new URL(endpoint);
    } catch {}
    if (!url || !/^https?:$/.test(url.protocol) || url.search || url.hash || url.username)
      problems.push(
        `ZHIKE_S3_ENDPOINT must be an http(s) URL without query or credentials, got "${endpoint}"`,
      );
  }
  const region = get('ZHIKE_S3_REGION') ?? 'us-east-1';
  if (!/^[a-z0-9-]{2,40}$/.test(region))
    problems.push(`ZHIKE_S3_REGION must look like us-east-1 or cn-north-1, got "${region}"`);
  const bucket = get('ZHIKE_S3_BUCKET') ?? '';
  if (bucket === '') problems.push('ZHIKE_S3_BUCKET is required with ZHIKE_FILE_STORE=s3');
  else if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket) || bucket.includes('..'))
    problems.push(
      `ZHIKE_S3_BUCKET must be a bucket name (3–63 lower-case letters, digits, dots, hyphens), got "${bucket}"`,
    );
  const accessKeyId = get('ZHIKE_S3_ACCESS_KEY_ID') ?? '';
  if (accessKeyId === '') problems.push('ZHIKE_S3_ACCESS_KEY_ID is required with ZHIKE_FILE_STORE=s3');
  const secretAccessKey = get('ZHIKE_S3_SECRET_ACCESS_KEY') ?? '';
  if (secretAccessKey === '')
    problems.push('ZHIKE_S3_SECRET_ACCESS_KEY is required with ZHIKE_FILE_STORE=s3');
  let prefix = (get('ZHIKE_S3_PREFIX') ?? '').replace(/^\/+/, '');
  if (prefix !== '' && !prefix.endsWith('/')) prefix = `${prefix}/`;
  if (
    prefix !== '' &&
    (!/^([A-Za-z0-9._-]+\/)+$/.test(prefix) || prefix.split('/').some((p) => p === '.' || p === '..'))
  )
    problems.push(
      `ZHIKE_S3_PREFIX may hold only letters, digits, ".", "_", "-" and "/" between parts, got "${prefix}"`,
    );
  const pathStyleRaw = (get('ZHIKE_S3_FORCE_PATH_STYLE') ?? '1').toLowerCase();
  if (!['1', '0', 'true', 'false'].includes(pathStyleRaw))
    problems.push('ZHIKE_S3_FORCE_PATH_STYLE must be 1 or 0');
  const forcePathStyle = pathStyleRaw === '1' || pathStyleRaw === 'true';
  if (!forcePathStyle && bucket.includes('.') && endpoint.startsWith('https:'))
    problems.push(
      'ZHIKE_S3_BUCKET has dots, which break TLS for virtual-host style: set ZHIKE_S3_FORCE_PATH_STYLE=1',
    );
  return { kind: 's3', endpoint, region, bucket, accessKeyId, secretAccessKey, prefix, forcePathStyle };
}

function parseWebRtcConfig(
  get: (name: ConfigVarName) => string | undefined,
  problems: string[],
): WebRtcIceConfig {
  const list = (name: ConfigVarName) =>
    (get(name) ?? '')
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean);
  const username = get('ZHIKE_WEBRTC_TURN_USERNAME');
  const credential = get('ZHIKE_WEBRTC_TURN_CREDENTIAL');
  const iceServers = list('ZHIKE_WEBRTC_ICE_SERVERS').map((urls) => {
    if (!/^(stun|turns?):[^\s]+$/i.test(urls))
      problems.push(`ZHIKE_WEBRTC_ICE_SERVERS: "${urls}" is not a stun: or turn: URL`);
    const turn = /^turns?:/i.test(urls);
    return turn && username && credential ? { urls, username, credential } : { urls };
  });
  const additionalHostAddresses = list('ZHIKE_WEBRTC_PUBLIC_IPS');
  for (const ip of additionalHostAddresses)
    if (!isIP(ip)) problems.push(`ZHIKE_WEBRTC_PUBLIC_IPS: "${ip}" is not an IP address`);
  const rangeRaw = get('ZHIKE_WEBRTC_PORT_RANGE');
  let portRange: [number, number] | null = null;
  if (rangeRaw !== undefined) {
    const m = /^(\d{1,5})-(\d{1,5})$/.exec(rangeRaw);
    const [low, high] = m ? [Number(m[1]), Number(m[2])] : [0, 0];
    if (!m || low < 1024 || high > 65535 || high < low)
      problems.push(`ZHIKE_WEBRTC_PORT_RANGE must be LOW-HIGH within 1024–65535, got "${rangeRaw}"`);
    else portRange = [low, high];
  }
  return { iceServers, additionalHostAddresses, portRange };
}

export interface SipListenConfig {
  host: string;
  /** 0 = any free port (tests). */
  port: number;
  publicAddress: string | null;
  rtpPorts: { min: number; max: number };
  /** How long an outbound call rings before we give up (no_answer). */
  ringTimeoutMs: number;
}

function parseSipConfig(
  get: (name: ConfigVarName) => string | undefined,
  problems: string[],
  host: string,
): SipListenConfig | null {
  const portRaw = get('ZHIKE_SIP_PORT');
  if (portRaw === undefined) return null;
  const port = Number(portRaw);
  if (!/^\d+$/.test(portRaw) || port > 65535)
    problems.push(`ZHIKE_SIP_PORT must be an integer 0–65535, got "${portRaw}"`);
  const rangeRaw = get('ZHIKE_RTP_PORTS') ?? '20000-20999';
  const range = /^(\d+)-(\d+)$/.exec(rangeRaw);
  const min = Number(range?.[1]);
  const max = Number(range?.[2]);
  if (!range || min < 1024 || max > 65535 || max < min)
    problems.push(`ZHIKE_RTP_PORTS must be a range like 20000-20999 within 1024–65535, got "${rangeRaw}"`);
  const ringRaw = get('ZHIKE_SIP_RING_TIMEOUT') ?? '30';
  const ring = Number(ringRaw);
  if (!/^\d+$/.test(ringRaw) || ring < 5 || ring > 300)
    problems.push(`ZHIKE_SIP_RING_TIMEOUT must be whole seconds 5–300, got "${ringRaw}"`);
  return {
    ringTimeoutMs: ring * 1000,
    host: get('ZHIKE_SIP_HOST') ?? host,
    port,
    publicAddress: get('ZHIKE_SIP_PUBLIC_ADDRESS') ?? null,
    rtpPorts: { min, max },
  };
}

export interface LlmConfig {
  baseUrl: string;
  apiKey: string | null;
  model: string;
  /** The whole answer. */
  timeoutMs: number;
  /** A model that has not started answering by then is not going to beat the plain answer. */
  firstTokenTimeoutMs: number;
}

function parseLlmConfig(
  get: (name: ConfigVarName) => string | undefined,
  problems: string[],
): LlmConfig | null {
  const baseUrl = get('ZHIKE_LLM_BASE_URL');
  if (baseUrl === undefined) return null;
  // The operator's own choice, so no SSRF guard: a model on localhost (Ollama, vLLM) is the usual set-up.
  if (!/^https?:\/\/[^/\s]+/i.test(baseUrl)) problems.push('ZHIKE_LLM_BASE_URL must be an http(s) URL');
  const model = get('ZHIKE_LLM_MODEL');
  if (model === undefined) problems.push('ZHIKE_LLM_MODEL is required with ZHIKE_LLM_BASE_URL');
  const timeoutRaw = get('ZHIKE_LLM_TIMEOUT_MS') ?? '15000';
  const timeoutMs = Number(timeoutRaw);
  // Below the bot.reply job's 60 s lease, so no second worker takes over a turn still being written.
  if (!/^\d+$/.test(timeoutRaw) || timeoutMs < 1000 || timeoutMs > 50_000)
    problems.push(`ZHIKE_LLM_TIMEOUT_MS must be milliseconds 1000–50000, got "${timeoutRaw}"`);
  const firstTokenRaw = get('ZHIKE_LLM_FIRST_TOKEN_MS') ?? '4000';
  const firstTokenMs = Number(firstTokenRaw);
  if (!/^\d+$/.test(firstTokenRaw) || firstTokenMs < 100 || firstTokenMs > 50_000)
    problems.push(`ZHIKE_LLM_FIRST_TOKEN_MS must be milliseconds 100–50000, got "${firstTokenRaw}"`);
  return {
    baseUrl: baseUrl.replace(/\/+$/, ''),
    apiKey: get('ZHIKE_LLM_API_KEY') ?? null,
    model: model ?? '',
    timeoutMs,
    firstTokenTimeoutMs: Math.min(firstTokenMs, timeoutMs),
  };
}

export interface SmtpListenerConfig {
  host: string;
  /** 0 = any free port (tests). */
  port: number;
  maxBytes: number;
  tls: { key: Buffer; cert: Buffer } | null;
  auth: { user: string; password: string } | null;
}

function parseSmtpConfig(
  get: (name: ConfigVarName) => string | undefined,
  problems: string[],
  cwd: string,
  host: string,
): SmtpListenerConfig | null {
  const portRaw = get('ZHIKE_SMTP_PORT');
  if (portRaw === undefined) return null;
  const port = Number(portRaw);
  if (!/^\d+$/.test(portRaw) || port > 65535)
    problems.push(`ZHIKE_SMTP_PORT must be an integer 0–65535, got "${portRaw}"`);
  const maxRaw = get('ZHIKE_SMTP_MAX_BYTES') ?? '26214400';
  const maxBytes = parseBytes(maxRaw);
  if (maxBytes === null || maxBytes < 10 * 1024 || maxBytes > 100 * 1024 * 1024)
    problems.push(`ZHIKE_SMTP_MAX_BYTES must be a byte count from 10kb to 100mb, got "${maxRaw}"`);

  const certFile = get('ZHIKE_SMTP_TLS_CERT_FILE');
  const keyFile = get('ZHIKE_SMTP_TLS_KEY_FILE');
  let tls: SmtpListenerConfig['tls'] = null;
  if ((certFile === undefined) !== (keyFile === undefined))
    problems.push('ZHIKE_SMTP_TLS_CERT_FILE and ZHIKE_SMTP_TLS_KEY_FILE go together');
  else if (certFile !== undefined && keyFile !== undefined) {
    try {
      tls = { cert: readFileSync(resolve(cwd, certFile)), key: readFileSync(resolve(cwd, keyFile)) };
    } catch (error) {
      problems.push(`ZHIKE_SMTP_TLS_*_FILE: ${(error as Error).message}`);
    }
  }

  const user = get('ZHIKE_SMTP_AUTH_USER');
  const password = get('ZHIKE_SMTP_AUTH_PASSWORD');
  let auth: SmtpListenerConfig['auth'] = null;
  if ((user === undefined) !== (password === undefined))
    problems.push('ZHIKE_SMTP_AUTH_USER and ZHIKE_SMTP_AUTH_PASSWORD go together');
  else if (user !== undefined && password !== undefined) {
    if (password.length < 12) problems.push('ZHIKE_SMTP_AUTH_PASSWORD must have at least 12 characters');
    auth = { user, password };
  }
  return { host: get('ZHIKE_SMTP_HOST') ?? host, port, maxBytes: maxBytes ?? 26214400, tls, auth };
}

const DEFAULT_CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

function chromiumPathOf(value: string | undefined, problems: string[]): string | null {
  if (value !== undefined && value !== '') {
    if (!existsSync(value)) problems.push(`ZHIKE_CHROMIUM_PATH: no such file ${value}`);
    return value;
  }
  return DEFAULT_CHROMIUM.find((path) => existsSync(path)) ?? null;
}
