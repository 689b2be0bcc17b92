// Server-side bot reply latency: the whole path a real integration sees, on the embedded SQLite default and
// on PostgreSQL. Each retail test line is sent by a new customer as an HTTP POST to the API channel of a
// listening server (demo shop, no LLM); the clock stops when the bot's reply is stored and its
// `message.created` event fires (validation, idempotent insert, durable bot.reply job, NLU + dialogue,
// stored reply). Measured one message at a time, and with 8 customers writing at once.
// Appends its table to bench/bot/RESULTS.md (run after run.ts, as `npm run bench:bot` does).
import { appendFileSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { Backend } from '@zhike/db';
import { createTestApp } from '../../apps/server/src/testing.ts';

const root = new URL('../..', import.meta.url).pathname;
const lines = readFileSync(join(root, 'templates/retail/tests.zh-CN.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => (JSON.parse(l) as { text: string }).text);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

interface Result {
  backend: Backend;
  concurrency: number;
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

async function measure(backend: Backend, concurrency: number): Promise<Result> {
  const t = await createTestApp(backend, { jobPollMs: 1000 });
  try {
    const key = await t.apiKey();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    if (!address || typeof address === 'string') throw new Error('no address');
    const url = `http://127.0.0.1:${address.port}/api/v1/inbound`;
    const waiting = new Map<string, () => void>();
    const unsubscribe = t.app.zhike.bus.subscribe((event) => {
      // A hand-off is answered by a system message ("transferring you"), everything else by the bot.
      if (event.name === 'message.created' && (event.author === 'bot' || event.author === 'system'))
        waiting.get(event.conversationId)?.();
    });
    let seq = 0;
    const send = async (text: string): Promise<number> => {
      const id = ++seq;
      const started = performance.now();
      let conversationId = '';
      let replied = false;
      let release: () => void = () => {};
      const reply = new Promise<void>((resolve) => {
        release = resolve;
      });
      const res = await fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          customer: { externalId: `bench-${concurrency}-${id}` },
          text,
          messageId: `b-${id}`,
        }),
      });
      if (res.status !== 200) throw new Error(`inbound answered ${res.status}: ${await res.text()}`);
      conversationId = ((await res.json()) as { conversationId: string }).conversationId;
      // The reply may already be stored by the time the response is read.
      waiting.set(conversationId, () => {
        replied = true;
        release();
      });
      const stored = await t.app.zhike.db
        .forWorkspace(await t.demoWorkspaceId())
        .messages.list(conversationId, { limit: 10 });
      if (!replied && stored.some((m) => m.author === 'bot' || m.author === 'system')) release();
      const timer = setTimeout(() => release(), 10_000);
      await reply;
      clearTimeout(timer);
      waiting.delete(conversationId);
      return performance.now() - started;
    };
    // Warm-up: the first message compiles the shop's bot (once per workspace, about a second).
    for (const text of lines.slice(0, 5)) await send(text);
    const times: number[] = [];
    let next = 0;
    const worker = async () => {
      while (next < lines.length) {
        const text = lines[next++] as string;
        times.push(await send(text));
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    unsubscribe();
    times.sort((a, b) => a - b);
    return {
      backend,
      concurrency,
      n: times.length,
      p50: percentile(times, 50),
      p95: percentile(times, 95),
      p99: percentile(times, 99),
      max: times[times.length - 1] ?? Number.NaN,
    };
  } finally {
    await t.close();
  }
}

const results: Result[] = [];
for (const backend of ['sqlite', 'postgres'] as Backend[]) {
  for (const concurrency of [1, 8]) {
    const r = await measure(backend, concurrency);
    results.push(r);
    console.log(
      `server ${backend.padEnd(8)} concurrency ${concurrency}: ${r.n} replies  p50 ${r.p50.toFixed(1)} ms  p95 ${r.p95.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms  max ${r.max.toFixed(1)} ms  (target p95 < 50 ms ${r.p95 < 50 ? 'met' : 'MISSED'})`,
    );
  }
}

const ms = (v: number) => `${v.toFixed(1)} ms`;
appendFileSync(
  join(root, 'bench/bot/RESULTS.md'),
  [
    '',
    '## Server-side reply latency',
    '',
    `Generated by \`npx tsx bench/bot/server.ts\` (part of \`npm run bench:bot\`), load average ${loadavg()[0]?.toFixed(1)} at the end.`,
    'Each retail test line is sent by a new customer as an HTTP POST to the API channel of a listening server (demo',
    'shop, no LLM, durable `bot.reply` job); the time runs from sending the request until the bot reply is stored',
    'and its `message.created` event fires. Five warm-up messages first (the first compiles the bot).',
    '',
    '| database | customers writing at once | replies | p50 | p95 | p99 | max | target p95 < 50 ms |',
    '| -------- | ------------------------- | ------- | --- | --- | --- | --- | ------------------ |',
    ...results.map(
      (r) =>
        `| ${r.backend} | ${r.concurrency} | ${r.n} | ${ms(r.p50)} | ${ms(r.p95)} | ${ms(r.p99)} | ${ms(r.max)} | ${r.p95 < 50 ? '✓' : '✗'} |`,
    ),
    '',
  ].join('\n'),
);
