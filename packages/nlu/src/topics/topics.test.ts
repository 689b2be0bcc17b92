import { describe, expect, it } from 'vitest';
import { analyseSentiment } from '../sentiment/index.ts';
import { emotionReport } from './emotion.ts';
import { readTopicCorpus } from './fixtures/corpus.ts';
import { mineTopics } from './mine.ts';
import { clusterQuality } from './quality.ts';
import { topicTrends, trendOf } from './rising.ts';

const zh = readTopicCorpus('zh');
const en = readTopicCorpus('en');
const asMessages = (texts: readonly { text: string }[]) =>
  texts.map((m, i) => ({ id: `m${i}`, text: m.text }));

describe('topic mining on the corpus with known topics', () => {
  // Never told how many topics there are: the engine finds that number itself.
  const zhModel = mineTopics(asMessages(zh));
  const zhQuality = clusterQuality(
    zh.map((m) => m.label),
    zhModel.assignment,
  );

  it('recovers the Chinese topics with purity ≥ 0.8 (NMI reported)', () => {
    console.log(`topics zh: ${JSON.stringify(zhQuality)}`);
    expect(zhQuality.labels).toBe(10);
    expect(zhQuality.purity).toBeGreaterThanOrEqual(0.8);
    expect(zhQuality.nmi).toBeGreaterThan(0.6);
    expect(zhQuality.coverage).toBeGreaterThan(0.85);
    // More topics than one and fewer than one per few messages: a number it chose, not a given one.
    expect(zhQuality.clusters).toBeGreaterThan(5);
    expect(zhQuality.clusters).toBeLessThan(60);
  });

  it('recovers the development corpus’s topics of uneven sizes with purity ≥ 0.8 and coverage ≥ 0.85', () => {
    // 182 messages on 14 topics of 6 to 28 messages, written to tune against something other than zh.txt
    // (fixtures/README.md): the engine's choices were made on it, so this is not a held-out figure.
    const dev = readTopicCorpus('zh-dev');
    const model = mineTopics(asMessages(dev));
    const quality = clusterQuality(
      dev.map((m) => m.label),
      model.assignment,
    );
    console.log(`topics zh-dev: ${JSON.stringify(quality)}`);
    expect(quality.labels).toBe(14);
    expect(quality.purity).toBeGreaterThanOrEqual(0.8);
    expect(quality.coverage).toBeGreaterThanOrEqual(0.85);
    expect(quality.nmi).toBeGreaterThan(0.7);
    expect(quality.clusters).toBeLessThan(40);
  });

  it('measures a held-out corpus nobody tuned on (12 topics, 2 of them new)', () => {
    // Written after the first thresholds were chosen, and never used to choose anything since: fresh
    // wording of ten known problems plus price protection and membership points. The second round of
    // tuning (characters, synonyms, rare-term damping, the neighbours' vote) was done on zh and zh-dev,
    // and this corpus was mined once, after it.
    const heldOut = readTopicCorpus('zh-heldout');
    const model = mineTopics(asMessages(heldOut));
    const quality = clusterQuality(
      heldOut.map((m) => m.label),
      model.assignment,
    );
    console.log(`topics zh held-out: ${JSON.stringify(quality)}`);
    expect(quality.labels).toBe(12);
    // Measured 0.639 (coverage 0.787) before that round; 0.806 (87 of 108 messages, NMI 0.756, coverage
    // 1.0, 18 topics) after it — one message above the bar, so this floor is exactly issue 12's.
    expect(quality.purity).toBeGreaterThanOrEqual(0.8);
    expect(quality.coverage).toBeGreaterThanOrEqual(0.85);
  });

  it('recovers Chinese and English messages mixed together with purity ≥ 0.8', () => {
    const mixed = [...zh, ...en];
    const model = mineTopics(asMessages(mixed));
    const quality = clusterQuality(
      mixed.map((m) => m.label),
      model.assignment,
    );
    const enQuality = clusterQuality(
      en.map((m) => m.label),
      mineTopics(asMessages(en)).assignment,
    );
    console.log(`topics zh+en: ${JSON.stringify(quality)}; en alone: ${JSON.stringify(enQuality)}`);
    expect(quality.purity).toBeGreaterThanOrEqual(0.8);
    expect(enQuality.purity).toBeGreaterThan(0.7);
  });

  it('labels each topic by its key phrases, largest topic first, with distinct examples', () => {
    const sizes = zhModel.topics.map((t) => t.size);
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    const refund = zhModel.topics.find((t) => t.phrases[0]?.phrase === '退款');
    expect(refund?.label).toMatch(/^退款 · /);
    const invoice = zhModel.topics.find((t) => t.label.startsWith('发票'));
    expect(invoice).toBeDefined();
    for (const topic of zhModel.topics) {
      expect(topic.examples.length).toBeGreaterThan(0);
      expect(new Set(topic.examples.map((e) => e.text)).size).toBe(topic.examples.length);
      expect(topic.messageIds).toHaveLength(topic.size);
    }
    // Filler and order numbers never label a topic.
    const phrases = zhModel.topics.flatMap((t) => t.phrases.map((p) => p.phrase));
    expect(phrases).not.toContain('怎么');
    expect(phrases.some((p) => /zk\d/i.test(p))).toBe(false);
  });

  it('links topics to the intents, products and order numbers of their messages, and their mood', () => {
    const messages = [
      ...['订单ZK20261125001退款什么时候到账', '退款怎么还没到账', '退款到账要几天', '我的退款还没到账'].map(
        (text, i) => ({ id: `r${i}`, text, intent: 'refund_status', sentiment: -0.5 }),
      ),
      ...['空气炸锅的温度怎么调', '空气炸锅不会用', '空气炸锅温度调不了', '炸锅温度怎么设置'].map(
        (text, i) => ({
          id: `p${i}`,
          text,
          intent: i === 3 ? null : 'product_usage',
        }),
      ),
    ];
    const model = mineTopics(messages, { products: [{ id: 'sku-1', name: '空气炸锅', aliases: ['炸锅'] }] });
    const refund = model.topics.find((t) => t.messageIds.includes('r0'))!;
    expect(refund.intents).toEqual([{ intent: 'refund_status', count: 4 }]);
    expect(refund.orders).toEqual([{ number: 'ZK20261125001', count: 1 }]);
    expect(refund.sentiment).toEqual({ average: -0.5, negative: 1, scored: 4 });
    const fryer = model.topics.find((t) => t.messageIds.includes('p0'))!;
    expect(fryer.products).toEqual([{ id: 'sku-1', name: '空气炸锅', count: 4 }]);
    expect(fryer.intents).toEqual([{ intent: 'product_usage', count: 3 }]);
    expect(fryer.sentiment).toBeNull();
  });
});

