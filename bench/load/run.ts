// Load and overload on one machine: a real `zhike serve` (embedded SQLite, built-in NLU, demo shop) under
// widget visitors on WebSockets, API-channel messages and agents replying, side by side with the ceiling
// of the same machine — Fastify with @fastify/websocket only parsing and answering (hello.mjs) — under the
// same load generator in the same run. Prints round trips (customer message → bot reply on the
// customer's socket), throughput, the server's CPU and memory, and the ratios; appends them to RESULTS.md.
//
//   npm run bench:load                       chat (1,000 sessions, 60 s), idle sockets (5,000), inbound
//                                            (20 s answered once stored, 20 s with Prefer: respond-async)
//   npm run bench:load -- --soak-minutes 30  the chat load for 30 minutes, memory sampled for a trend
//   options: --sessions N --seconds S --idle N --inbound-seconds S --interval-ms MS --only chat|idle|inbound
//            --cpu-prof DIR  writes a V8 CPU profile of the Zhike server to DIR (open it in Chrome DevTools)
//            --server-env NAME=VALUE  (repeatable) sets a variable of the Zhike server (README's configuration)
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';

const root = new URL('../..', import.meta.url).pathname;
const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const only = (() => {
  const at = args.indexOf('--only');
  return at >= 0 ? args[at + 1] : null;
})();
const SESSIONS = option('sessions', 1000);
const SECONDS = option('seconds', 60);
const INTERVAL_MS = option('interval-ms', 10_000);
const IDLE = option('idle', 5000);
const INBOUND_SECONDS = option('inbound-seconds', 20);
const SOAK_MINUTES = option('soak-minutes', 0);
/** A visitor without an answer (bot, system notice or agent) for this long writes again. */
const GIVE_UP_MS = 30_000;
const SERVER_ENV = Object.fromEntries(
  args.flatMap((a, i) => {
    if (a !== '--server-env') return [];
    const [name, ...value] = (args[i + 1] ?? '').split('=');
    return name ? [[name, value.join('=')]] : [];
  }),
);
const CPU_PROFILE_DIR = (() => {
  const at = args.indexOf('--cpu-prof');
  return at >= 0 ? (args[at + 1] ?? null) : null;
})();
const ADMIN = { email: 'owner@bench.zhike.local', password: 'bench-password-123' };

