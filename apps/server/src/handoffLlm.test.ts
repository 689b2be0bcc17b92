// The generative hand-off summary on both backends against a local server speaking the OpenAI
// chat-completions wire format: the LLM's summary is stored at hand-off and labelled as such; what goes to
// the model has the customer's phone masked; on an HTTP error or a timeout the card falls back to the
// extractive summary and says why.
import type { HandoffCard } from '@zhike/contracts';
import { type Backend, testBackends } from '@zhike/db';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeLlm, startFakeLlm } from '../../../tests/support/fakeLlm.ts';
import { createTestApp, eventually, type TestApp, type TestSession } from './testing.ts';

const ORDER = 'ZK20261125003';
const PHONE = '13812345678';
const SUMMARY = ['顾客申请退款：订单 ', ORDER, ' 的衣服收到就有破洞。', '顾客很生气，机器人已转人工。'];

describe.each(testBackends)('LLM hand-off summary on %s', (backend: Backend) => {
  let llm: FakeLlm;
  let t: TestApp;
  let key: string;
  let agent: TestSession;
  let conversationId = '';
  let seq = 0;
  const inject = (options: InjectOptions) => t.app.inject(options);

  /** One customer message; waits until something (the bot, a hand-off notice) came after it. */
  async function say(text: string) {
    const res = await inject({
      method: 'POST',
      url: '/api/v1/inbound',
      headers: { authorization: `Bearer ${key}` },
      payload: { customer: { externalId: 'llm-refund' }, text, messageId: `llm-${++seq}` },
    });
    expect(res.statusCode).toBe(200);
    const sent = res.json() as { conversationId: string; messageId: string };
    const store = t.app.zhike.db.forWorkspace(await t.demoWorkspaceId());
    await eventually(async () => {
      const messages = await store.messages.list(sent.conversationId, { limit: 100 });
      return messages.findIndex((m) => m.id === sent.messageId) < messages.length - 1;
    }, 30_000);
    return sent.conversationId;
  }

  const card = async () =>
    (
      await inject({ url: `/api/v1/conversations/${conversationId}/handoff`, headers: agent.headers })
    ).json() as HandoffCard;
  const refresh = async () => {
    const res = await inject({
      method: 'POST',
      url: `/api/v1/conversations/${conversationId}/handoff/refresh`,
      headers: agent.headers,
    });
    expect(res.statusCode).toBe(200);
    return res.json() as HandoffCard;
  };

  beforeAll(async () => {
    llm = await startFakeLlm();
    llm.script({ kind: 'stream', pieces: SUMMARY });
    t = await createTestApp(backend, {
      env: {
        ZHIKE_LLM_BASE_URL: llm.baseUrl,
        ZHIKE_LLM_API_KEY: 'sk-zhike-handoff-test',
        ZHIKE_LLM_MODEL: 'deepseek-chat',
        ZHIKE_LLM_TIMEOUT_MS: '1000',
      },
    });
    key = await t.apiKey();
    agent = await t.login();
    const workspaceId = await t.demoWorkspaceId();
    const store = t.app.zhike.db.forWorkspace(workspaceId);
    // Each message waits for the bot's turn, so the next is read in the state it left.
    for (const text of ['我要申请退款', ORDER, `衣服收到就有破洞，质量太差了，非常生气，打我电话${PHONE}`])
      conversationId = await say(text);
    await eventually(async () => (await store.handoffCards.get(conversationId)) ?? undefined, 30_000);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await llm?.close();
  });

  it('stores the LLM summary at hand-off, labelled as such, with the customer phone masked in the prompt', async () => {
    const c = await card();
    expect(c.summary).toEqual({ kind: 'llm', text: SUMMARY.join(''), fallbackReason: null, language: 'zh' });
    expect(c.slots.order_number).toBe(ORDER);
    const sent = llm.requests.filter((r) =>
      JSON.stringify(r.body).includes('brief a customer-service agent'),
    );
    expect(sent).toHaveLength(1);
    const body = JSON.stringify(sent[0]!.body);
    expect(body).not.toContain(PHONE);
    expect(body).toContain('非常生气');
    expect(sent[0]!.body.model).toBe('deepseek-chat');
  });

  it('falls back to the extractive summary on an HTTP error, and says why', async () => {
    llm.script({ kind: 'status', status: 500, body: '{"error":{"message":"overloaded"}}' });
    const c = await refresh();
    expect(c.summary.kind).toBe('extractive');
    expect(c.summary.fallbackReason).toBe('http');
    expect(c.summary.text).toContain(ORDER);
    expect(c.summary.text).not.toContain(PHONE);
    // The fallback is what is stored now.
    expect((await card()).summary.kind).toBe('extractive');
  });

  it('falls back on a timeout', async () => {
    llm.script({ kind: 'silent' });
    const started = Date.now();
    const c = await refresh();
    expect(c.summary.kind).toBe('extractive');
    expect(c.summary.fallbackReason).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('uses the LLM again once it answers', async () => {
    llm.script({ kind: 'stream', pieces: ['顾客要求退款并投诉质量问题。'] });
    const c = await refresh();
    expect(c.summary).toMatchObject({
      kind: 'llm',
      text: '顾客要求退款并投诉质量问题。',
      fallbackReason: null,
    });
  });
});
