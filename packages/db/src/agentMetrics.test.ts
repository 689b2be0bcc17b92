// Agent metrics on both backends: scripted conversations with known timestamps go through the listener's
// use case (events in, activity rows out), and the SQL sums must give the first response and handle
// times worked out by hand — per agent, per queue and per local day — confined to their workspace.
import {
  botAnalyticsRange,
  createIdGenerator,
  type DomainEvent,
  type Message,
  recordConversationActivity,
  systemClock,
  type WorkspaceStore,
} from '@zhike/core';
import { generateMasterKey, masterKey } from '@zhike/security';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from './database.ts';
import { createTestDatabase, type TestDatabase, testBackends } from './testing.ts';

const TZ = 'Asia/Shanghai';
// 20 and 21 November in Shanghai: [2026-11-19T16:00Z, 2026-11-21T16:00Z).
const RANGE = botAnalyticsRange({
  from: '2026-11-20',
  to: '2026-11-21',
  timeZone: TZ,
  now: new Date('2026-11-22T04:00:00Z'),
});
const created = '2026-11-01T00:00:00.000Z';

describe.each(testBackends)('agent metrics on %s', (backend) => {
  let tdb: TestDatabase;
  let db: Database;
  const newId = createIdGenerator(systemClock);
  const ws = newId();
  const other = newId();
  const inboxes = { [ws]: newId(), [other]: newId() };
  const ann = newId();
  const bob = newId();
  const eve = newId();
  const store = (id: string): WorkspaceStore => db.forWorkspace(id);
  let firstConversation = '';

  async function conversation(workspaceId: string, queueId: string | null) {
    const s = store(workspaceId);
    const customerId = newId();
    await s.customers.create({
      id: customerId,
      name: null,
      email: null,
      phone: null,
      identity: { kind: 'external', value: customerId, verified: true, source: 'api' },
      createdAt: created,
    });
    const id = newId();
    await s.conversations.create({
      id,
      workspaceId,
      inboxId: inboxes[workspaceId]!,
      customerId,
      channel: 'api',
      status: 'open',
      priority: 'normal',
      tags: [],
      assigneeId: null,
      handedOff: false,
      botActive: true,
      queueId,
      priorityScore: 0,
      waitingSince: null,
      routing: null,
      createdAt: created,
      updatedAt: created,
    });
    /** Plays what the app would: the stored fact, then its event through the listener's use case. */
    const play = async (event: Omit<DomainEvent, 'workspaceId' | 'conversationId'>) =>
      recordConversationActivity({ store: s }, {
        ...event,
        workspaceId,
        conversationId: id,
      } as DomainEvent);
    const say = async (
      author: Message['author'],
      at: string,
      userId: string | null = null,
      internal = false,
    ) => {
      const messageId = newId();
      await s.messages.insert({
        id: messageId,
        workspaceId,
        conversationId: id,
        inboxId: inboxes[workspaceId]!,
        author,
        authorUserId: userId,
        text: author === 'customer' ? '我的退款什么时候到账' : '您好，我来帮您查一下',
        attachments: [],
        idempotencyKey: null,
        clientMessageId: null,
        ...(internal ? { metadata: { internal: true } } : {}),
        createdAt: at,
      });
      return play({
        name: 'message.created',
        occurredAt: at,
        messageId,
        customerId,
        inboxId: inboxes[workspaceId]!,
        channel: 'api',
        author,
      } as Omit<DomainEvent, 'workspaceId' | 'conversationId'>);
    };
    return { id, play, say };
  }

  beforeAll(async () => {
    tdb = await createTestDatabase(backend);
    db = openDatabase({ url: tdb.url, newId, masterKeys: [masterKey(generateMasterKey())] });
    await db.migrate();
    for (const [id, slug, owner] of [
      [ws, 'metrics-a', ann],
      [other, 'metrics-b', eve],
    ] as const) {
      await db.directory.seedWorkspace({
        workspace: { id, slug, name: slug, locale: 'zh-CN', createdAt: created },
        owner: {
          id: owner,
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
    await db.directory.addUser({
      id: bob,
      workspaceId: ws,
      email: 'bob@x.test',
      name: 'bob',
      role: 'agent',
      createdAt: created,
      passwordHash: 'x',
    });

    // 1. Handed off at 10:00:05Z (handed_off and queued at once), Ann takes it at 10:02, first replies at
    //    10:03:05 (FRT 180 s), resolves at 10:33:05 (handle 31 min 5 s). Local day: 20 November.
    const c1 = await conversation(ws, 'queue-general');
    firstConversation = c1.id;
    await c1.say('customer', '2026-11-20T10:00:00.000Z');
    expect(
      await c1.play({
        name: 'conversation.handed_off',
        occurredAt: '2026-11-20T10:00:05.000Z',
        reason: 'customer_request',
      } as never),
    ).not.toBeNull();
    // The same instant's queued event is the same waiting: nothing new.
    expect(
      await c1.play({
        name: 'conversation.queued',
        occurredAt: '2026-11-20T10:00:05.000Z',
        queueId: 'queue-general',
        priority: 'normal',
      } as never),
    ).toBeNull();
    await c1.play({
      name: 'conversation.assigned',
      occurredAt: '2026-11-20T10:02:00.000Z',
      assigneeId: ann,
    } as never);
    expect(await c1.say('agent', '2026-11-20T10:03:05.000Z', ann)).toMatchObject({
      kind: 'first_reply',
      durationMs: 180_000,
    });
    expect(await c1.say('agent', '2026-11-20T10:04:00.000Z', ann)).toBeNull();
    const resolved = { name: 'conversation.resolved', occurredAt: '2026-11-20T10:33:05.000Z' } as never;
    expect(await c1.play(resolved)).toMatchObject({ kind: 'resolved', userId: ann, durationMs: 1_865_000 });
    // Every process hears every event: the repeat writes nothing.
    expect(await c1.play(resolved)).toBeNull();
    // Reopened at 11:00Z and resolved again by Ann at 11:10Z: 10 more minutes of handling. The customer's
    // rating (4) belongs to the conversation once, however often it was resolved.
    await c1.play({
      name: 'conversation.status_changed',
      occurredAt: '2026-11-20T11:00:00.000Z',
      from: 'resolved',
      to: 'open',
    } as never);
    expect(
      await c1.play({ name: 'conversation.resolved', occurredAt: '2026-11-20T11:10:00.000Z' } as never),
    ).toMatchObject({ userId: ann, durationMs: 600_000 });
    await store(ws).assist.rate(c1.id, { score: 4, comment: null, ratedAt: '2026-11-20T11:11:00.000Z' });

    // 2. No hand-off: the customer wrote at 15:50Z and 15:55Z (23:50 local, 20 November), the bot
    //    answered the first; Bob's internal note does not count; Bob replies at 16:10Z (00:10 local on 21
    //    November): FRT from 15:55 = 15 min. Resolved at 16:20Z: handle 10 min.
    const c2 = await conversation(ws, null);
    await c2.say('customer', '2026-11-20T15:50:00.000Z');
    await c2.say('bot', '2026-11-20T15:50:01.000Z');
    await c2.say('customer', '2026-11-20T15:55:00.000Z');
    expect(await c2.say('agent', '2026-11-20T16:05:00.000Z', bob, true)).toBeNull();
    await c2.play({
      name: 'conversation.assigned',
      occurredAt: '2026-11-20T16:10:00.000Z',
      assigneeId: bob,
    } as never);
    expect(await c2.say('agent', '2026-11-20T16:10:00.000Z', bob)).toMatchObject({ durationMs: 900_000 });
    await c2.play({ name: 'conversation.resolved', occurredAt: '2026-11-20T16:20:00.000Z' } as never);
    await store(ws).assist.rate(c2.id, { score: 2, comment: null, ratedAt: '2026-11-20T16:30:00.000Z' });

    // What agents did with suggestions: Ann used 2 of 3 in the range (a fourth is after it), Bob none.
    for (const [userId, action, at, conversationId] of [
      [ann, 'accepted', '2026-11-20T10:03:00.000Z', c1.id],
      [ann, 'edited', '2026-11-20T10:04:00.000Z', c1.id],
      [ann, 'ignored', '2026-11-20T10:05:00.000Z', c1.id],
      [ann, 'accepted', '2026-11-22T10:00:00.000Z', c1.id],
      [bob, 'ignored', '2026-11-20T16:10:00.000Z', c2.id],
    ] as const)
      expect(
        await store(ws).assist.recordFeedback({
          id: newId(),
          conversationId,
          messageId: newId(),
          userId,
          intent: null,
          suggestions: [],
          action,
          chosenRank: action === 'ignored' ? null : 1,
          sentMessageId: null,
          editRatio: action === 'edited' ? 0.2 : null,
          latencyMs: 40,
          createdAt: at,
        }),
      ).toBe(true);

    // 3. Resolved after the range (00:30 local on 22 November): outside.
    const c3 = await conversation(ws, null);
    await c3.play({
      name: 'conversation.assigned',
      occurredAt: '2026-11-21T16:00:00.000Z',
      assigneeId: ann,
    } as never);
    await c3.play({ name: 'conversation.resolved', occurredAt: '2026-11-21T16:30:00.000Z' } as never);

    // 4. Another workspace's conversation in the range.
    const c4 = await conversation(other, null);
    await c4.play({
      name: 'conversation.handed_off',
      occurredAt: '2026-11-20T09:00:00.000Z',
      reason: 'x',
    } as never);
    await c4.play({
      name: 'conversation.assigned',
      occurredAt: '2026-11-20T09:01:00.000Z',
      assigneeId: eve,
    } as never);
    await c4.say('agent', '2026-11-20T09:02:00.000Z', eve);
    await c4.play({ name: 'conversation.resolved', occurredAt: '2026-11-20T09:30:00.000Z' } as never);

    // Presence: Ann online before the range, away at 02:00Z on 20 November.
    for (const [userId, status, at] of [
      [ann, 'online', '2026-11-19T10:00:00.000Z'],
      [ann, 'away', '2026-11-20T02:00:00.000Z'],
      [bob, 'offline', '2026-11-19T09:00:00.000Z'],
      [bob, 'online', '2026-11-20T01:00:00.000Z'],
    ] as const)
      await recordConversationActivity(
        { store: store(ws) },
        {
          name: 'agent.status_changed',
          workspaceId: ws,
          occurredAt: at,
          userId,
          status,
        },
      );
  }, 60_000);
  afterAll(async () => {
    await db?.close();
    await tdb?.drop();
  });

  const totals = (fr: number, frMs: number, handled: number, handleMs: number, rated = 0, ratingSum = 0) => ({
    firstResponses: fr,
    firstResponseMs: frMs,
    handled,
    handleMs,
    rated,
    ratingSum,
  });
  const annTotals = totals(1, 180_000, 2, 1_865_000 + 600_000, 1, 4);
  const bobTotals = totals(1, 900_000, 1, 600_000, 1, 2);

  it('sums first response and handle times per agent, per queue and per local day', async () => {
    const sums = await store(ws).agentMetrics.sums(RANGE, {});
    const byAgent = Object.fromEntries(sums.agents.map(({ userId, ...t }) => [userId, t]));
    expect(byAgent).toEqual({ [ann]: annTotals, [bob]: bobTotals });
    const byQueue = Object.fromEntries(sums.queues.map(({ queueId, ...t }) => [String(queueId), t]));
    expect(byQueue).toEqual({
      'queue-general': annTotals,
      null: bobTotals,
    });
    const byDay = Object.fromEntries(sums.daily.map(({ day, ...t }) => [day, t]));
    expect(byDay).toEqual({
      '2026-11-20': annTotals,
      '2026-11-21': bobTotals,
    });
  });

  it('counts suggestion verdicts per agent inside the range', async () => {
    const sums = await store(ws).agentMetrics.sums(RANGE, {});
    const byAgent = Object.fromEntries(sums.suggestions.map(({ userId, ...s }) => [userId, s]));
    expect(byAgent).toEqual({ [ann]: { shown: 3, used: 2 }, [bob]: { shown: 1, used: 0 } });
  });

  it("reads each agent's presence from the state the range opens in", async () => {
    const sums = await store(ws).agentMetrics.sums(RANGE, {});
    const presence = sums.presence
      .map((p) => `${p.userId === ann ? 'ann' : 'bob'} ${p.status} ${p.at}`)
      .sort();
    expect(presence).toEqual([
      'ann away 2026-11-20T02:00:00.000Z',
      'ann online 2026-11-19T10:00:00.000Z',
      'bob offline 2026-11-19T09:00:00.000Z',
      'bob online 2026-11-20T01:00:00.000Z',
    ]);
  });

  it("narrows to one agent's rows when asked", async () => {
    const sums = await store(ws).agentMetrics.sums(RANGE, { userId: bob });
    expect(sums.agents.map((a) => a.userId)).toEqual([bob]);
    expect(sums.queues).toEqual([{ queueId: null, ...bobTotals }]);
    expect(sums.suggestions).toEqual([{ userId: bob, shown: 1, used: 0 }]);
    expect(new Set(sums.presence.map((p) => p.userId))).toEqual(new Set([bob]));
  });

  it("never counts another workspace's activity", async () => {
    const sums = await store(other).agentMetrics.sums(RANGE, {});
    expect(sums.agents).toEqual([{ userId: eve, ...totals(1, 120_000, 1, 29 * 60_000) }]);
    expect(await store(other).agentMetrics.activity(firstConversation)).toEqual([]);
    expect((await store(ws).agentMetrics.activity(firstConversation)).map((r) => r.kind)).toEqual([
      'waiting',
      'assigned',
      'first_reply',
      'resolved',
      'reopened',
      'resolved',
    ]);
    expect((await store(other).agentMetrics.sums(RANGE, {})).suggestions).toEqual([]);
  });
});
