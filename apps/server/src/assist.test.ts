// Agent assist through the real app on both backends: suggestions learn from resolved conversations
// that ended well (never from a poorly rated one) and offer the knowledge-base answer; the survey and
// feedback endpoints validate, stay in their workspace and follow permissions; a customer message in a
// conversation an agent holds pushes a `suggestions` frame over the console socket.
import type { ConsoleServerFrame, ConversationSuggestions } from '@zhike/contracts';
import { createIdGenerator, systemClock } from '@zhike/core';
import { type Backend, testBackends } from '@zhike/db';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { hashPassword } from './auth/secrets.ts';
import { createTestApp, eventually, type TestApp, type TestSession } from './testing.ts';

describe.each(testBackends)('agent assist on %s', (backend: Backend) => {
  let t: TestApp;
  let key: string;
  let owner: TestSession;
  let agent: TestSession;
  let other: TestSession;
  let workspaceId: string;
  let seq = 0;
  const inject = (options: InjectOptions) => t.app.inject(options);
  const bearer = () => ({ authorization: `Bearer ${key}` });

  beforeAll(async () => {
    t = await createTestApp(backend);
    key = await t.apiKey();
    owner = await t.login();
    workspaceId = await t.demoWorkspaceId();
    await t.app.zhike.bot.warm(workspaceId, 'zh-CN');
    const newId = createIdGenerator(systemClock);
    const now = new Date().toISOString();
    await t.app.zhike.db.directory.addUser({
      id: newId(),
      workspaceId,
      email: 'agent@assist.test',
      name: '小王',
      role: 'agent',
      createdAt: now,
      passwordHash: await hashPassword('agent-password'),
    });
    agent = await t.login('agent@assist.test', 'agent-password');
    const otherId = newId();
    await t.app.zhike.db.directory.seedWorkspace({
      workspace: { id: otherId, slug: 'assist-other', name: 'Other', locale: 'zh-CN', createdAt: now },
      owner: {
        id: newId(),
        workspaceId: otherId,
        email: 'owner@assist-other.test',
        name: 'B',
        role: 'owner',
        createdAt: now,
        passwordHash: await hashPassword('other-password'),
      },
      inboxes: [],
      faqs: [],
    });
    other = await t.login('owner@assist-other.test', 'other-password');
  }, 60_000);
  afterAll(async () => t?.close());

  async function say(externalId: string, text: string) {
    const res = await inject({
      method: 'POST',
      url: '/api/v1/inbound',
      headers: bearer(),
      payload: { customer: { externalId }, text, messageId: `a-${++seq}` },
    });
    expect(res.statusCode).toBe(200);
    return res.json() as { conversationId: string; messageId: string };
  }
  async function reply(session: TestSession, conversationId: string, text: string): Promise<string> {
    const res = await inject({
      method: 'POST',
      url: `/api/v1/conversations/${conversationId}/messages`,
      headers: session.headers,
      payload: { text },
    });
    expect(res.statusCode).toBe(201);
    return (res.json() as { id: string }).id;
  }
  async function resolve(conversationId: string) {
    const res = await inject({
      method: 'POST',
      url: `/api/v1/conversations/${conversationId}/status`,
      headers: owner.headers,
      payload: { status: 'resolved' },
    });
    expect(res.statusCode).toBe(200);
  }
  const rate = (
    conversationId: string,
    payload: Record<string, unknown>,
    headers: Record<string, string> = bearer(),
  ) => inject({ method: 'POST', url: `/api/v1/conversations/${conversationId}/csat`, headers, payload });
  const suggestions = async (conversationId: string, session = agent) => {
    const res = await inject({
      url: `/api/v1/conversations/${conversationId}/suggestions`,
      headers: { cookie: session.cookie },
    });
    return { status: res.statusCode, body: res.json() as ConversationSuggestions };
  };

  const GOOD = '亲，退款审核通过后 1-3 个工作日原路退回，请留意银行通知';
  const BAD = '这个我也不太清楚，您自己再看看吧';
  let held: { conversationId: string; messageId: string; replyId: string };

  it('suggests what agents sent in well-rated resolved conversations, and the knowledge-base answer', async () => {
    const good = await say('refund-good', '退款多久能到账');
    await reply(owner, good.conversationId, GOOD);
    await resolve(good.conversationId);
    expect((await rate(good.conversationId, { score: 5, comment: '很满意' })).statusCode).toBe(200);
    const bad = await say('refund-bad', '退款多久能到账呀');
    await reply(owner, bad.conversationId, BAD);
    await resolve(bad.conversationId);
    expect((await rate(bad.conversationId, { score: 2 })).statusCode).toBe(200);

    const asked = await say('refund-now', '请问退款几天能到账');
    const replyId = await reply(agent, asked.conversationId, '稍等，我看一下');
    const next = await say('refund-now', '退款多久到账呢');
    held = { conversationId: asked.conversationId, messageId: next.messageId, replyId };
    const found = await eventually(async () => {
      await t.app.zhike.assist.history(workspaceId, { fresh: true });
      const { body } = await suggestions(asked.conversationId);
      return body.suggestions.some((s) => s.source.kind === 'history') ? body : undefined;
    }, 20_000);
    expect(found.messageId).toBe(next.messageId);
    expect(found.intent).toBeTruthy();
    const history = found.suggestions.find((s) => s.source.kind === 'history')!;
    expect(history.text).toContain('1-3 个工作日原路退回');
    expect(found.suggestions.some((s) => s.source.kind === 'knowledge')).toBe(true);
    expect(found.suggestions.every((s) => !s.text.includes('不太清楚'))).toBe(true);
    expect(found.suggestions.map((s) => s.rank)).toEqual(found.suggestions.map((_, i) => i + 1));
  });

  it('validates survey results and feedback', async () => {
    const c = held.conversationId;
    for (const payload of [
      { score: 0 },
      { score: 6 },
      { score: 3.5 },
      { score: 4, extra: 1 },
      { comment: 'x' },
    ])
      expect((await rate(c, payload)).statusCode).toBe(400);
    expect((await rate(c, { score: 4, comment: 'x'.repeat(1001) })).statusCode).toBe(400);
    expect((await rate(t.app.zhike.newId(), { score: 4 })).statusCode).toBe(404);
    const ok = await rate(c, { score: 4, comment: '  还行  ' });
    expect(ok.json()).toMatchObject({ conversationId: c, score: 4, comment: '还行' });
    // The comment is the customer's words: their data export carries it (PIPL art. 45).
    const { customer } = (
      await inject({ url: `/api/v1/conversations/${c}`, headers: { cookie: owner.cookie } })
    ).json() as { customer: { id: string } };
    const exported = await inject({
      url: `/api/v1/customers/${customer.id}/export`,
      headers: { cookie: owner.cookie },
    });
    expect(exported.statusCode).toBe(200);
    const rated = (
      exported.json() as { conversations: { id: string; rating: unknown }[] }
    ).conversations.find((x) => x.id === c);
    expect(rated?.rating).toMatchObject({ score: 4, comment: '还行' });

    const feedback = (payload: Record<string, unknown>, session = agent) =>
      inject({
        method: 'POST',
        url: `/api/v1/conversations/${c}/suggestions/feedback`,
        headers: session.headers,
        payload,
      });
    expect((await feedback({ messageId: held.messageId, action: 'accepted' })).statusCode).toBe(400);
    expect((await feedback({ messageId: held.messageId, action: 'ignored', rank: 1 })).statusCode).toBe(400);
    expect(
      (await feedback({ messageId: held.replyId, action: 'ignored' })).statusCode,
      'an agent message is not what suggestions answer',
    ).toBe(400);
    expect(
      (
        await feedback({
          messageId: held.messageId,
          action: 'accepted',
          rank: 9,
          sentMessageId: held.replyId,
        })
      ).statusCode,
    ).toBe(400);
    const sent = await reply(agent, c, '亲，退款审核通过后 1-3 个工作日原路退回，请您留意');
    const first = await feedback({
      messageId: held.messageId,
      action: 'edited',
      rank: 1,
      sentMessageId: sent,
    });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ recorded: true, action: 'edited' });
    expect(first.json().editRatio).toBeGreaterThanOrEqual(0);
    const again = await feedback({ messageId: held.messageId, action: 'ignored' });
    expect(again.json()).toMatchObject({ recorded: false });
    const stored = await t.app.zhike.db.forWorkspace(workspaceId).assist.feedback({
      from: '2000-01-01T00:00:00.000Z',
      to: '2100-01-01T00:00:00.000Z',
      limit: 10,
    });
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ action: 'edited', chosenRank: 1, sentMessageId: sent });
    expect(stored[0]!.suggestions.length).toBeGreaterThan(0);
  });

  it('keeps every endpoint in its workspace and to those allowed', async () => {
    const c = held.conversationId;
    expect((await suggestions(c, other)).status).toBe(404);
    expect((await rate(c, { score: 5 }, other.headers)).statusCode).toBe(404);
    const foreign = await inject({
      method: 'POST',
      url: `/api/v1/conversations/${c}/suggestions/feedback`,
      headers: other.headers,
      payload: { messageId: held.messageId, action: 'ignored' },
    });
    expect(foreign.statusCode).toBe(404);
    // An integration records survey results but does not read an agent's suggestions.
    const viaKey = await inject({ url: `/api/v1/conversations/${c}/suggestions`, headers: bearer() });
    expect([401, 403]).toContain(viaKey.statusCode);
    expect((await rate(c, { score: 5 }, agent.headers)).statusCode).toBe(200);
  });

  it('pushes suggestions to consoles when a customer writes in a conversation an agent holds', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api/v1/console/ws`, {
      headers: { cookie: agent.cookie },
    });
    const frames: ConsoleServerFrame[] = [];
    ws.on('message', (raw) => frames.push(JSON.parse(String(raw)) as ConsoleServerFrame));
    await eventually(() => frames.some((f) => f.type === 'ready'));
    try {
      const bot = await say('still-with-bot', '你们发什么快递');
      const next = await say('refund-now', '退款到底多久能到');
      const frame = await eventually(
        () =>
          frames.find(
            (f): f is Extract<ConsoleServerFrame, { type: 'suggestions' }> =>
              f.type === 'suggestions' && f.messageId === next.messageId,
          ),
        15_000,
      );
      expect(frame.conversationId).toBe(held.conversationId);
      expect(frame.suggestions.length).toBeGreaterThan(0);
      expect(frame.latencyMs).toBeGreaterThanOrEqual(0);
      // The bot's own conversation gets none: nobody is there to use them.
      expect(frames.some((f) => f.type === 'suggestions' && f.conversationId === bot.conversationId)).toBe(
        false,
      );
    } finally {
      ws.close();
    }
  });
});

describe.each(testBackends)('the demo shop’s history on %s', (backend: Backend) => {
  it('gives suggestions a past to learn from after the first start, without the poorly rated reply', async () => {
    const t = await createTestApp(backend, { env: { ZHIKE_DEMO_HISTORY: '1' } });
    try {
      const workspaceId = await t.demoWorkspaceId();
      const replies = await t.app.zhike.db.forWorkspace(workspaceId).assist.historyReplies({ limit: 100 });
      expect(replies.length).toBeGreaterThanOrEqual(10);
      expect(replies.some((r) => r.replyText.includes('原路退回') && r.csatScore === 5)).toBe(true);
      expect(replies.some((r) => r.replyText.includes('系统问题'))).toBe(false);
      const index = await t.app.zhike.assist.history(workspaceId, { fresh: true });
      expect(index.size).toBeGreaterThan(5);
    } finally {
      await t.close();
    }
  }, 60_000);
});
