// Bot turns and their analytics on both backends: generated conversations and turns (seeded PRNG) are
// stored, and every metric the SQL computes is compared with the same numbers worked out in plain
// TypeScript from the generated data; plus the local-day edges, idempotent recording and sealing.
import {
  type BotTurnOutcome,
  botAnalyticsRange,
  botTurnOutcomes,
  createIdGenerator,
  localDay,
  type NewBotTurn,
  systemClock,
  type WorkspaceStore,
} from '@zhike/core';
import { generateMasterKey, masterKey } from '@zhike/security';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, parseDatabaseUrl } from './connect.ts';
import { type Database, openDatabase } from './database.ts';
import { createTestDatabase, type TestDatabase, testBackends } from './testing.ts';

const TZ = 'Asia/Shanghai';
const NOW = new Date('2026-11-08T04:00:00.000Z'); // 12:00 on 8 November in Shanghai
const RANGE = botAnalyticsRange({ from: '2026-11-01', to: '2026-11-07', timeZone: TZ, now: NOW });
const FROM = Date.parse('2026-10-31T16:00:00.000Z'); // 1 November 00:00 in Shanghai
const TO = Date.parse('2026-11-07T16:00:00.000Z');

/** mulberry32: small, seeded, the same sequence on every run. */
function prng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface GeneratedConversation {
  id: string;
  customerId: string;
  status: 'open' | 'resolved';
  handedOff: boolean;
  updatedAt: string;
  agentMessage: boolean;
  turns: NewBotTurn[];
}

const REASONS = ['customer_request', 'fallback', 'no_answer', 'negative_sentiment', 'urgency:regulator'];
const TARGETS = ['faq:shipping', 'faq:hours', 'faq:returns', 'order_status', 'faq:invoice', 'faq:size'];
const QUESTIONS = [
  '发票怎么开',
  '你们有实体店吗',
  '能开发票吗',
  '有赠品吗',
  '运费多少',
  'do you ship to canada',
];

function generate(newId: () => string, conversations: number): GeneratedConversation[] {
  const random = prng(20261125);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  // Turns fall from a day before the range to a day after it, so the edges are exercised.
  const instant = () => new Date(FROM - 86_400_000 + Math.floor(random() * (TO - FROM + 2 * 86_400_000)));
  return Array.from({ length: conversations }, () => {
    const id = newId();
    const customerId = newId();
    const turns: NewBotTurn[] = Array.from({ length: 1 + Math.floor(random() * 4) }, () => {
      const outcome = pick(botTurnOutcomes);
      const target = outcome === 'answered' ? pick(TARGETS) : random() < 0.3 ? pick(TARGETS) : null;
      const handoff = outcome === 'handed_off';
      return {
        conversationId: id,
        customerId,
        messageId: newId(),
        channel: random() < 0.5 ? 'widget' : 'api',
        outcome,
        target,
        targetLabel: target ? `label of ${target}` : null,
        confidence: Math.round(random() * 1000) / 1000,
        handoffReason: handoff ? pick(REASONS) : null,
        handoffPriority: handoff ? 'normal' : null,
        question: `${pick(QUESTIONS)} #${Math.floor(random() * 100)}`,
        at: instant().toISOString(),
      };
    });
    return {
      id,
      customerId,
      status: random() < 0.4 ? 'resolved' : 'open',
      handedOff: turns.some((t) => t.outcome === 'handed_off') || random() < 0.1,
      // Half the conversations went quiet long before "now", half were active within the idle window.
      updatedAt: new Date(NOW.getTime() - (random() < 0.5 ? 3_600_000 * 5 : 60_000 * 5)).toISOString(),
      agentMessage: random() < 0.2,
      turns,
    };
  });
}