const lines = readFileSync(join(root, 'templates/retail/tests.zh-CN.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => (JSON.parse(l) as { text: string }).text);

// ---------------------------------------------------------------- the servers under test

interface Server {
  name: 'zhike' | 'hello';
  url: string;
  pid: number;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function waitHealthy(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited:\n${output()}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server not healthy:\n${output()}`);
}

async function startServer(name: 'zhike' | 'hello'): Promise<Server> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'zhike-load-'));
  const child =
    name === 'zhike'
      ? spawn(
          process.execPath,
          [
            ...(CPU_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROFILE_DIR}`] : []),
            join(root, 'apps/cli/bin/zhike.mjs'),
            'serve',
          ],
          {
            cwd: root,
            env: {
              PATH: process.env.PATH ?? '',
              HOME: process.env.HOME ?? '/root',
              PORT: String(port),
              HOST: '127.0.0.1',
              ZHIKE_PUBLIC_URL: url,
              ZHIKE_DATA_DIR: dataDir,
              ZHIKE_ADMIN_EMAIL: ADMIN.email,
              ZHIKE_ADMIN_PASSWORD: ADMIN.password,
              ZHIKE_DEMO_HISTORY: '0',
              LOG_LEVEL: 'warn',
              // The load comes from one address and one workspace: budgets off, load shedding left on.
              ZHIKE_INBOUND_RATE_LIMIT: '0',
              ZHIKE_WIDGET_SESSION_RATE_LIMIT: '0',
              ...SERVER_ENV,
            },
          },
        )
      : spawn(process.execPath, [join(root, 'bench/load/hello.mjs'), String(port)], { cwd: root });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  await waitHealthy(url, child, () => out).catch(async (error) => {
    if (name === 'hello') {
      // hello.mjs has no /healthz: its "listening" line is the signal.
      const deadline = Date.now() + 20_000;
      while (!out.includes('listening') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      if (out.includes('listening')) return;
    }
    throw error;
  });
  return {
    name,
    url,
    pid: child.pid ?? 0,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** CPU seconds (user + system) the process has used, from /proc. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  const ticks = Number(fields[11]) + Number(fields[12]);
  return ticks / 100; // USER_HZ is 100 on Linux
}

function memoryMb(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

// ---------------------------------------------------------------- clients

const agent = new Agent({ keepAlive: true, maxSockets: 256 });

function http(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string; cookies: string[] }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      `${base}${path}`,
      {
        method,
        agent,
        headers: {
          ...headers,
          ...(payload
            ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
            : {}),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          text += c;
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text, cookies: res.headers['set-cookie'] ?? [] }),
        );
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

interface Shop {
  widgetToken: string;
  apiKey: string;
  console: Record<string, string>;
}

async function prepareShop(server: Server): Promise<Shop> {
  if (server.name === 'hello') return { widgetToken: 'w', apiKey: 'k', console: {} };
  const login = await http(server.url, 'POST', '/api/v1/auth/login', ADMIN);
  if (login.status !== 200) throw new Error(`login: ${login.status} ${login.text}`);
  const cookie = login.cookies.map((c) => c.split(';')[0]).join('; ');
  const headers = { cookie, 'x-csrf-token': (JSON.parse(login.text) as { csrfToken: string }).csrfToken };
  const inboxes = JSON.parse((await http(server.url, 'GET', '/api/v1/inboxes', undefined, headers)).text) as {
    inboxes: { channel: string; widgetToken: string | null }[];
  };
  const key = await http(server.url, 'POST', '/api/v1/api-keys', { name: 'load bench' }, headers);
  if (key.status !== 201) throw new Error(`api key: ${key.status} ${key.text}`);
  return {
    widgetToken: inboxes.inboxes.find((i) => i.channel === 'widget')?.widgetToken ?? '',
    apiKey: (JSON.parse(key.text) as { secret: string }).secret,
    console: headers,
  };
}

interface Visitor {
  ws: WebSocket;
  conversationId: string | null;
  /** clientMessageId → when it was sent */
  sent: Map<string, number>;
  /** sends waiting for the bot's reply, oldest first */
  awaitingReply: number[];
}

async function openVisitor(server: Server, shop: Shop, errors: string[]): Promise<Visitor> {
  // As the widget does: a refusal with Retry-After (overload, budget) is tried again after it.
  let session = await http(
    server.url,
    'POST',
    '/api/v1/widget/sessions',
    { inbox: shop.widgetToken },
    { origin: server.url },
  );
  for (let attempt = 0; (session.status === 503 || session.status === 429) && attempt < 30; attempt++) {
    errors.push(`session refused: ${session.status}`);
    await new Promise((r) => setTimeout(r, 1000));
    session = await http(
      server.url,
      'POST',
      '/api/v1/widget/sessions',
      { inbox: shop.widgetToken },
      { origin: server.url },
    );
  }
  if (session.status !== 200) throw new Error(`session: ${session.status} ${session.text}`);
  const { visitorToken } = JSON.parse(session.text) as { visitorToken: string };
  const query = new URLSearchParams({ inbox: shop.widgetToken, visitorToken });
  const ws = new WebSocket(`${server.url.replace('http', 'ws')}/api/v1/widget/ws?${query}`, {
    headers: { origin: server.url },
    perMessageDeflate: false,
  });
  const visitor: Visitor = { ws, conversationId: null, sent: new Map(), awaitingReply: [] };
  ws.on('error', (e) => errors.push(`socket: ${e.message}`));
  await new Promise<void>((resolve, reject) => {
    ws.once('error', reject);
    ws.on('message', function ready(raw) {
      if ((JSON.parse(String(raw)) as { type: string }).type !== 'ready') return;
      ws.off('message', ready);
      resolve();
    });
  });
  return visitor;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function openMany<T>(count: number, parallel: number, open: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      for (;;) {
        const i = next++;
        if (i >= count) return;
        out[i] = await open(i);
      }
    }),
  );
  return out;
}

