// Ranking reply suggestions: compliance templates pinned first only for the understood intent, the best
// three of the rest by score, near-duplicates from two sources shown once; the history keeps only
// conversations that ended well, counts one reply worded several ways once, and takes the customer's
// specifics out; the text measures behave at their edges.
import { describe, expect, it } from 'vitest';
import { rankSuggestions, type TemplateCandidate } from './rankSuggestions.ts';
import { buildReplyHistoryIndex, generaliseReply, type LabelledReply, replyWeight } from './replyHistory.ts';
import { editRatio, textHash, textSimilarity } from './textSimilarity.ts';

const template = (id: string, over: Partial<TemplateCandidate> = {}): TemplateCandidate => ({
  id,
  title: `标题 ${id}`,
  body: `模板 ${id} 的正文`,
  intents: ['refund_request'],
  compliance: false,
  ...over,
});

describe('rankSuggestions', () => {
  const base = {
    message: '我要退款，订单 A1234567',
    intent: 'refund_request',
    intents: ['refund_request', 'faq:refund-time'],
    knowledge: [],
    templates: [],
    history: [],
  };

  it('pins compliance templates of the understood intent above higher-scored suggestions', () => {
    const ranked = rankSuggestions({
      ...base,
      templates: [
        template('plain', { body: '好的，我这边帮您登记退款申请' }),
        template('legal', { compliance: true, body: '根据《消费者权益保护法》，签收 7 天内支持无理由退货' }),
      ],
      knowledge: [
        { id: 'refund-time', title: '退款多久到账', text: '退款 1–3 个工作日原路退回', score: 0.95 },
      ],
    });
    expect(ranked.map((s) => [s.rank, s.source.kind, s.source.id, s.pinned])).toEqual([
      [1, 'template', 'legal', true],
      // Without history, the shop's template for the intent before the knowledge entry, whose score is
      // the NLU's certainty.
      [2, 'template', 'plain', false],
      [3, 'knowledge', 'refund-time', false],
    ]);
  });

  it('scores knowledge and templates by how alike they are to what agents sent, once there is history', () => {
    const ranked = rankSuggestions({
      ...base,
      templates: [
        template('plain', { body: '您好，根据平台规则，退款申请提交后由系统自动审核' }),
        template('legal', { compliance: true, body: '根据《消费者权益保护法》，签收 7 天内支持无理由退货' }),
      ],
      knowledge: [
        {
          id: 'refund-time',
          title: '退款多久到账',
          text: '退款审核通过后原路退回，银行卡 3–5 个工作日',
          score: 0.95,
        },
        { id: 'help-page', title: '售后说明', text: '售后服务说明：请在个人中心查看服务条款', score: 0.9 },
      ],
      history: [
        {
          id: 'h:1',
          text: '亲，退款审核通过后会原路退回，微信支付宝即时到账，银行卡 3–5 个工作日哦',
          score: 0.8,
        },
        { id: 'h:2', text: '好的，请把订单号发给我，我帮您查一下进度', score: 0.5 },
      ],
    });
    expect(ranked.map((s) => [s.rank, s.source.id, s.pinned])).toEqual([
      // Compliance wording stays pinned whatever the history says.
      [1, 'legal', true],
      [2, 'h:1', false],
      // Much like the best history reply: worth a share of its score, above the rarer reply.
      [3, 'refund-time', false],
      [4, 'h:2', false],
      // The help-page wording and the template no agent sends like rank below both history replies.
    ]);
  });

  it('does not pin compliance wording for an intent the message only may be about', () => {
    const ranked = rankSuggestions({
      ...base,
      intent: 'faq:refund-time',
      intents: ['faq:refund-time', 'refund_request'],
      templates: [template('legal', { compliance: true })],
    });
    expect(ranked).toHaveLength(1);
    expect(ranked[0]).toMatchObject({ pinned: false, score: 0.5 });
  });

  it('leaves out templates of other intents and keeps three besides the pinned ones', () => {
    const ranked = rankSuggestions({
      ...base,
      templates: [template('other', { intents: ['order_status'] })],
      history: [
        { id: 'h:1', text: '第一条完全不同的回复内容', score: 0.9 },
        { id: 'h:2', text: '另外一种说法：请提供订单号', score: 0.8 },
        { id: 'h:3', text: '稍等，我帮您查询物流进度', score: 0.7 },
        { id: 'h:4', text: '感谢耐心等待，祝您生活愉快', score: 0.6 },
      ],
    });
    expect(ranked.map((s) => s.source.id)).toEqual(['h:1', 'h:2', 'h:3']);
  });

  it('shows the same answer from two sources once, the better-scored one', () => {
    const ranked = rankSuggestions({
      ...base,
      knowledge: [
        { id: 'refund-time', title: 'q', text: '退款会在 1–3 个工作日内原路退回，请留意。', score: 0.6 },
      ],
      history: [{ id: 'h:1', text: '退款会在1-3个工作日内原路退回，请留意', score: 0.8 }],
    });
    expect(ranked.map((s) => s.source.id)).toEqual(['h:1']);
  });
});

const reply = (over: Partial<LabelledReply>): LabelledReply => ({
  conversationId: 'c',
  customerMessageId: `m${Math.random()}`,
  customerText: '退款多久到账',
  replyMessageId: `r${Math.random()}`,
  replyText: '退款 1–3 个工作日原路退回',
  repliedAt: '2026-11-01T00:00:00.000Z',
  csatScore: 5,
  feedback: null,
  customerName: null,
  intent: 'faq:refund-time',
  ...over,
});

