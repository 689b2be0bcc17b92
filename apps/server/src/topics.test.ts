// Topic and emotion reports through the real app on both backends: customers write through the API
// channel (sealed with their keys), more of their messages land this week and the week before, the bot's
// intent is on some; then the topics (refunds rising, invoices steady, contact details masked, intents and
// order numbers linked), the emotion trend, the cache, validation and permissions.
import { type Backend, testBackends } from '@zhike/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestSession } from './testing.ts';

const REFUNDS = [
  '退款什么时候到账',
  '我申请的退款怎么还没收到',
  '退款已经一个星期了，钱还没退回来',
  '订单ZK20261125003退款进度到哪一步了',
  '商家同意退款了，钱什么时候能到',
  '退款显示处理中，要多久能到账',
  '退款怎么这么慢，都半个月了，太垃圾了！',
  '帮我看看退款为什么还没到账，电话13800138000',
  '退款到账了吗，我查不到',
  '催一下退款，急用钱',
  '退款进度能帮我查一下吗',
  '退款状态一直是待处理',
];
const INVOICES = [
  '能开发票吗',
  '我需要开增值税专用发票',
  '发票什么时候能开好',
  '怎么申请电子发票',
  '发票抬头写错了，能重开吗',
  '公司报销需要发票，麻烦开一张',
  '电子发票在哪里下载',
  '发票金额不对，请重新开具',
  '可以开专票吗，我们是一般纳税人',
  '申请了发票一直没收到邮件',
];