// ---------------------------------------------------------------- scenario: chat

interface ChatResult {
  server: string;
  sessions: number;
  sent: number;
  acked: number;
  replied: number;
  errors: number;
  ackP50: number;
  ackP99: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  messagesPerSecond: number;
  agentReplies: number;
  /** Messages answered by a person (after a hand-off) rather than the bot, and their median wait. */
  answeredByPeople: number;
  peopleP50: number;
  apiMessages: number;
  cpuPercent: number;
  rssMb: number;
  peakRssMb: number;
  rssSamples: { at: number; rss: number }[];
}

async function chat(server: Server, shop: Shop, sessions: number, seconds: number): Promise<ChatResult> {
  const errors: string[] = [];
  const visitors = await openMany(sessions, 20, () => openVisitor(server, shop, errors));
  const ackTimes: number[] = [];
  /** Customer message → the bot's (or the system's) answer on the socket: the round trip under test. */
  const replyTimes: number[] = [];
  /** Customer message → a person's answer, after a hand-off: the people queue, reported apart. */
  const peopleTimes: number[] = [];
  let sent = 0;
  let acked = 0;
  let replied = 0;
  const conversations: string[] = [];
  let stopping = false;
  for (const v of visitors) {
    v.ws.on('message', (raw) => {
      const frame = JSON.parse(String(raw)) as {
        type: string;
        clientMessageId?: string;
        conversationId?: string;
        code?: string;
        detail?: string;
        message?: { author: string };
      };
      if (frame.type === 'ack' && frame.clientMessageId) {
        const at = v.sent.get(frame.clientMessageId);
        if (at === undefined) return;
        v.sent.delete(frame.clientMessageId);
        ackTimes.push(performance.now() - at);
        acked++;
        if (frame.conversationId && !v.conversationId) {
          v.conversationId = frame.conversationId;
          conversations.push(frame.conversationId);
        }
      } else if (
        frame.type === 'message' &&
        (frame.message?.author === 'bot' ||
          frame.message?.author === 'system' ||
          frame.message?.author === 'agent')
      ) {
        const at = v.awaitingReply.shift();
        if (at === undefined) return;
        (frame.message?.author === 'agent' ? peopleTimes : replyTimes).push(performance.now() - at);
        replied++;
      } else if (frame.type === 'error') {
        errors.push(`frame: ${frame.code} ${frame.detail}`);
      }
    });
    v.ws.on('close', (code) => {
      if (!stopping) errors.push(`closed: ${code}`);
    });
  }
  const started = performance.now();
  const cpuBefore = cpuSeconds(server.pid);
  const rssSamples: { at: number; rss: number }[] = [];
  const sampler = setInterval(() => {
    rssSamples.push({ at: (performance.now() - started) / 1000, rss: memoryMb(server.pid).rss });
  }, 5_000);
  // Each visitor writes every INTERVAL_MS from a random phase; the bot answers each message.
  const timers = visitors.map((v, i) =>
    setTimeout(function tick() {
      if (stopping) return;
      // One message in flight per visitor: a customer waits for the answer before asking again — for a
      // while. One left waiting for a person (the bot is silent once people have the conversation)
      // writes again after GIVE_UP_MS, as a real customer nudges; that message stays unanswered.
      const now = performance.now();
      const waitingSince = v.awaitingReply[0];
      if (waitingSince !== undefined && now - waitingSince > GIVE_UP_MS) v.awaitingReply.shift();
      if (v.awaitingReply.length === 0) {
        const id = `m-${i}-${randomBytes(4).toString('hex')}`;
        v.sent.set(id, now);
        v.awaitingReply.push(now);
        v.ws.send(
          JSON.stringify({ type: 'send', clientMessageId: id, text: lines[(i + sent) % lines.length] }),
        );
        sent++;
      }
      timers[i] = setTimeout(tick, INTERVAL_MS);
    }, Math.random() * INTERVAL_MS),
  );
  // Agents answer conversations and integrators send through the API channel beside the chats.
  let agentReplies = 0;
  let apiMessages = 0;
  const side =
    server.name === 'zhike'
      ? [
          (async () => {
            while (!stopping) {
              await new Promise((r) => setTimeout(r, 500));
              const id = conversations[Math.floor(Math.random() * conversations.length)];
              if (!id) continue;
              const res = await http(
                server.url,
                'POST',
                `/api/v1/conversations/${id}/messages`,
                { text: '您好，我是客服，已经看到您的消息了' },
                shop.console,
              );
              if (res.status === 201) agentReplies++;
              else errors.push(`agent reply: ${res.status} ${res.text.slice(0, 100)}`);
            }
          })(),
          (async () => {
            let n = 0;
            while (!stopping) {
              await new Promise((r) => setTimeout(r, 100));
              const res = await http(
                server.url,
                'POST',
                '/api/v1/inbound',
                {
                  customer: { externalId: `api-${n % 200}` },
                  text: lines[n % lines.length],
                  messageId: `api-${n}`,
                },
                { authorization: `Bearer ${shop.apiKey}` },
              );
              n++;
              if (res.status === 200) apiMessages++;
              else errors.push(`inbound: ${res.status} ${res.text.slice(0, 100)}`);
            }
          })(),
        ]
      : [];
  await new Promise((r) => setTimeout(r, seconds * 1000));
  stopping = true;
  for (const t of timers) clearTimeout(t);
  // Replies still on their way get 10 s.
  const drainUntil = performance.now() + 10_000;
  while (replied < sent && performance.now() < drainUntil) await new Promise((r) => setTimeout(r, 50));
  clearInterval(sampler);
  await Promise.all(side);
  const elapsed = (performance.now() - started) / 1000;
  const cpu = cpuSeconds(server.pid) - cpuBefore;
  const mem = memoryMb(server.pid);
  for (const v of visitors) v.ws.close();
  const sortedReplies = [...replyTimes].sort((a, b) => a - b);
  const sortedAcks = [...ackTimes].sort((a, b) => a - b);
  const sortedPeople = [...peopleTimes].sort((a, b) => a - b);
  if (errors.length > 0) console.log(`[${server.name}] first errors:`, errors.slice(0, 5));
  return {
    server: server.name,
    sessions,
    sent,
    acked,
    replied,
    errors: errors.length,
    ackP50: percentile(sortedAcks, 50),
    ackP99: percentile(sortedAcks, 99),
    p50: percentile(sortedReplies, 50),
    p95: percentile(sortedReplies, 95),
    p99: percentile(sortedReplies, 99),
    max: sortedReplies.at(-1) ?? Number.NaN,
    messagesPerSecond: sent / seconds,
    agentReplies,
    answeredByPeople: peopleTimes.length,
    peopleP50: percentile(sortedPeople, 50),
    apiMessages,
    cpuPercent: (cpu / elapsed) * 100,
    rssMb: mem.rss,
    peakRssMb: mem.peak,
    rssSamples,
  };
}

