// A large synthetic history written straight into a Zhike database for the dashboard benchmark: customers,
// conversations, their messages and bot turns over two years, and the KPI rollups the listener would have
// added for the same facts (computed here from them, hour by hour). Rows go in through the database
// driver in large batches; personal fields are left empty (the dashboard reads none of them).
import { seededRandom } from '@zhike/core';
import type { Backend } from '@zhike/db';
import Sqlite from 'better-sqlite3';
import pg from 'pg';

export interface SyntheticHistory {
  messages: number;
  conversations: number;
  rollupRows: number;
  first: string;
  last: string;
}

const INTENTS = [
  'order_status',
  'refund_request',
  'return_request',
  'exchange_request',
  'shipping-time',
  'invoice',
  'complaint',
  'human_agent',
  'coupon',
  'warranty',
];

type Row = Record<string, string | number | null>;

/** Batched inserts through the raw driver, the same SQL on both databases. */
export interface RowWriter {
  insert(table: string, rows: readonly Row[]): Promise<void>;
  close(): Promise<void>;
}

export async function rowWriter(backend: Backend, url: string): Promise<RowWriter> {
  if (backend === 'sqlite') {
    const db = new Sqlite(url);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    return {
      async insert(table, rows) {
        const first = rows[0];
        if (!first) return;
        const columns = Object.keys(first);
        const statement = db.prepare(
          `insert into ${table} (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})`,
        );
        db.transaction(() => {
          for (const row of rows) statement.run(...columns.map((c) => row[c] ?? null));
        })();
      },
      async close() {
        db.close();
      },
    };
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return {
    async insert(table, rows) {
      const first = rows[0];
      if (!first) return;
      const columns = Object.keys(first);
      const per = Math.floor(60_000 / columns.length);
      for (let start = 0; start < rows.length; start += per) {
        const chunk = rows.slice(start, start + per);
        const params: unknown[] = [];
        const values = chunk.map((row) => {
          const marks = columns.map((c) => {
            params.push(row[c] ?? null);
            return `$${params.length}`;
          });
          return `(${marks.join(', ')})`;
        });
        await client.query(
          `insert into ${table} (${columns.join(', ')}) values ${values.join(', ')}`,
          params,
        );
      }
    },
    async close() {
      await client.end();
    },
  };
}

const hourOf = (ms: number) => new Date(ms).toISOString().slice(0, 13);
const iso = (ms: number) => new Date(ms).toISOString();

export async function writeHistory(
  writer: RowWriter,
  options: {
    workspaceId: string;
    inboxes: { id: string; channel: string }[];
    agentIds: string[];
    messages: number;
    days: number;
    end: number;
    seed?: number;
  },
): Promise<SyntheticHistory> {
  const rand = seededRandom(options.seed ?? 1);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
  const ws = options.workspaceId;
  const start = options.end - options.days * 86_400_000;
  const customerCount = Math.max(100, Math.round(options.messages / 12));
  const customers: Row[] = [];
  for (let i = 0; i < customerCount; i++)
    customers.push({ id: `bench-customer-${i}`, workspace_id: ws, created_at: iso(start), name: null });
  await writer.insert('customers', customers);

  // As the listener adds them: each fact to its UTC hour and its Shanghai day, for the whole workspace
  // and under each dimension it has (channel, queue, agent, intent).
  const rollups = new Map<string, { count: number; total: number }>();
  const add = (metric: string, at: number, dims: [string, string, string, string], total = 0) => {
    const named: [string, string][] = [
      ['all', ''],
      ['channel', dims[0]],
      ['queue', dims[1]],
      ['agent', dims[2]],
      ['intent', dims[3]],
    ];
    const day = new Date(at + 8 * 3_600_000).toISOString().slice(0, 10);
    for (const [dim, value] of named) {
      if (dim !== 'all' && value === '') continue;
      for (const [grain, bucket] of [
        ['hour', hourOf(at)],
        ['day', day],
      ] as const) {
        const key = [grain, dim, value, bucket, metric].join('|');
        const row = rollups.get(key) ?? { count: 0, total: 0 };
        row.count++;
        row.total += Math.round(total);
        rollups.set(key, row);
      }
    }
  };

  let messages = 0;
  let conversations = 0;
  let batch = { conversations: [] as Row[], messages: [] as Row[], turns: [] as Row[] };
  const flush = async () => {
    await writer.insert('conversations', batch.conversations);
    await writer.insert('messages', batch.messages);
    await writer.insert('bot_turns', batch.turns);
    batch = { conversations: [], messages: [], turns: [] };
  };
  while (messages < options.messages) {
    const id = `bench-conv-${conversations++}`;
    const inbox = pick(options.inboxes);
    const customer = `bench-customer-${Math.floor(rand() * customerCount)}`;
    const t0 = start + Math.floor(rand() * options.days * 86_400_000);
    const intent = pick(INTENTS);
    const handedOff = rand() < 0.25;
    const resolved = rand() < 0.85;
    const agent = handedOff ? pick(options.agentIds) : null;
    const dims = (agentId = ''): [string, string, string, string] => [inbox.channel, '', agentId, intent];
    let at = t0;
    const message = (author: string, text: string, userId: string | null = null) => {
      batch.messages.push({
        id: `${id}-m${messages}`,
        workspace_id: ws,
        conversation_id: id,
        inbox_id: inbox.id,
        author,
        author_user_id: userId,
        text,
        attachments: '[]',
        idempotency_key: null,
        client_message_id: null,
        created_at: iso(at),
      });
      messages++;
    };
    const turn = (outcome: string) =>
      batch.turns.push({
        id: `${id}-t${messages}`,
        workspace_id: ws,
        conversation_id: id,
        customer_id: customer,
        message_id: `${id}-m${messages - 1}`,
        channel: inbox.channel,
        outcome,
        target: intent,
        target_label: intent,
        confidence: 800,
        handoff_reason: outcome === 'handed_off' ? 'customer_request' : null,
        handoff_priority: null,
        question: '',
        at: iso(at),
        dismissed_at: null,
      });
    add('conversations', t0, [inbox.channel, '', '', '']);
    message('customer', 'question');
    at += 500 + rand() * 4000;
    const fallback = rand() < 0.1;
    turn(handedOff ? 'handed_off' : fallback ? 'fallback' : 'answered');
    add('bot_turns', at, dims());
    if (fallback && !handedOff) add('bot_fallbacks', at, dims());
    message('bot', 'answer');
    add('ai_first_response', at, dims(), at - t0);
    if (rand() < 0.5) {
      at += 20_000 + rand() * 60_000;
      message('customer', 'follow-up');
      at += 500 + rand() * 2000;
      turn('answered');
      add('bot_turns', at, dims());
      message('bot', 'answer');
    }
    if (handedOff && agent) {
      const waiting = at;
      at += 5_000 + rand() * 90_000;
      add('pickup_wait', at, dims(agent), at - waiting);
      at += 5_000 + rand() * 30_000;
      message('agent', 'reply', agent);
      add('human_first_response', at, dims(agent), at - waiting);
      at += 60_000 + rand() * 600_000;
      message('agent', 'closing', agent);
    }
    const picked = handedOff ? at - 400_000 : at;
    at += 30_000 + rand() * 120_000;
    const rated = resolved && rand() < 0.3 ? pick([5, 5, 4, 4, 4, 3, 2, 1]) : null;
    if (resolved) {
      add('resolved', at, dims(agent ?? ''));
      if (!handedOff) add('contained', at, dims());
      else add('handle_time', at, dims(agent ?? ''), at - picked);
      if (rated !== null) {
        add('csat', at, dims(agent ?? ''), rated);
        if (rated >= 4) add('csat_satisfied', at, dims(agent ?? ''));
      }
    }
    batch.conversations.push({
      id,
      workspace_id: ws,
      inbox_id: inbox.id,
      customer_id: customer,
      channel: inbox.channel,
      status: resolved ? 'resolved' : 'open',
      priority: 'normal',
      tags: '[]',
      assignee_id: agent,
      handed_off: handedOff ? 1 : 0,
      bot_active: handedOff ? 0 : 1,
      created_at: iso(t0),
      updated_at: iso(at),
      csat_score: rated,
      rated_at: rated !== null ? iso(at) : null,
    });
    if (batch.messages.length >= 20_000) await flush();
  }
  await flush();
  const rows: Row[] = [...rollups].map(([key, v]) => {
    const [grain, dim, value, bucket, metric] = key.split('|');
    return {
      workspace_id: ws,
      grain: grain ?? '',
      dim: dim ?? '',
      value: value ?? '',
      bucket: bucket ?? '',
      metric: metric ?? '',
      count: v.count,
      total: v.total,
    };
  });
  for (let i = 0; i < rows.length; i += 20_000)
    await writer.insert('metric_rollups', rows.slice(i, i + 20_000));
  return { messages, conversations, rollupRows: rows.length, first: iso(start), last: iso(options.end) };
}