describe.each(testBackends)('topic and emotion reports on %s', (backend: Backend) => {
  let t: TestApp;
  let owner: TestSession;
  let workspaceId: string;
  const days = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();

  beforeAll(async () => {
    t = await createTestApp(backend);
    owner = await t.login();
    workspaceId = await t.demoWorkspaceId();
    const key = await t.apiKey();
    const store = t.app.zhike.db.forWorkspace(workspaceId);
    let n = 0;
    /** Each text from its own customer: the first through the channel, the rest stored at `at`. */
    const write = async (
      texts: readonly string[],
      at: string,
      intent?: { target: string; label: string },
    ) => {
      for (const text of texts) {
        n++;
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/v1/inbound',
          headers: { authorization: `Bearer ${key}` },
          payload: { customer: { externalId: `topic-${n}` }, text: '你好', messageId: `topic-${n}` },
        });
        expect(res.statusCode).toBe(200);
        const { conversationId, messageId } = res.json() as { conversationId: string; messageId: string };
        const first = (await store.messages.get(messageId))!;
        const id = t.app.zhike.newId();
        await store.messages.insert({
          ...first,
          id,
          text,
          idempotencyKey: null,
          clientMessageId: null,
          createdAt: at,
        });
        // A greeting the week before as well, so both weeks hold as many greetings.
        await store.messages.insert({
          ...first,
          id: t.app.zhike.newId(),
          idempotencyKey: null,
          clientMessageId: null,
          createdAt: days(9),
        });
        const conversation = (await store.conversations.get(conversationId))!;
        if (intent)
          await store.botTurns.record({
            conversationId,
            customerId: conversation.customerId,
            messageId: id,
            channel: 'api',
            outcome: 'answered',
            target: intent.target,
            targetLabel: intent.label,
            confidence: 0.9,
            handoffReason: null,
            handoffPriority: null,
            question: text,
            at,
          });
      }
    };
    const refund = { target: 'refund_status', label: '退款进度' };
    // This week: twelve refund questions (the bot recognised them) and ten invoice questions.
    await write(REFUNDS, days(0.01), refund);
    await write(INVOICES, days(0.02));
    // The week before: two refund questions and the same ten invoice questions.
    await write(REFUNDS.slice(0, 2), days(8));
    await write(INVOICES, days(8.1));
  }, 120_000);
  afterAll(async () => t?.close());

  const get = (url: string, session = owner) => t.app.inject({ url, headers: { cookie: session.cookie } });

  it('reports the topics, rising against the previous week, linked to intents and orders', async () => {
    const res = await get('/api/v1/analytics/topics');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    // Customer messages only (bot replies are not read): this week's questions, and every customer's
    // greeting through the channel (those of last week's customers too, sent today).
    const customers = REFUNDS.length + 2 + 2 * INVOICES.length;
    expect(body.messages).toBe(REFUNDS.length + INVOICES.length + customers);
    expect(body.analysed).toBe(body.messages);
    expect(body.range.timeZone).toBe('Asia/Shanghai');
    expect(body.previous.messages).toBe(2 + INVOICES.length + customers);
    const refunds = body.topics.find((t: { label: string }) => t.label.startsWith('退款'));
    const invoices = body.topics.find((t: { label: string }) => t.label.startsWith('发票'));
    expect(refunds).toMatchObject({ size: REFUNDS.length, previous: 2, rising: true });
    expect(refunds.intents).toEqual([{ intent: 'refund_status', label: '退款进度', count: REFUNDS.length }]);
    expect(refunds.orders).toEqual([{ number: 'ZK20261125003', count: 1 }]);
    expect(refunds.mood.negative).toBeGreaterThan(0);
    // The same invoice questions both weeks: as many matched last week as belong to the topic now.
    expect(invoices.size).toBeGreaterThanOrEqual(INVOICES.length - 2);
    expect(invoices).toMatchObject({ previous: invoices.size, rising: false });
    expect(body.rising).toEqual([refunds.key]);
    // Examples are the customers' words, phone numbers masked.
    const examples = body.topics.flatMap((t: { examples: { text: string }[] }) =>
      t.examples.map((e) => e.text),
    );
    expect(examples.some((e: string) => e.includes('发票'))).toBe(true);
    expect(examples.join('\n')).not.toContain('13800138000');
  });

  it('reports emotion per day and week, and serves a computed period from the cache', async () => {
    const res = await get('/api/v1/analytics/emotion');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.buckets).toHaveLength(7);
    const customers = REFUNDS.length + 2 + 2 * INVOICES.length;
    expect(body.totals.messages).toBe(REFUNDS.length + INVOICES.length + customers);
    expect(body.buckets.at(-1).messages).toBe(body.totals.messages);
    expect(body.totals.angry).toBeGreaterThanOrEqual(1);
    expect(body.conversations.count).toBe(customers);
    expect(body.mostNegative.length).toBeGreaterThan(0);
    const week = await get('/api/v1/analytics/emotion?interval=week');
    expect(week.statusCode).toBe(200);
    expect(week.json().buckets.length).toBeLessThanOrEqual(2);
    expect(week.json().totals).toEqual(body.totals);
    // Both reports came from one computation, and a repeat is served from it.
    const again = await get('/api/v1/analytics/topics');
    expect(again.json().computedAt).toBe(body.computedAt);
  });

  it('validates the query and checks the permission', async () => {
    for (const query of [
      'from=2026-11-20&to=2026-11-01',
      'from=2026-02-30',
      'limit=0',
      'interval=month',
      'x=1',
    ])
      for (const path of ['topics', 'emotion']) {
        const res = await get(`/api/v1/analytics/${path}?${query}`);
        if (path === 'topics' && query === 'interval=month') continue;
        expect(res.statusCode, `${path}?${query}`).toBe(400);
      }
    const agent = await t.signInNewUser({ email: 'agent@topics.test', name: 'Agent' });
    expect((await get('/api/v1/analytics/topics', agent.session)).statusCode).toBe(403);
    expect((await get('/api/v1/analytics/emotion', agent.session)).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/api/v1/analytics/topics' })).statusCode).toBe(401);
  });

  it("reads callers' words after a voice hand-off (the bot's part is already messages), and samples evenly", async () => {
    const store = t.app.zhike.db.forWorkspace(workspaceId);
    const [anyMessage] = (await store.topicSources.utterances({ from: days(1), to: days(-1) }, 1)).utterances;
    const startedAt = days(0.005);
    const call = await store.voice.calls.create({
      id: t.app.zhike.newId(),
      inboxId: (await store.messages.get(anyMessage!.id))!.inboxId,
      conversationId: anyMessage!.conversationId,
      customerId: anyMessage!.customerId,
      direction: 'inbound',
      transport: 'sip',
      fromUri: 'sip:caller@example.test',
      toUri: 'sip:shop@example.test',
      state: 'bot',
      startedAt,
      answeredAt: startedAt,
    });
    await store.voice.calls.update(call.id, {
      state: 'agent',
      handedOffAt: new Date(Date.parse(startedAt) + 20_000).toISOString(),
    });
    const segment = (seq: number, speaker: 'caller' | 'bot', startMs: number, text: string) => ({
      callId: call.id,
      seq,
      speaker,
      startMs,
      endMs: startMs + 2000,
      text,
      language: 'zh-CN',
    });
    await store.voice.transcript.add([
      segment(0, 'caller', 5000, '我要查退款'),
      segment(1, 'bot', 8000, '请告诉我订单号'),
      segment(2, 'caller', 30_000, '退款到现在还没到账，怎么回事'),
    ]);
    const range = { from: days(1), to: days(-1) };
    const all = await store.topicSources.utterances(range, 10_000);
    const calls = all.utterances.filter((u) => u.source === 'call');
    expect(calls).toEqual([
      expect.objectContaining({
        id: `${call.id}:2`,
        text: '退款到现在还没到账，怎么回事',
        conversationId: call.conversationId,
      }),
    ]);
    expect((await store.topicSources.stats(range)).count).toBe(all.total - 1);
    const sample = await store.topicSources.utterances(range, 5);
    expect(sample.total).toBe(all.total);
    expect(sample.utterances).toHaveLength(5);
    // Evenly over the period, oldest first.
    const at = sample.utterances.map((u) => u.at);
    expect(at).toEqual([...at].sort());
    expect(sample.utterances[0]!.id).toBe(all.utterances[0]!.id);
  });
});