// ---------------------------------------------------------------- scenario: idle sockets

async function idle(
  server: Server,
  shop: Shop,
  count: number,
): Promise<{ sockets: number; rssMb: number; perSocketKb: number }> {
  const before = memoryMb(server.pid).rss;
  const errors: string[] = [];
  const visitors = await openMany(count, 50, () => openVisitor(server, shop, errors));
  await new Promise((r) => setTimeout(r, 3_000));
  const after = memoryMb(server.pid).rss;
  const open = visitors.filter((v) => v.ws.readyState === WebSocket.OPEN).length;
  for (const v of visitors) v.ws.close();
  if (errors.length) console.log(`[${server.name}] idle errors:`, errors.slice(0, 5));
  return { sockets: open, rssMb: after, perSocketKb: ((after - before) * 1024) / count };
}

// ---------------------------------------------------------------- scenario: inbound throughput

/**
 * `stored`: each answer (200) comes once the message is in its conversation. `held`: with
 * `Prefer: respond-async` the answer (202) comes once it is durably held, and the server stores it after.
 */
type InboundMode = 'stored' | 'held';

async function inbound(
  server: Server,
  shop: Shop,
  seconds: number,
  mode: InboundMode,
): Promise<{
  perSecond: number;
  errors: number;
  turnedAway: number;
  p99: number;
  sent: number;
  seconds: number;
}> {
  const concurrency = 64;
  let done = 0;
  let errors = 0;
  /** 429/503 with Retry-After: the server's overload answer, nothing kept (not a failure). */
  let turnedAway = 0;
  const times: number[] = [];
  const until = performance.now() + seconds * 1000;
  const run = randomBytes(3).toString('hex');
  let n = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        const i = n++;
        const t0 = performance.now();
        const res = await http(
          server.url,
          'POST',
          '/api/v1/inbound',
          {
            customer: { externalId: `load-${i % 500}` },
            text: lines[i % lines.length],
            messageId: `load-${run}-${i}`,
          },
          {
            authorization: `Bearer ${shop.apiKey}`,
            ...(mode === 'held' ? { prefer: 'respond-async' } : {}),
          },
        ).catch(() => ({ status: 0, text: '', cookies: [] }));
        times.push(performance.now() - t0);
        if (res.status === (mode === 'held' && server.name === 'zhike' ? 202 : 200)) done++;
        else if (res.status === 429 || res.status === 503) turnedAway++;
        else errors++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  times.sort((a, b) => a - b);
  return {
    perSecond: done / elapsed,
    errors,
    turnedAway,
    p99: percentile(times, 99),
    sent: done,
    seconds: elapsed,
  };
}