describe('rising topics', () => {
  it('does not call 3 → 6 messages rising, but a significant rise is', () => {
    const small = trendOf(6, 1000, 3, 1000);
    expect(small.growth).toBeCloseTo(1);
    expect(small.z).toBeCloseTo(1);
    expect(small.rising).toBe(false);
    expect(trendOf(30, 1000, 10, 1000).rising).toBe(true);
    // The same count in a busier period is a smaller share: not rising.
    expect(trendOf(30, 3000, 10, 1000).rising).toBe(false);
    // New, and enough of it.
    expect(trendOf(12, 1000, 0, 1000)).toMatchObject({ growth: null, rising: true });
    // No previous period: nothing rises.
    expect(trendOf(50, 1000, 0, 0).rising).toBe(false);
  });

  it('matches the previous period to this period’s topics by their centroids', () => {
    const refunds = zh.filter((m) => m.label === 'refund_progress');
    const invoices = zh.filter((m) => m.label === 'invoice');
    const others = zh.filter((m) => m.label !== 'refund_progress' && m.label !== 'invoice');
    // This period: every refund message; the previous one: a few of them, as many invoices as now.
    const model = mineTopics(asMessages([...refunds, ...invoices, ...others]));
    const previous = [...refunds.slice(0, 4), ...invoices, ...others].map((m) => m.text);
    const trends = topicTrends(model, previous);
    const refundTopic = model.topics.findIndex((t) => t.label.startsWith('退款'));
    const invoiceTopic = model.topics.findIndex((t) => t.label.startsWith('发票'));
    expect(trends[refundTopic]!.rising).toBe(true);
    expect(trends[refundTopic]!.previous).toBeLessThan(model.topics[refundTopic]!.size);
    expect(trends[invoiceTopic]!.rising).toBe(false);
    expect(trends[invoiceTopic]!.previous).toBe(model.topics[invoiceTopic]!.size);
  });
});

describe('cluster quality', () => {
  it('computes purity and NMI by hand-checked values, unclustered messages as one more cluster', () => {
    // Clusters {a,a,b}, {b,b}, unclustered {a}: majorities 2 + 2 + 1 of 6.
    const q = clusterQuality(['a', 'a', 'b', 'b', 'b', 'a'], [0, 0, 0, 1, 1, -1]);
    expect(q.purity).toBeCloseTo(5 / 6);
    expect(q.coverage).toBeCloseTo(5 / 6);
    expect(q.clusters).toBe(2);
    expect(clusterQuality(['a', 'a', 'b'], [1, 1, 2]).nmi).toBeCloseTo(1);
    expect(clusterQuality(['a', 'b', 'a', 'b'], [1, 1, 2, 2]).nmi).toBeCloseTo(0);
  });
});

describe('emotion', () => {
  it('rolls sentiment up per day and per conversation, with the way each conversation went', () => {
    const at = (day: string, minute: number) => `${day}T10:${String(minute).padStart(2, '0')}:00.000Z`;
    const scored = (conversationId: string, bucket: string, minute: number, text: string) => ({
      conversationId,
      bucket,
      at: at(bucket, minute),
      sentiment: analyseSentiment(text),
    });
    const report = emotionReport(
      [
        scored('c1', '2026-11-20', 1, '你们太垃圾了，再不退款我就投诉！'),
        scored('c1', '2026-11-20', 5, '好的，谢谢，问题解决了，服务很好'),
        scored('c2', '2026-11-22', 1, '东西很好用，非常满意'),
      ],
      ['2026-11-20', '2026-11-21', '2026-11-22'],
    );
    expect(report.buckets.map((b) => [b.bucket, b.messages])).toEqual([
      ['2026-11-20', 2],
      ['2026-11-21', 0],
      ['2026-11-22', 1],
    ]);
    expect(report.buckets[0]!.angry).toBe(1);
    expect(report.buckets[0]!.negative).toBe(1);
    expect(report.buckets[2]!.positive).toBe(1);
    expect(report.conversations.find((c) => c.conversationId === 'c1')!.mood).toBe('improved');
    expect(report.moods).toEqual({ improved: 1, worsened: 0, steady: 1 });
    expect(report.totals.messages).toBe(3);
  });
});
