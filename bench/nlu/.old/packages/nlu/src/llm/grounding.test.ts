import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeLlm, type LlmScript, startFakeLlm } from '../../../../tests/support/fakeLlm.ts';
import { createChatClient } from './chat.ts';
import { createGroundedAnswerer } from './grounded-answer.ts';
import {
  allowedNumbers,
  checkDraft,
  checkGroundedAnswer,
  type GroundingPassage,
  groundedPrompt,
  groundsOf,
  maskForPrompt,
  numbersIn,
} from './grounding.ts';

const returnsZh: GroundingPassage = {
  id: 'faq:returns',
  kind: 'faq',
  title: '可以退货吗？',
  text: '支持七天无理由退货，商品未使用即可。退款在收到退货后3个工作日内原路退回，满99元包邮。',
  score: 0.91,
};
const shippingEn: GroundingPassage = {
  id: 'article:shipping#2',
  kind: 'article',
  title: 'Shipping',
  text: 'Orders ship within 48 hours. Standard delivery costs $4.99 and is free above $1,200.',
  score: 0.77,
};

describe('numbers', () => {
  it('reads Arabic, full-width and Chinese numerals alike', () => {
    expect([...numbersIn('七天无理由，满九十九元包邮，３个工作日，¥1,299.00')].sort()).toEqual([
      '1299',
      '3',
      '7',
      '99',
    ]);
    expect([...numbersIn('请稍等一下，统一回复')]).toEqual([]);
    expect([...numbersIn('order ZK20261125001 on 2026-11-25')]).toEqual(['20261125001', '2026', '11', '25']);
  });

  it('allows what the passages and the question contain', () => {
    const allowed = allowedNumbers([returnsZh], '买了200元的东西能退吗');
    expect([...allowed].sort()).toEqual(['200', '3', '7', '99']);
  });
});

describe('checkGroundedAnswer', () => {
  const check = (
    answer: string,
    passages = [returnsZh],
    question = '能退货吗',
    finishReason: string | null = 'stop',
  ) => checkGroundedAnswer({ answer, passages, question, finishReason, maxChars: 120 });

  it.each([
    ['支持7天无理由退货，退款会在收到退货后三个工作日内原路退回。'],
    ['可以的，七天内未使用都能退，满99元还包邮哦。'],
    ['抱歉，这个问题我不太清楚，可以帮您转人工客服。'],
  ])('accepts a grounded Chinese answer: %s', (answer) => {
    expect(check(answer)).toEqual({ ok: true, text: answer });
  });

  it.each([
    ['退款金额为128元，3个工作日到账。', ['128']],
    ['您的订单ZK20261125001已发货。', ['20261125001']],
    ['退款将在11月30日前到账。', ['11', '30']],
    ['十五天内都可以退货。', ['15']],
  ])('rejects an invented number in Chinese: %s', (answer, numbers) => {
    expect(check(answer)).toEqual({ ok: false, reason: 'ungrounded_number', numbers });
  });

  it('English: grounded prices pass, invented prices and dates do not', () => {
    const q = 'How much is shipping?';
    expect(check('Standard delivery is $4.99, free on orders above $1200.', [shippingEn], q).ok).toBe(true);
    expect(check('Shipping costs $5.99.', [shippingEn], q)).toEqual({
      ok: false,
      reason: 'ungrounded_number',
      numbers: ['5.99'],
    });
    expect(check('It arrives by December 3.', [shippingEn], q)).toMatchObject({ numbers: ['3'] });
    // A number the customer asked about may be repeated back.
    expect(check('Yes, orders above $1,500 ship free.', [shippingEn], 'Is $1500 free shipping?').ok).toBe(
      true,
    );
  });

  it('rejects empty, cut-off and overlong answers', () => {
    expect(check('   ')).toEqual({ ok: false, reason: 'empty' });
    expect(check('支持七天无理由', [returnsZh], '能退吗', 'length')).toEqual({
      ok: false,
      reason: 'truncated',
    });
    expect(check('可以退货。'.repeat(30))).toEqual({ ok: false, reason: 'too_long' });
  });
});

describe('order and refund facts', () => {
  const check = (answer: string, passages = [returnsZh], question = '我的快递到哪了') =>
    checkGroundedAnswer({ answer, passages, question });

  it.each([
    ['您的订单已发货，请耐心等待。', ['已发货']],
    ['退款成功，请查收。', ['退款成功']],
    ['Your order has shipped and is in transit.', ['has shipped', 'in transit']],
    ['Good news: your refund was processed.', ['refund was']],
  ])('rejects an order or refund status the passages do not state: %s', (answer, facts) => {
    expect(check(answer)).toEqual({ ok: false, reason: 'ungrounded_fact', facts });
  });

  it('allows such a phrase when a passage states it', () => {
    const tracking: GroundingPassage = {
      id: 'faq:tracking',
      kind: 'faq',
      title: '怎么查物流？',
      text: '订单显示「已发货」后，在我的订单里可以看到快递单号。',
      score: 0.8,
    };
    expect(check('订单显示已发货后，可在我的订单里查看快递单号。', [tracking]).ok).toBe(true);
  });

  it('stops a stream on the phrase, not before', () => {
    const grounds = groundsOf([returnsZh], '我的快递到哪了');
    expect(checkDraft('您的订单已发', grounds)).toEqual({ ok: true, text: '您的订单已发' });
    expect(checkDraft('您的订单已发货', grounds)).toEqual({
      ok: false,
      reason: 'ungrounded_fact',
      facts: ['已发货'],
    });
  });
});

