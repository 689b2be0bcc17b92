// Cost metering and the budget's hard cap, on both backends, against a local server speaking the OpenAI
// chat-completions protocol that counts its calls: bot interactions and LLM tokens are metered at the
// workspace's prices, the 50/80/100 % alerts are announced once each, and at the cap the LLM gets no more
// calls while the bot keeps answering from the knowledge base with the built-in NLU.
import type { Message } from '@zhike/contracts';
import { type Backend, testBackends } from '@zhike/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeLlm, startFakeLlm } from '../../../tests/support/fakeLlm.ts';
import { createTestApp, eventually, type TestApp, type TestSession } from './testing.ts';

const QUESTION = '可以开发票吗？';

describe.each(testBackends)('costs and the budget cap on %s', { timeout: 120_000 }, (backend: Backend) => {
  let llm: FakeLlm;
  let t: TestApp;
  let owner: TestSession;
  let key = '';
  let asked = 0;

  /** A question through the API channel; resolves with the bot's answer once its turn is metered. */
  const ask = async (customer: string) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/inbound',
      headers: { authorization: `Bearer ${key}` },
      payload: { customer: { externalId: customer }, text: QUESTION, messageId: `${customer}-1` },
    });
    expect(res.statusCode, res.body).toBe(200);
    const { conversationId } = res.json() as { conversationId: string };
    const answer = await eventually(async () => {
      const list = await t.app.inject({
        method: 'GET',
        url: `/api/v1/conversations/${conversationId}/messages`,
        headers: owner.headers,
      });
      return (list.json() as { messages: Message[] }).messages.find((m) => m.author === 'bot');
    });
    // The turn is metered just after its answer is stored.
    asked++;
    await eventually(async () => {
      const metered = (await costs()).units.find((u) => u.unit === 'bot_interaction')?.quantity ?? 0;
      return metered >= asked;
    });
    return answer;
  };
  const costs = async () =>
    (await t.app.inject({ method: 'GET', url: '/api/v1/costs', headers: owner.headers })).json() as {
      spentYuan: number;
      percent: number | null;
      reached: number[];
      capped: boolean;
      units: { unit: string; quantity: number; costYuan: number }[];
      resolved: number;
      botResolved: number;
      costPerResolutionYuan: number | null;
      estimatedSavingsYuan: number;
    };

  beforeAll(async () => {
    llm = await startFakeLlm();
    llm.script({ kind: 'stream', pieces: ['可以开具电子普通发票和增值税专用发票。'] });
    t = await createTestApp(backend, {
      env: {
        ZHIKE_LLM_BASE_URL: llm.baseUrl,
        ZHIKE_LLM_API_KEY: 'sk-test',
        ZHIKE_LLM_MODEL: 'deepseek-chat',
        ZHIKE_LLM_TIMEOUT_MS: '5000',
      },
    });
    owner = await t.login();
    key = await t.apiKey();
  });
  afterAll(async () => {
    await t?.close();
    await llm?.close();
  });

  it('meters without a budget and never caps', async () => {
    await ask('free-1');
    expect(llm.requests.length).toBe(1);
    const c = await costs();
    expect(c.percent).toBeNull();
    expect(c.capped).toBe(false);
    expect(c.units.find((u) => u.unit === 'bot_interaction')).toMatchObject({ quantity: 1, costYuan: 0.05 });
    expect(c.units.find((u) => u.unit === 'llm_token')?.quantity).toBeGreaterThan(10);
  });

  it('stops calling the LLM at the hard cap and keeps answering from the knowledge base', async () => {
    const bad = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/budget',
      headers: owner.headers,
      payload: { monthlyYuan: -1, hardCap: true },
    });
    expect(bad.statusCode).toBe(400);
    // 0.05 元 spent already; each answer costs 0.05 元 (bot) plus its tokens: the cap is hit on the third.
    const set = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/budget',
      headers: owner.headers,
      payload: { monthlyYuan: 0.15, hardCap: true, prices: { bot_interaction: 0.05 } },
    });
    expect(set.statusCode, set.body).toBe(200);
    for (const customer of ['capped-1', 'capped-2']) await ask(customer);
    const before = llm.requests.length;
    expect(before).toBe(3);
    let c = await costs();
    expect(c.capped).toBe(true);
    expect(c.reached).toEqual([50, 80, 100]);

    // Past the cap: answers keep coming, from the knowledge base, with no call to the model.
    for (const customer of ['after-1', 'after-2']) {
      const answer = await ask(customer);
      expect(answer.text).toContain('发票');
      expect(answer.generatedBy).toBeUndefined();
    }
    expect(llm.requests.length).toBe(before);
    c = await costs();
    expect(c.units.find((u) => u.unit === 'bot_interaction')?.quantity).toBe(5);

    const audit = await t.app.inject({
      method: 'GET',
      url: '/api/v1/audit?action=budget.threshold_reached',
      headers: owner.headers,
    });
    const entries = (audit.json() as { entries: { details: { threshold: number } }[] }).entries;
    expect(entries.map((e) => e.details.threshold).sort((a, b) => a - b)).toEqual([50, 80, 100]);
  });

  it('lifts the cap when the budget is raised', async () => {
    await t.app.inject({
      method: 'PUT',
      url: '/api/v1/budget',
      headers: owner.headers,
      payload: { monthlyYuan: 100, hardCap: true },
    });
    const before = llm.requests.length;
    await ask('raised-1');
    expect(llm.requests.length).toBe(before + 1);
    expect((await costs()).capped).toBe(false);
  });

  it('prices a resolution and the savings of the ones the bot resolved alone', async () => {
    const resolve = (conversationId: string) =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/conversations/${conversationId}/status`,
        headers: owner.headers,
        payload: { status: 'resolved' },
      });
    const byBot = await ask('resolved-bot');
    const byAgent = await ask('resolved-agent');
    const reply = await t.app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${byAgent.conversationId}/messages`,
      headers: owner.headers,
      payload: { text: '已为您开好发票。' },
    });
    expect(reply.statusCode, reply.body).toBe(201);
    for (const id of [byBot.conversationId, byAgent.conversationId])
      expect((await resolve(id)).statusCode).toBe(200);
    const c = await costs();
    expect(c).toMatchObject({ resolved: 2, botResolved: 1 });
    expect(c.costPerResolutionYuan).toBeCloseTo(c.spentYuan / 2, 2);
    // One bot-only resolution at the default 5 元 a person-handled conversation, less the month's spend.
    expect(c.estimatedSavingsYuan).toBeCloseTo(5 - c.spentYuan, 2);
  });
});