describe('reply history', () => {
  const now = new Date('2026-11-10T00:00:00.000Z');

  it('weighs well-rated replies fully, unrated ones half, poorly rated ones not at all', () => {
    expect(replyWeight({ csatScore: 5, feedback: null })).toBe(1);
    expect(replyWeight({ csatScore: null, feedback: null })).toBe(0.5);
    expect(replyWeight({ csatScore: 3, feedback: 'accepted' })).toBe(0);
    expect(replyWeight({ csatScore: 4, feedback: 'accepted' })).toBe(1.5);
  });

  it('clusters one reply worded several ways and ranks it above a rarer one', () => {
    const index = buildReplyHistoryIndex([
      reply({ replyText: '您好，退款 1-3 个工作日原路退回哦' }),
      reply({ replyText: '退款1～3个工作日原路退回哦' }),
      reply({ replyText: '您好，退款 1–3 个工作日原路退回' }),
      reply({ replyText: '请提供一下订单号，我帮您查' }),
      reply({ replyText: '这是差评客户的回复', csatScore: 2 }),
      reply({ replyText: '另一个意图的回复', intent: 'order_status' }),
    ]);
    const frequent = index.frequent('faq:refund-time', 5);
    expect(frequent.map((c) => c.members)).toEqual([3, 1]);
    expect(frequent[0]!.text).toContain('原路退回');
    const matches = index.match('faq:refund-time', '退款几天能到账', 3, now);
    expect(matches[0]!.cluster.id).toBe(frequent[0]!.id);
    expect(index.match('order_status', '我的快递到哪了', 3, now).map((m) => m.cluster.text)).toEqual([
      '另一个意图的回复',
    ]);
  });

  it('lets the past questions most alike to the message vote for the reply they got', () => {
    const frequent = '退款审核通过后原路退回，银行卡 3–5 个工作日到账';
    const lookup = '请把订单号发给我，我帮您查一下进度';
    const index = buildReplyHistoryIndex([
      reply({ customerText: '退款多久到账', replyText: frequent }),
      reply({ customerText: '钱什么时候退回来', replyText: frequent }),
      reply({ customerText: '退款几天能到', replyText: frequent }),
      reply({ customerText: '退款要多久', replyText: frequent }),
      reply({ customerText: '多久退到卡上', replyText: frequent }),
      reply({ customerText: '退款到账要几天', replyText: frequent }),
      reply({ customerText: '钱多久能退回', replyText: frequent }),
      reply({ customerText: '多久能收到退款', replyText: frequent }),
      reply({ customerText: '退款一般几天', replyText: frequent }),
      reply({ customerText: '退回来要多久', replyText: frequent }),
      // One reply given to unlike questions: its centroid is blurred, its members are not.
      reply({ customerText: '我的退款到哪一步了', replyText: lookup }),
      reply({ customerText: '帮我看看是不是卡住了', replyText: lookup }),
      reply({ customerText: '怎么一直显示处理中', replyText: lookup }),
      reply({ customerText: '退款进度在哪里看', replyText: '在订单页的售后详情里可以看到退款进度' }),
    ]);
    // The rarer replies answered these very questions before: their votes outweigh the other's frequency
    // (the centroids alone, with frequency, would put the refund-time reply first).
    expect(index.match('faq:refund-time', '退款进度在哪看', 3, now)[0]!.cluster.text).toContain('售后详情');
    expect(index.match('faq:refund-time', '我的退款到哪一步', 3, now)[0]!.cluster.text).toBe(lookup);
    expect(index.match('faq:refund-time', '退款要几天到', 3, now)[0]!.cluster.text).toBe(frequent);
    // An intent the history never saw borrows the replies of the most alike past questions of any intent.
    expect(index.match('faq:unseen', '退款进度在哪里查看', 3, now)[0]!.cluster.text).toContain('售后详情');
    expect(index.match('faq:unseen', '你们发什么快递', 3, now)).toEqual([]);
  });

  it('takes the customer’s name, phone and order number out of a reply', () => {
    expect(
      generaliseReply('王芳您好，订单 A20261101 已退款，短信发到 13812345678 了，王女士请查收', '王芳'),
    ).toBe(
      '{{customer.name}}您好，订单 {{order.number}} 已退款，短信发到 {{customer.phone}} 了，{{customer.name}}请查收',
    );
    expect(generaliseReply('退款 1–3 个工作日到账', null)).toBe('退款 1–3 个工作日到账');
  });
});

describe('text measures', () => {
  it('sees rewordings as alike and different answers as different', () => {
    expect(textSimilarity('退款1-3个工作日原路退回', '退款 1～3 个工作日原路退回。')).toBeGreaterThan(0.9);
    expect(textSimilarity('退款1-3个工作日原路退回', '我们默认发中通快递')).toBeLessThan(0.1);
    expect(textSimilarity('', '')).toBe(0);
  });

  it('hashes the normalised text and measures edits as a share of the longer text', () => {
    expect(textHash('退款 1-3 天')).toBe(textHash('退款1–3天'));
    expect(textHash('退款')).not.toBe(textHash('退货'));
    expect(editRatio('abcd', 'abcd')).toBe(0);
    expect(editRatio('abcd', 'abXd')).toBe(0.25);
    expect(editRatio('', 'xyz')).toBe(1);
  });
});
