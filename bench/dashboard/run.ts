// Dashboard benchmark (issue 12: "Dashboard API p95 < 200 ms with 1,000,000 messages, on SQLite and on
// PostgreSQL"). For each database: a fresh Zhike database with the demo shop, two years of history with
// MESSAGES messages (default 1,000,000) written straight in, then GET /api/v1/kpis through the real app
// for random ranges (7 to 365 days) and filters, side by side with the peer a dashboard without rollups
// would be: the same KPIs computed by SQL over the raw conversations, messages and bot turns. Prints p50,
// p95 and p99 of each and the ratio.
//   npm run bench:dashboard [-- --messages 1000000 --queries 200]
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { seededRandom } from '@zhike/core';
import { type Backend, createTestDatabase } from '@zhike/db';
import { createApp, loadConfig } from '@zhike/server';
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import { rowWriter, writeHistory } from './history.ts';

const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '1000000' },
    queries: { type: 'string', default: '200' },
    peer: { type: 'string', default: '20' },
    backends: { type: 'string', default: 'sqlite,postgres' },
  },
});
const MESSAGES = Number(values.messages);
const QUERIES = Number(values.queries);
const PEER_QUERIES = Number(values.peer);
const DAYS = 730;
const PASSWORD = 'bench dashboard password 1';

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
const stats = (samples: number[]) => {
  const s = [...samples].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99) };
};
const ms = (n: number) => `${n.toFixed(1)} ms`;

interface Query {
  from: string;
  to: string;
  channel?: string;
}

/** The peer: the same indicators by SQL over the raw tables, as a dashboard without rollups computes them. */
async function peerKpis(backend: Backend, url: string, ws: string, q: Query): Promise<number> {
  const from = `${q.from}T00:00:00.000Z`;
  const to = new Date(Date.parse(`${q.to}T00:00:00.000Z`) + 86_400_000).toISOString();
  const channel = q.channel ? ' and c.channel = $4' : '';
  const params = q.channel ? [ws, from, to, q.channel] : [ws, from, to];
  // Milliseconds between the first customer message and the first bot answer, in each dialect.
  const gap =
    backend === 'sqlite'
      ? '(julianday(b) - julianday(c2)) * 86400000'
      : 'extract(epoch from (b::timestamptz - c2::timestamptz)) * 1000';
  const statements = [
    `select count(*) as n,
       sum(case when c.status = 'resolved' then 1 else 0 end) as resolved,
       sum(case when c.status = 'resolved' and c.handed_off = 0 then 1 else 0 end) as contained,
       avg(c.csat_score) as csat
     from conversations c where c.workspace_id = $1 and c.created_at >= $2 and c.created_at < $3${channel}`,
    `select count(*) as n, sum(case when t.outcome = 'fallback' then 1 else 0 end) as fallbacks
     from bot_turns t where t.workspace_id = $1 and t.at >= $2 and t.at < $3${channel.replace('c.', 't.')}`,
    `select avg(${gap}) as ai from (
       select min(case when m.author = 'bot' then m.created_at end) as b,
              min(case when m.author = 'customer' then m.created_at end) as c2
       from messages m join conversations c on c.id = m.conversation_id
       where m.workspace_id = $1 and m.created_at >= $2 and m.created_at < $3${channel}
       group by m.conversation_id) x where b is not null and c2 is not null`,
  ];
  const started = performance.now();
  if (backend === 'sqlite') {
    const db = new Sqlite(url, { readonly: true });
    try {
      for (const s of statements) db.prepare(s.replace(/\$\d+/g, '?')).all(...params);
    } finally {
      db.close();
    }
  } else {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      for (const s of statements) await client.query(s, params);
    } finally {
      await client.end();
    }
  }
  return performance.now() - started;
}

