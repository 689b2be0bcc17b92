// The topic report through the server, on SQLite and PostgreSQL: a demo shop with 12,000 customer
// messages over 14 days (Chinese food-delivery reviews from the public waimai10k set as stand-ins),
// then GET /api/v1/analytics/topics for the last 7 days (≈ 6,000 messages, read as a sample of 5,000),
// uncached and cached, and the longest the event loop stood still meanwhile (a timer every 5 ms): what
// an inbound message or a live call would have waited behind the report.
//   npx tsx bench/topics/server.ts        (datasets from ../shared/datasets, or $ZHIKE_DATASETS)
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { type Backend, testBackends } from '@zhike/db';
import { parseJsonl } from '@zhike/nlu';
import { createTestApp } from '../../apps/server/src/testing.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const datasets = process.env.ZHIKE_DATASETS ?? `${repoRoot}../shared/datasets`;
const MESSAGES = 12_000;
const CUSTOMERS = 50;
const DAY = 86_400_000;

const texts = parseJsonl(
  readFileSync(`${datasets}/waimai10k-sentiment/train.jsonl`, 'utf8'),
  'waimai10k-sentiment',
).map((m) => m.text);

async function measure(backend: Backend): Promise<void> {
  const t = await createTestApp(backend);
  try {
    const owner = await t.login();
    const workspaceId = await t.demoWorkspaceId();
    const key = await t.apiKey();
    const store = t.app.zhike.db.forWorkspace(workspaceId);
    const firsts = [];
    for (let c = 0; c < CUSTOMERS; c++) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/inbound',
        headers: { authorization: `Bearer ${key}` },
        payload: { customer: { externalId: `bench-${c}` }, text: '你好', messageId: `bench-${c}` },
      });
      firsts.push((await store.messages.get((res.json() as { messageId: string }).messageId))!);
    }
    const now = Date.now();
    for (let i = 0; i < MESSAGES; i++) {
      const first = firsts[i % CUSTOMERS]!;
      await store.messages.insert({
        ...first,
        id: t.app.zhike.newId(),
        text: texts[i % texts.length]!,
        idempotencyKey: null,
        clientMessageId: null,
        createdAt: new Date(now - (i % 14) * DAY - i * 10).toISOString(),
      });
    }
    let stall = 0;
    let last = performance.now();
    const timer = setInterval(() => {
      stall = Math.max(stall, performance.now() - last);
      last = performance.now();
    }, 5);
    const get = async (url: string) => {
      const started = performance.now();
      const res = await t.app.inject({ url, headers: { cookie: owner.cookie } });
      if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
      return { ms: performance.now() - started, body: res.json() as { messages: number; analysed: number } };
    };
    const uncached = await get('/api/v1/analytics/topics');
    const uncachedStall = stall;
    stall = 0;
    const cached = await get('/api/v1/analytics/emotion');
    clearInterval(timer);
    console.log(
      `| ${backend} | ${uncached.body.messages} | ${uncached.body.analysed} | ${(uncached.ms / 1000).toFixed(2)} s | ` +
        `${uncachedStall.toFixed(0)} ms | ${cached.ms.toFixed(0)} ms | ${loadavg()[0]!.toFixed(1)} |`,
    );
  } finally {
    await t.close();
  }
}

console.log(
  '| backend | messages (7 days) | analysed | uncached | longest event-loop stall | cached | load |',
);
console.log('|---|---|---|---|---|---|---|');
for (const backend of testBackends) await measure(backend);
process.exit(0);