/** Seconds until the Zhike server's /metrics gauge `name` reads 0 (polled every `stepMs`). */
async function untilZero(server: Server, name: string, limitMs: number, stepMs: number): Promise<number> {
  if (server.name === 'hello') return 0;
  const started = performance.now();
  const pattern = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm');
  while (performance.now() - started < limitMs) {
    const text = (await http(server.url, 'GET', '/metrics').catch(() => ({ text: '' }))).text;
    if (Number(pattern.exec(text)?.[1] ?? '0') === 0) break;
    await new Promise((r) => setTimeout(r, stepMs));
  }
  return (performance.now() - started) / 1000;
}

/** Waits until the server holds no API message it has not stored yet. */
const stored = (server: Server) => untilZero(server, 'zhike_inbound_held_messages', 600_000, 250);

/** Waits until the server has no due jobs left (bot replies of the last phase). */
const drained = (server: Server) => untilZero(server, 'zhike_jobs_ready', 300_000, 1000);

// ---------------------------------------------------------------- main

const f = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '–');
const ratio = (a: number, b: number) =>
  Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}×` : '–';

function trend(samples: { at: number; rss: number }[]): {
  growthPercent: number;
  first: number;
  last: number;
} {
  // Least-squares slope over the samples, as growth across the whole run relative to the mean.
  const n = samples.length;
  if (n < 3) return { growthPercent: Number.NaN, first: Number.NaN, last: Number.NaN };
  const mx = samples.reduce((s, p) => s + p.at, 0) / n;
  const my = samples.reduce((s, p) => s + p.rss, 0) / n;
  const slope =
    samples.reduce((s, p) => s + (p.at - mx) * (p.rss - my), 0) /
    samples.reduce((s, p) => s + (p.at - mx) ** 2, 0);
  const span = (samples.at(-1)?.at ?? 0) - (samples[0]?.at ?? 0);
  return {
    growthPercent: ((slope * span) / my) * 100,
    first: samples[0]?.rss ?? 0,
    last: samples.at(-1)?.rss ?? 0,
  };
}

async function main() {
  spawnSync(process.execPath, [join(root, 'scripts/build.mjs'), '--if-stale'], {
    stdio: 'inherit',
    cwd: root,
  });
  const machine = `${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  console.log(
    `load bench on ${machine}; load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  const report: string[] = [`\n## ${new Date().toISOString().slice(0, 16)} — ${machine}\n`];

  if (SOAK_MINUTES > 0) {
    const zhike = await startServer('zhike');
    try {
      const shop = await prepareShop(zhike);
      await chat(zhike, shop, 50, 5); // warm-up: bots compiled, JIT warm
      const r = await chat(zhike, shop, SESSIONS, SOAK_MINUTES * 60);
      // The first minutes fill caches and pools; the trend is read from the rest.
      const settled = r.rssSamples.filter((s) => s.at >= 120);
      const t = trend(settled);
      const line = `Soak ${SOAK_MINUTES} min, ${SESSIONS} sessions every ${INTERVAL_MS / 1000} s: ${r.sent} sent, ${r.replied} replied (${r.answeredByPeople} by people), ${r.errors} errors; bot reply p99 ${f(r.p99)} ms; RSS ${f(t.first, 0)} → ${f(t.last, 0)} MB after the first 2 min, trend ${f(t.growthPercent)} % over the run (limit 5 %)`;
      console.log(line);
      report.push(`${line}\n`);
    } finally {
      await zhike.stop();
    }
    appendFileSync(join(root, 'bench/load/RESULTS.md'), report.join('\n'));
    return;
  }

  const results: {
    chat?: ChatResult;
    idle?: Awaited<ReturnType<typeof idle>>;
    inbound?: Awaited<ReturnType<typeof inbound>>;
    held?: Awaited<ReturnType<typeof inbound>> & { storedPerSecond: number; storeSeconds: number };
  }[] = [];
  for (const name of ['hello', 'zhike'] as const) {
    const server = await startServer(name);
    const entry: (typeof results)[number] = {};
    try {
      const shop = await prepareShop(server);
      // Idle sockets first, on a fresh process: after the chat the heap and its garbage blur the figure.
      if (!only || only === 'idle') entry.idle = await idle(server, shop, IDLE);
      if (!only || only === 'chat') {
        await chat(server, shop, 50, 5); // warm-up
        entry.chat = await chat(server, shop, SESSIONS, SECONDS);
        const backlog = await drained(server);
        if (backlog > 1)
          console.log(`[${name}] the chat left a backlog that took ${backlog.toFixed(0)} s to drain`);
      }
      if (!only || only === 'inbound') {
        entry.inbound = await inbound(server, shop, INBOUND_SECONDS, 'stored');
        const backlog = await drained(server);
        if (backlog > 1)
          console.log(
            `[${name}] the inbound burst left a backlog that took ${backlog.toFixed(0)} s to drain`,
          );
        const held = await inbound(server, shop, INBOUND_SECONDS, 'held');
        // Stored once nothing is held: the rate counts from the first request to the last message stored.
        const storeSeconds = await stored(server);
        entry.held = {
          ...held,
          storeSeconds,
          storedPerSecond: held.sent / (held.seconds + storeSeconds),
        };
        const bot = await drained(server);
        if (bot > 1)
          console.log(`[${name}] the bot answered the held burst ${bot.toFixed(0)} s after it was stored`);
      }
    } finally {
      await server.stop();
    }
    results.push(entry);
  }
  const [hello, zhike] = results as [(typeof results)[number], (typeof results)[number]];
  const table: string[] = ['| | Fastify hello-world | Zhike | ratio |', '|---|---|---|---|'];
  const row = (label: string, a: number, b: number, digits = 1, unit = '') =>
    table.push(`| ${label} | ${f(a, digits)}${unit} | ${f(b, digits)}${unit} | ${ratio(b, a)} |`);
  if (hello.chat && zhike.chat) {
    const z = zhike.chat;
    const h = hello.chat;
    table.push(
      `| **Chat**: ${SESSIONS} widget sessions, one message each per ${INTERVAL_MS / 1000} s, ${SECONDS} s | | | |`,
    );
    row('messages/s', h.messagesPerSecond, z.messagesPerSecond);
    row('ack p50 (ms)', h.ackP50, z.ackP50, 2);
    row('ack p99 (ms)', h.ackP99, z.ackP99, 2);
    row('bot reply round trip p50 (ms)', h.p50, z.p50, 2);
    row('bot reply round trip p95 (ms)', h.p95, z.p95, 2);
    row('bot reply round trip p99 (ms)', h.p99, z.p99, 2);
    row('bot reply round trip max (ms)', h.max, z.max, 1);
    table.push(
      `| sent / acknowledged / replied | ${h.sent} / ${h.acked} / ${h.replied} | ${z.sent} / ${z.acked} / ${z.replied} | |`,
    );
    table.push(`| errors | ${h.errors} | ${z.errors} | |`);
    table.push(`| agent replies, API messages alongside | – | ${z.agentReplies}, ${z.apiMessages} | |`);
    table.push(
      `| answered by a person after a hand-off (not in the round trip), median wait | – | ${z.answeredByPeople}, ${f(z.peopleP50 / 1000)} s | |`,
    );
    row('server CPU (% of one core)', h.cpuPercent, z.cpuPercent, 0);
    row('server RSS (MB)', h.rssMb, z.rssMb, 0);
  }
  if (hello.inbound && zhike.inbound) {
    table.push(
      `| **Inbound**: POST /api/v1/inbound, 64 connections, ${INBOUND_SECONDS} s, answered once stored (200) | | | |`,
    );
    row('acknowledged messages/s', hello.inbound.perSecond, zhike.inbound.perSecond, 0);
    row('p99 (ms)', hello.inbound.p99, zhike.inbound.p99, 1);
    table.push(`| errors | ${hello.inbound.errors} | ${zhike.inbound.errors} | |`);
  }
  if (hello.held && zhike.held) {
    const z = zhike.held;
    table.push(
      `| **Inbound, Prefer: respond-async**: answered once durably held (202), ${INBOUND_SECONDS} s | | | |`,
    );
    row('acknowledged messages/s', hello.held.perSecond, z.perSecond, 0);
    row('p99 (ms)', hello.held.p99, z.p99, 1);
    table.push(`| errors | ${hello.held.errors} | ${z.errors} | |`);
    table.push(`| turned away (503, held limit) | ${hello.held.turnedAway} | ${z.turnedAway} | |`);
    table.push(
      `| held messages stored in their conversations | – | ${z.sent} in ${f(z.seconds + z.storeSeconds)} s (${f(z.storedPerSecond, 0)}/s) | |`,
    );
  }
  if (hello.idle && zhike.idle) {
    table.push(`| **Idle**: ${IDLE} open widget sockets | | | |`);
    table.push(`| sockets open | ${hello.idle.sockets} | ${zhike.idle.sockets} | |`);
    row('server RSS (MB)', hello.idle.rssMb, zhike.idle.rssMb, 0);
    row('per socket (KB)', hello.idle.perSocketKb, zhike.idle.perSocketKb, 1);
  }
  const text = table.join('\n');
  console.log(text);
  report.push(`${text}\n`);
  appendFileSync(join(root, 'bench/load/RESULTS.md'), report.join('\n'));
}

await main();
agent.destroy();
