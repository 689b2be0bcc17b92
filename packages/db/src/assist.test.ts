// Agent assist storage on both backends: survey results sealed with the customer's key and scoped to the
// workspace; the history of replies holds only resolved conversations that ended well (rated 4–5, or
// unrated and never reopened), pairs each reply with the customer message it answered and carries the
// learning loop's verdicts; feedback is recorded once per agent and message; erasure takes it along.
import { createIdGenerator, type SuggestionFeedback, systemClock, type WorkspaceStore } from '@zhike/core';
import { generateMasterKey, masterKey } from '@zhike/security';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, parseDatabaseUrl } from './connect.ts';
import { type Database, openDatabase } from './database.ts';
import { createTestDatabase, type TestDatabase, testBackends } from './testing.ts';

describe.each(testBackends)('assist repository on %s', (backend) => {
  let tdb: TestDatabase;
  let db: Database;
  const newId = createIdGenerator(systemClock);
  const ws = newId();
  const other = newId();
  const inboxes = { [ws]: newId(), [other]: newId() };
  const agents = { [ws]: newId(), [other]: newId() };
  const created = '2026-11-01T00:00:00.000Z';
  const store = (id: string): WorkspaceStore => db.forWorkspace(id);
  let minute = 0;
  const at = () => new Date(Date.parse(created) + 60_000 * ++minute).toISOString();

  /** A conversation with alternating customer and agent messages; returns its ids. */
  async function conversation(
    workspaceId: string,
    input: {
      status: 'open' | 'resolved';
      name?: string;
      lines: [author: 'customer' | 'agent', text: string][];
    },
  ) {
    const s = store(workspaceId);
    const customerId = newId();
    const inboxId = inboxes[workspaceId]!;
    await s.customers.create({
      id: customerId,
      name: input.name ?? null,
      email: null,
      phone: null,
      identity: { kind: 'external', value: customerId, verified: true, source: 'api' },
      createdAt: created,
    });
    const id = newId();
    await s.conversations.create({
      id,
      workspaceId,
      inboxId,
      customerId,
      channel: 'api',
      status: input.status,
      priority: 'normal',
      tags: [],
      assigneeId: null,
      handedOff: true,
      botActive: false,
      queueId: null,
      priorityScore: 0,
      waitingSince: null,
      routing: null,
      createdAt: created,
      updatedAt: at(),
    });
    const messageIds: string[] = [];
    for (const [author, text] of input.lines) {
      const messageId = newId();
      messageIds.push(messageId);
      await s.messages.insert({
        id: messageId,
        workspaceId,
        conversationId: id,
        inboxId,
        author,
        authorUserId: author === 'agent' ? agents[workspaceId]! : null,
        text,
        attachments: [],
        idempotencyKey: null,
        clientMessageId: null,
        createdAt: at(),
      });
    }
    return { id, customerId, messageIds };
  }

  beforeAll(async () => {
    tdb = await createTestDatabase(backend);
    db = openDatabase({ url: tdb.url, newId, masterKeys: [masterKey(generateMasterKey())] });
    await db.migrate();
    for (const [id, slug] of [
      [ws, 'assist-a'],
      [other, 'assist-b'],
    ] as const) {
      await db.directory.seedWorkspace({
        workspace: { id, slug, name: slug, locale: 'zh-CN', createdAt: created },
        owner: {
          id: agents[id]!,
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
  }, 60_000);
  afterAll(async () => {
    await db?.close();
    await tdb?.drop();
  });

  it('stores a survey result sealed, in its own workspace only', async () => {
    const c = await conversation(ws, { status: 'resolved', lines: [['customer', '在吗']] });
    const rating = { score: 5, comment: '客服很耐心，王女士满意', ratedAt: at() };
    expect(await store(ws).assist.rate(c.id, rating)).toBe(true);
    expect(await store(ws).assist.rating(c.id)).toEqual(rating);
    // Another workspace can neither read nor overwrite it.
    expect(await store(other).assist.rate(c.id, { ...rating, score: 1 })).toBe(false);
    expect(await store(other).assist.rating(c.id)).toBeNull();
    const { kysely } = connect(parseDatabaseUrl(tdb.url), { poolSize: 1 });
    try {
      const raw = await sql<{ sealed: string }>`
        select csat_comment as sealed from conversations where id = ${c.id}`.execute(kysely);
      expect(raw.rows[0]?.sealed).toBeTruthy();
      expect(raw.rows[0]?.sealed).not.toContain('王女士');
    } finally {
      await kysely.destroy();
    }
    // A later result replaces the earlier one; no comment is stored as none.
    const again = { score: 4, comment: null, ratedAt: at() };
    await store(ws).assist.rate(c.id, again);
    expect(await store(ws).assist.rating(c.id)).toEqual(again);
  });

  it('learns only from resolved conversations that ended well, reply by reply', async () => {
    const good = await conversation(ws, {
      status: 'resolved',
      name: '李雷',
      lines: [
        ['customer', '退款多久到账'],
        ['agent', '李雷您好，退款原路返回，1–3 个工作日到账'],
        ['agent', '还有其他问题吗'],
        ['customer', '好的谢谢'],
        ['agent', '不客气'],
      ],
    });
    await store(ws).assist.rate(good.id, { score: 5, comment: null, ratedAt: at() });
    const _unrated = await conversation(ws, {
      status: 'resolved',
      lines: [
        ['agent', '您好，请问有什么可以帮您'],
        ['customer', '发什么快递'],
        ['agent', '默认中通'],
      ],
    });
    const reopened = await conversation(ws, {
      status: 'resolved',
      lines: [
        ['customer', '怎么开发票'],
        ['agent', '下单时填写抬头'],
      ],
    });
    await store(ws).assist.markReopened(reopened.id, at());
    const poor = await conversation(ws, {
      status: 'resolved',
      lines: [
        ['customer', '怎么还没发货'],
        ['agent', '请耐心等待'],
      ],
    });
    await store(ws).assist.rate(poor.id, { score: 2, comment: '没解决', ratedAt: at() });
    const reopenedButRated = await conversation(ws, {
      status: 'resolved',
      lines: [
        ['customer', '能改地址吗'],
        ['agent', '发货前可以改'],
      ],
    });
    await store(ws).assist.markReopened(reopenedButRated.id, at());
    await store(ws).assist.rate(reopenedButRated.id, { score: 4, comment: null, ratedAt: at() });
    await conversation(ws, {
      status: 'open',
      lines: [
        ['customer', '在吗'],
        ['agent', '在的'],
      ],
    });
    await conversation(other, {
      status: 'resolved',
      lines: [
        ['customer', '别家的问题'],
        ['agent', '别家的回答'],
      ],
    });

    // The agent sent the first reply from a suggestion unchanged.
    const feedback: SuggestionFeedback = {
      id: newId(),
      conversationId: good.id,
      messageId: good.messageIds[0]!,
      userId: agents[ws]!,
      intent: 'faq:refund-time',
      suggestions: [{ rank: 1, kind: 'knowledge', sourceId: 'refund-time', textHash: 'abc', pinned: false }],
      action: 'accepted',
      chosenRank: 1,
      sentMessageId: good.messageIds[1]!,
      editRatio: 0,
      latencyMs: 42,
      createdAt: at(),
    };
    expect(await store(ws).assist.recordFeedback(feedback)).toBe(true);

    const replies = await store(ws).assist.historyReplies({ limit: 100 });
    const texts = replies.map((r) => [r.customerText, r.replyText]);
    expect(texts).toEqual([
      ['退款多久到账', '李雷您好，退款原路返回，1–3 个工作日到账'],
      ['退款多久到账', '还有其他问题吗'],
      ['好的谢谢', '不客气'],
      ['发什么快递', '默认中通'],
      ['能改地址吗', '发货前可以改'],
    ]);
    const first = replies[0]!;
    expect(first).toMatchObject({
      conversationId: good.id,
      customerMessageId: good.messageIds[0],
      replyMessageId: good.messageIds[1],
      csatScore: 5,
      feedback: 'accepted',
      customerName: '李雷',
    });
    expect(replies[1]!.feedback).toBeNull();
    expect(replies.find((r) => r.replyText === '默认中通')!.csatScore).toBeNull();
    // The newest conversations only.
    expect((await store(ws).assist.historyReplies({ limit: 1 })).map((r) => r.replyText)).toEqual([
      '发货前可以改',
    ]);
  });

  it('records one verdict per agent and message, lists them by time, and erasure removes them', async () => {
    const c = await conversation(ws, {
      status: 'open',
      lines: [
        ['customer', '尺码偏大吗'],
        ['agent', '偏小一码'],
      ],
    });
    const base: SuggestionFeedback = {
      id: newId(),
      conversationId: c.id,
      messageId: c.messageIds[0]!,
      userId: agents[ws]!,
      intent: null,
      suggestions: [
        { rank: 1, kind: 'history', sourceId: 'h:1', textHash: '0011', pinned: false },
        { rank: 2, kind: 'template', sourceId: 't1', textHash: '0022', pinned: true },
      ],
      action: 'edited',
      chosenRank: 2,
      sentMessageId: c.messageIds[1]!,
      editRatio: 0.375,
      latencyMs: 120,
      createdAt: '2026-11-20T10:00:00.000Z',
    };
    expect(await store(ws).assist.recordFeedback(base)).toBe(true);
    expect(await store(ws).assist.recordFeedback({ ...base, id: newId(), action: 'ignored' })).toBe(false);
    const range = { from: '2026-11-20T00:00:00.000Z', to: '2026-11-21T00:00:00.000Z', limit: 10 };
    expect(await store(ws).assist.feedback(range)).toEqual([base]);
    expect(await store(other).assist.feedback(range)).toEqual([]);

    const erased = await store(ws).transaction((tx) => tx.privacy.deleteCustomerData(c.customerId));
    expect(erased?.counts.suggestionFeedback).toBe(1);
    expect(await store(ws).assist.feedback(range)).toEqual([]);
  });
});