describe('checkDraft', () => {
  const allowed = groundsOf([returnsZh], '能退吗');
  it('holds back a number that may still grow, then judges it whole', () => {
    expect(checkDraft('满9', allowed)).toEqual({ ok: true, text: '满' });
    expect(checkDraft('满99元包邮', allowed)).toEqual({ ok: true, text: '满99元包邮' });
    expect(checkDraft('满九十', allowed)).toEqual({ ok: true, text: '满' });
    expect(checkDraft('满九十九元', allowed)).toEqual({ ok: true, text: '满九十九元' });
    expect(checkDraft('满199元', allowed)).toEqual({
      ok: false,
      reason: 'ungrounded_number',
      numbers: ['199'],
    });
    expect(checkDraft('Costs $1,2', allowed)).toEqual({ ok: true, text: 'Costs $' });
  });
});

describe('groundedPrompt', () => {
  it('sets the rules, the passages with their ids, masked recent turns and the question', () => {
    const messages = groundedPrompt({
      question: '退货运费谁出？',
      passages: [returnsZh, shippingEn],
      history: [
        { author: 'customer', text: '我的手机号是 138 0013 8000，邮箱 wang@example.com' },
        { author: 'system', text: '会话已转人工' },
        { author: 'bot', text: '好的，请问还有什么可以帮您？' },
      ],
    });
    expect(messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    const system = messages[0]?.content ?? '';
    expect(system).toContain('ONLY the knowledge-base passages');
    expect(system).toContain('Simplified Chinese');
    expect(system).toContain('Never state an order status');
    expect(system).toContain('[faq:returns] (faq) 可以退货吗？');
    expect(system).toContain('[article:shipping#2] (article) Shipping');
    expect(messages[1]?.content).toBe('我的手机号是 [number]，邮箱 [email]');
    expect(messages[3]?.content).toBe('退货运费谁出？');
    expect(
      groundedPrompt({ question: 'Can I return a used item?', passages: [returnsZh] })[0]?.content,
    ).toContain('Answer in English');
  });

  it('masks long digit runs but keeps short numbers', () => {
    expect(maskForPrompt('订单 ZK20261125001，买了 2 件')).toBe('订单 [number]，买了 2 件');
  });
});

describe('grounded answerer against a chat-completions server', () => {
  let llm: FakeLlm;
  beforeAll(async () => {
    llm = await startFakeLlm();
  });
  afterAll(async () => llm.close());
  beforeEach(() => {
    llm.requests.length = 0;
  });
  const answerer = () =>
    createGroundedAnswerer({
      client: createChatClient({ baseUrl: llm.baseUrl, model: 'deepseek-chat', timeoutMs: 3_000 }),
      firstTokenTimeoutMs: 300,
    });

  it('streams checked drafts and returns the answer', async () => {
    llm.script({ kind: 'stream', pieces: ['支持7天', '无理由退货，满', '9', '9元包邮。'], delayMs: 5 });
    const drafts: string[] = [];
    const result = await answerer().answer({
      question: '能退货吗',
      passages: [returnsZh],
      onDraft: (t) => drafts.push(t),
    });
    expect(result).toEqual({
      kind: 'generated',
      text: '支持7天无理由退货，满99元包邮。',
      model: 'deepseek-chat',
    });
    expect(drafts).toEqual(['支持7天', '支持7天无理由退货，满', '支持7天无理由退货，满99元包邮。']);
  });

  it('stops at the first invented number; the customer never saw it', async () => {
    llm.script({ kind: 'stream', pieces: ['退款', '金额是1', '28元', '，请放心。'], delayMs: 20 });
    const drafts: string[] = [];
    const result = await answerer().answer({
      question: '退多少钱',
      passages: [returnsZh],
      onDraft: (t) => drafts.push(t),
    });
    expect(result).toEqual({ kind: 'fallback', reason: 'ungrounded_number', numbers: ['128'] });
    expect(drafts.join('')).not.toMatch(/\d/);
  });

  it.each([
    [{ kind: 'status', status: 500, body: '{"error":{"message":"boom"}}' } as LlmScript, 'http'],
    [{ kind: 'stream', pieces: ['late'], firstDelayMs: 1_000 } as LlmScript, 'timeout'],
    [{ kind: 'stream_error', message: 'overloaded' } as LlmScript, 'provider'],
    [{ kind: 'stream', pieces: [' '] } as LlmScript, 'empty'],
  ])('falls back on %o', async (script, reason) => {
    llm.script(script);
    expect(await answerer().answer({ question: '能退货吗', passages: [returnsZh] })).toMatchObject({
      kind: 'fallback',
      reason,
    });
  });

  it('never calls the model without passages', async () => {
    expect(await answerer().answer({ question: '我的订单到哪了', passages: [] })).toEqual({
      kind: 'fallback',
      reason: 'no_passages',
    });
    expect(llm.requests).toHaveLength(0);
  });
});