async function runBackend(backend: Backend) {
  const database = await createTestDatabase(backend);
  const dataDir = mkdtempSync(join(tmpdir(), 'zhike-bench-dashboard-'));
  const config = loadConfig({
    DATABASE_URL: database.url,
    ZHIKE_DATA_DIR: dataDir,
    ZHIKE_ADMIN_PASSWORD: PASSWORD,
    ZHIKE_DEMO_HISTORY: '0',
    LOG_LEVEL: 'error',
  });
  const app = await createApp(config, { startWorker: false });
  try {
    const workspace = await app.zhike.db.directory.workspaceBySlug(app.zhike.seed.workspaceSlug);
    if (!workspace) throw new Error('no demo workspace');
    const store = app.zhike.db.forWorkspace(workspace.id);
    const inboxes = (await store.inboxes.list()).map((i) => ({ id: i.id, channel: i.channel }));
    const agentIds = (await store.users.list()).map((u) => u.id);
    const end = Date.parse(`${new Date().toISOString().slice(0, 10)}T00:00:00.000Z`);
    const writer = await rowWriter(backend, database.url);
    const writing = performance.now();
    const history = await writeHistory(writer, {
      workspaceId: workspace.id,
      inboxes,
      agentIds,
      messages: MESSAGES,
      days: DAYS,
      end,
    });
    await writer.close();
    if (backend === 'postgres') {
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      await client.query('analyze');
      await client.end();
    }
    console.log(
      `[${backend}] wrote ${history.messages.toLocaleString('en')} messages in ${history.conversations.toLocaleString('en')} conversations ` +
        `and ${history.rollupRows.toLocaleString('en')} rollup rows in ${((performance.now() - writing) / 1000).toFixed(0)} s`,
    );

    const login = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: config.adminEmail, password: PASSWORD },
    });
    if (login.statusCode !== 200) throw new Error(`login failed: ${login.body}`);
    const cookie = login.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const rand = seededRandom(42);
    const queries: Query[] = Array.from({ length: QUERIES }, () => {
      const span = [7, 30, 90, 365][Math.floor(rand() * 4)] ?? 30;
      const last = end - Math.floor(rand() * (DAYS - span)) * 86_400_000 - 86_400_000;
      const q: Query = {
        from: new Date(last - (span - 1) * 86_400_000).toISOString().slice(0, 10),
        to: new Date(last).toISOString().slice(0, 10),
      };
      if (rand() < 0.3) q.channel = inboxes[Math.floor(rand() * inboxes.length)]?.channel ?? 'widget';
      return q;
    });
    const ours: number[] = [];
    for (const q of queries) {
      const search = new URLSearchParams({
        from: q.from,
        to: q.to,
        ...(q.channel ? { dimension: 'channel', value: q.channel } : {}),
      }).toString();
      const started = performance.now();
      const res = await app.inject({ url: `/api/v1/kpis?${search}`, headers: { cookie } });
      ours.push(performance.now() - started);
      if (res.statusCode !== 200) throw new Error(`kpis ${res.statusCode}: ${res.body}`);
    }
    const peer: number[] = [];
    for (const q of queries.slice(0, PEER_QUERIES))
      peer.push(await peerKpis(backend, database.url, workspace.id, q));
    const a = stats(ours);
    const b = stats(peer);
    console.log(
      `[${backend}] GET /api/v1/kpis (rollups), ${QUERIES} queries: p50 ${ms(a.p50)}, p95 ${ms(a.p95)}, p99 ${ms(a.p99)}`,
    );
    console.log(
      `[${backend}] peer: the same KPIs by SQL over the raw tables, ${PEER_QUERIES} queries: p50 ${ms(b.p50)}, p95 ${ms(b.p95)}, p99 ${ms(b.p99)}`,
    );
    console.log(`[${backend}] p95 ratio peer / rollups: ${(b.p95 / a.p95).toFixed(1)}×`);
    return { backend, ours: a, peer: b };
  } finally {
    await app.close();
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

console.log(
  `Dashboard benchmark: ${MESSAGES.toLocaleString('en')} messages over ${DAYS} days; ${cpus()[0]?.model ?? 'cpu'} × ${availableParallelism()}, Node ${process.version}`,
);
const results = [];
for (const backend of values.backends.split(',') as Backend[]) results.push(await runBackend(backend));
console.log('\n| Database | KPIs from rollups p50 / p95 / p99 | Peer: raw-table SQL p50 / p95 | p95 ratio |');
console.log('|---|---|---|---|');
for (const r of results)
  console.log(
    `| ${r.backend} | ${ms(r.ours.p50)} / ${ms(r.ours.p95)} / ${ms(r.ours.p99)} | ${ms(r.peer.p50)} / ${ms(r.peer.p95)} | ${(r.peer.p95 / r.ours.p95).toFixed(1)}× |`,
  );
