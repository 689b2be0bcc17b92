// The demo history (`zhike demo seed`) through the real app on a simulated clock, on both backends: it
// leaves conversations across channels and intents, hand-offs, agents' replies, resolutions and ratings,
// and the KPI dashboard's numbers — summed from the rollups the events fed — agree with independent SQL
// over the raw tables (conversations, messages, bot turns).
import type { KpiReport } from '@zhike/contracts';
import { type Backend, testBackends } from '@zhike/db';
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateHistory, type HistorySummary, simulatedClock } from './demo/history.ts';
import { createTestApp, type TestApp, type TestSession } from './testing.ts';

// Far from the test app's own demo data (dated around the real today).
const END = Date.parse('2026-06-08T16:00:00.000Z'); // midnight in Shanghai
const DAYS = 5;
const FROM = new Date(END - DAYS * 86_400_000).toISOString();
const TO = new Date(END).toISOString();

/** Plain SQL straight to the database, not through the product's repositories. */
async function query<T>(backend: Backend, url: string, text: string, params: unknown[]): Promise<T[]> {
  if (backend === 'sqlite') {
    const db = new Sqlite(url, { readonly: true, fileMustExist: true });
    try {
      return db.prepare(text.replace(/\$\d+/g, '?')).all(...params) as T[];
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

describe.each(testBackends)('demo history on %s', (backend: Backend) => {
  let t: TestApp;
  let owner: TestSession;
  let workspaceId: string;
  let summary: HistorySummary;
  const clock = simulatedClock(END - DAYS * 86_400_000);

  beforeAll(async () => {
    t = await createTestApp(backend, { clock, startWorker: false });
    workspaceId = await t.demoWorkspaceId();
    summary = await generateHistory(t.app.zhike, clock, {
      workspaceId,
      days: DAYS,
      perDay: 8,
      end: new Date(END),
      seed: 7,
    });
    owner = await t.login(); // signed in at the end of the history (a session opened before has expired)
  }, 120_000);
  afterAll(async () => t?.close());

  it('leaves a history with hand-offs, resolutions and ratings', () => {
    expect(summary.conversations).toBeGreaterThanOrEqual(25);
    expect(summary.handedOff).toBeGreaterThan(0);
    expect(summary.resolved).toBeGreaterThan(summary.handedOff);
    expect(summary.rated).toBeGreaterThan(0);
    expect(summary.messages).toBeGreaterThan(summary.conversations);
  });

  it('reports KPIs that independent SQL over the raw tables reproduces', async () => {
    const res = await t.app.inject({
      url: '/api/v1/kpis?from=2026-06-04&to=2026-06-08',
      headers: { cookie: owner.cookie },
    });
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json() as KpiReport;
    const kpi = (key: string) => report.kpis.find((k) => k.key === key);
    const ws = workspaceId;

    const conversations = await query<{ n: number | string }>(
      backend,
      t.database.url,
      `
      select count(*) as n from conversations
      where workspace_id = $1 and created_at >= $2 and created_at < $3`,
      [ws, FROM, TO],
    );
    expect(report.conversations).toBe(Number(conversations[0]?.n));
    expect(report.conversations).toBe(summary.conversations);

    const resolved = await query<{ n: number | string; contained: number | string }>(
      backend,
      t.database.url,
      `
      select count(*) as n,
        sum(case when c.handed_off = 0 and not exists (
          select 1 from messages m where m.workspace_id = c.workspace_id and m.conversation_id = c.id
            and m.author = 'agent') then 1 else 0 end) as contained
      from conversations c
      where c.workspace_id = $1 and c.status = 'resolved' and c.created_at >= $2 and c.created_at < $3`,
      [ws, FROM, TO],
    );
    const r = resolved[0];
    expect(kpi('containment')?.basis).toBe(Number(r?.n));
    expect(kpi('containment')?.value).toBeCloseTo(Number(r?.contained) / Number(r?.n), 4);

    const csat = await query<{ n: number | string; total: number | string }>(
      backend,
      t.database.url,
      `
      select count(*) as n, sum(csat_score) as total from conversations
      where workspace_id = $1 and csat_score is not null and created_at >= $2 and created_at < $3`,
      [ws, FROM, TO],
    );
    expect(kpi('csat')?.basis).toBe(Number(csat[0]?.n));
    expect(kpi('csat')?.value).toBeCloseTo(Number(csat[0]?.total) / Number(csat[0]?.n), 4);

    const turns = await query<{ n: number | string; fallbacks: number | string }>(
      backend,
      t.database.url,
      `
      select count(*) as n, sum(case when outcome = 'fallback' then 1 else 0 end) as fallbacks from bot_turns
      where workspace_id = $1 and at >= $2 and at < $3`,
      [ws, FROM, TO],
    );
    expect(kpi('botFallbackRate')?.basis).toBe(Number(turns[0]?.n));
    expect(kpi('botFallbackRate')?.value).toBeCloseTo(Number(turns[0]?.fallbacks) / Number(turns[0]?.n), 4);

    // AI first response: per conversation, the first bot message after the first customer message.
    const firsts = await query<{ conversation_id: string; author: string; first: string }>(
      backend,
      t.database.url,
      `
      select conversation_id, author, min(created_at) as first from messages
      where workspace_id = $1 and author in ('customer', 'bot') and created_at >= $2 and created_at < $3
      group by conversation_id, author`,
      [ws, FROM, TO],
    );
    const byConversation = new Map<string, { customer?: string; bot?: string }>();
    for (const row of firsts) {
      const entry = byConversation.get(row.conversation_id) ?? {};
      entry[row.author as 'customer' | 'bot'] = row.first;
      byConversation.set(row.conversation_id, entry);
    }
    const waits = [...byConversation.values()]
      .filter((e) => e.customer && e.bot)
      .map((e) => Date.parse(e.bot ?? '') - Date.parse(e.customer ?? ''));
    expect(kpi('aiResponseSeconds')?.basis).toBe(waits.length);
    expect(kpi('aiResponseSeconds')?.value).toBeCloseTo(
      waits.reduce((a, b) => a + b, 0) / waits.length / 1000,
      3,
    );
    expect(kpi('humanResponseSeconds')?.basis).toBe(summary.handedOff);
  });
});