/** The metrics, worked out without SQL. */
function expected(conversations: GeneratedConversation[]) {
  const inRange = (t: NewBotTurn) => Date.parse(t.at) >= FROM && Date.parse(t.at) < TO;
  const all = conversations.flatMap((c) => c.turns.filter(inRange));
  const outcomes = Object.fromEntries(botTurnOutcomes.map((o) => [o, 0])) as Record<BotTurnOutcome, number>;
  for (const t of all) outcomes[t.outcome]++;
  const tally = (keys: string[]) => {
    const m = new Map<string, number>();
    for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
    return [...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  };
  const handoffReasons = tally(
    all.filter((t) => t.outcome === 'handed_off').map((t) => t.handoffReason!),
  ).map(([reason, count]) => ({ reason, count }));
  const topAnswers = tally(all.filter((t) => t.outcome === 'answered').map((t) => t.target!))
    .slice(0, 10)
    .map(([target, count]) => ({ target, label: `label of ${target}`, count }));
  const daily = RANGE.days.map(({ day }) => {
    const turns = all.filter((t) => localDay(new Date(t.at), TZ) === day);
    return {
      day,
      turns: turns.length,
      conversations: new Set(turns.map((t) => t.conversationId)).size,
      answered: turns.filter((t) => t.outcome === 'answered').length,
      fallbacks: turns.filter((t) => t.outcome === 'fallback').length,
      handoffs: turns.filter((t) => t.outcome === 'handed_off').length,
    };
  });
  const worked = conversations.filter((c) => c.turns.some(inRange));
  const escalated = worked.filter(
    (c) => c.handedOff || c.agentMessage || c.turns.some((t) => inRange(t) && t.outcome === 'handed_off'),
  );
  const contained = worked.filter(
    (c) => !escalated.includes(c) && (c.status === 'resolved' || c.updatedAt < RANGE.idleBefore),
  );
  const noAnswer = new Set(['fallback', 'no_answer']);
  const unanswered = all
    .filter(
      (t) =>
        t.outcome === 'fallback' ||
        (t.outcome === 'handed_off' && noAnswer.has(t.handoffReason!)) ||
        (t.outcome === 'clarified' &&
          conversations
            .find((c) => c.id === t.conversationId)!
            .turns.some((h) => h.outcome === 'handed_off' && h.at >= t.at)),
    )
    .sort((a, b) => b.at.localeCompare(a.at));
  return {
    metrics: {
      turns: all.length,
      outcomes,
      conversations: worked.length,
      contained: contained.length,
      escalated: escalated.length,
      handoffReasons,
      topAnswers,
      daily,
    },
    unanswered,
  };
}

describe.each(testBackends)('bot turns on %s', (backend) => {
  let tdb: TestDatabase;
  let db: Database;
  const newId = createIdGenerator(systemClock);
  const ws = newId();
  const other = newId();
  const inboxes = { [ws]: newId(), [other]: newId() };
  const created = '2026-10-01T00:00:00.000Z';
  const generated = generate(newId, 80);
  const elsewhere = generate(newId, 10);

  const store = (id: string): WorkspaceStore => db.forWorkspace(id);

  async function seedConversations(workspaceId: string, list: GeneratedConversation[]) {
    const s = store(workspaceId);
    const inboxId = inboxes[workspaceId]!;
    for (const c of list) {
      await s.customers.create({
        id: c.customerId,
        name: null,
        email: null,
        phone: null,
        identity: { kind: 'external', value: c.customerId, verified: true, source: 'api' },
        createdAt: created,
      });
      await s.conversations.create({
        id: c.id,
        workspaceId,
        inboxId,
        customerId: c.customerId,
        channel: 'api',
        status: c.status,
        priority: 'normal',
        tags: [],
        assigneeId: null,
        handedOff: c.handedOff,
        botActive: !c.handedOff,
        queueId: null,
        priorityScore: 0,
        waitingSince: null,
        routing: null,
        createdAt: created,
        updatedAt: c.updatedAt,
      });
      if (c.agentMessage)
        await s.messages.insert({
          id: newId(),
          workspaceId,
          conversationId: c.id,
          inboxId,
          author: 'agent',
          authorUserId: null,
          text: '您好，我来帮您看看',
          attachments: [],
          idempotencyKey: null,
          clientMessageId: null,
          createdAt: c.updatedAt,
        });
      for (const t of c.turns) expect(await s.botTurns.record(t)).toBe(true);
    }
  }

  beforeAll(async () => {
    tdb = await createTestDatabase(backend);
    db = openDatabase({ url: tdb.url, newId, masterKeys: [masterKey(generateMasterKey())] });
    await db.migrate();
    for (const [id, slug] of [
      [ws, 'turns-a'],
      [other, 'turns-b'],
    ] as const) {
      await db.directory.seedWorkspace({
        workspace: { id, slug, name: slug, locale: 'zh-CN', createdAt: created },
        owner: {
          id: newId(),
          workspaceId: id,
          email: `${slug}@x.test`,
          name: slug,
          role: 'owner',
          createdAt: created,
          passwordHash: 'x',
        },
        inboxes: [
          {
            id: inboxes[id]!,
            workspaceId: id,
            name: 'api',
            channel: 'api',
            widgetToken: null,
            allowedOrigins: [],
            webhookUrl: null,
            webhookSecret: null,
            greeting: null,
            createdAt: created,
          },
        ],
        faqs: [],
      });
    }
    await seedConversations(ws, generated);
    await seedConversations(other, elsewhere);
  }, 60_000);
  afterAll(async () => {
    await db?.close();
    await tdb?.drop();
  });

  it('computes every metric exactly as worked out from the generated turns', async () => {
    const want = expected(generated);
    const got = await store(ws).botTurns.metrics(RANGE);
    expect(got).toEqual(want.metrics);
    // The generator must exercise every branch, or the comparison proves little.
    expect(want.metrics.turns).toBeGreaterThan(100);
    expect(want.metrics.contained).toBeGreaterThan(0);
    expect(want.metrics.escalated).toBeGreaterThan(0);
    expect(want.metrics.conversations).toBeGreaterThan(want.metrics.contained + want.metrics.escalated);
    expect(generated.flatMap((c) => c.turns).length).toBeGreaterThan(want.metrics.turns);
  });

  it('lists the unanswered questions newest first, opened, and only this workspace’s', async () => {
    const want = expected(generated).unanswered;
    const got = await store(ws).botTurns.unanswered(RANGE, 1000);
    expect(got.map((t) => t.question)).toEqual(want.map((t) => t.question));
    expect(got.map((t) => t.at)).toEqual(want.map((t) => t.at));
    expect(got.length).toBeGreaterThan(5);
    expect(await store(ws).botTurns.unanswered(RANGE, 3)).toHaveLength(3);
    const otherIds = new Set(elsewhere.map((c) => c.id));
    expect(got.some((t) => otherIds.has(t.conversationId))).toBe(false);
  });

  it('dismisses questions of its own workspace only, once', async () => {
    const before = await store(ws).botTurns.unanswered(RANGE, 1000);
    const theirs = await store(other).botTurns.unanswered(RANGE, 1000);
    const ids = before.slice(0, 2).map((t) => t.id);
    expect(await store(other).botTurns.dismiss(ids, NOW.toISOString())).toBe(0);
    expect(await store(ws).botTurns.dismiss([...ids, theirs[0]!.id], NOW.toISOString())).toBe(2);
    expect(await store(ws).botTurns.dismiss(ids, NOW.toISOString())).toBe(0);
    const after = await store(ws).botTurns.unanswered(RANGE, 1000);
    expect(after.map((t) => t.id)).toEqual(before.slice(2).map((t) => t.id));
    expect(await store(other).botTurns.unanswered(RANGE, 1000)).toHaveLength(theirs.length);
    // Dismissing hides questions; the metrics still count the turns.
    expect(await store(ws).botTurns.metrics(RANGE)).toEqual(expected(generated).metrics);
  });

  it('records a turn once per message and seals the question', async () => {
    const turn = generated[0]!.turns[0]!;
    expect(await store(ws).botTurns.record({ ...turn, outcome: 'answered' })).toBe(false);
    const { kysely } = connect(parseDatabaseUrl(tdb.url), { poolSize: 1 });
    try {
      const rows = await sql<{ question: string; outcome: string }>`
        select question, outcome from bot_turns where message_id = ${turn.messageId}`.execute(kysely);
      expect(rows.rows).toHaveLength(1);
      expect(rows.rows[0]!.outcome).toBe(turn.outcome);
      expect(rows.rows[0]!.question).not.toContain(turn.question.split(' ')[0]!);
    } finally {
      await kysely.destroy();
    }
  });

  it('puts a turn in the local day it happened, at the edges of days and of the range', async () => {
    const s = store(other);
    const c = elsewhere[0]!;
    const at = (iso: string, question: string): NewBotTurn => ({
      ...c.turns[0]!,
      messageId: newId(),
      at: iso,
      outcome: 'fallback',
      question,
    });
    const oneDay = botAnalyticsRange({ from: '2026-11-09', to: '2026-11-10', timeZone: TZ, now: NOW });
    for (const turn of [
      at('2026-11-08T15:59:59.999Z', 'before'), // 8 Nov 23:59:59.999 local: outside
      at('2026-11-08T16:00:00.000Z', 'first'), // 9 Nov 00:00 local
      at('2026-11-09T15:59:59.999Z', 'last of 9'),
      at('2026-11-09T16:00:00.000Z', 'first of 10'),
      at('2026-11-10T16:00:00.000Z', 'after'), // 11 Nov: outside
    ])
      await s.botTurns.record(turn);
    const metrics = await s.botTurns.metrics(oneDay);
    expect(metrics.daily.map((d) => [d.day, d.turns, d.fallbacks])).toEqual([
      ['2026-11-09', 2, 2],
      ['2026-11-10', 1, 1],
    ]);
    expect((await s.botTurns.unanswered(oneDay, 10)).map((t) => t.question)).toEqual([
      'first of 10',
      'last of 9',
      'first',
    ]);
  });
});
