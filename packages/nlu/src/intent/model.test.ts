import { describe, expect, it } from 'vitest';
import { intentModelFromJSON, sparsify, trainIntentModel } from './model.ts';

const examples = [
  ['我想退款', 'refund'],
  ['怎么申请退款', 'refund'],
  ['退款多久到账', 'refund'],
  ['钱什么时候退回来', 'refund'],
  ['不想要了能退钱吗', 'refund'],
  ['快递到哪了', 'track_order'],
  ['我的包裹什么时候到', 'track_order'],
  ['查一下物流', 'track_order'],
  ['订单怎么还没发货', 'track_order'],
  ['物流信息一直不更新', 'track_order'],
  ['有优惠券吗', 'coupon'],
  ['现在有什么活动', 'coupon'],
  ['能便宜点吗', 'coupon'],
  ['满减怎么用', 'coupon'],
  ['优惠码在哪里输入', 'coupon'],
  ['今天天气怎么样', 'oos'],
  ['给我讲个笑话', 'oos'],
].map(([text, label]) => ({ text: text!, label: label! }));

describe('trainIntentModel', () => {
  const model = trainIntentModel(examples);

  it('classifies paraphrases, traditional script and typos', () => {
    expect(model.classify('请问怎么退款').intent).toBe('refund');
    expect(model.classify('退宽什么时候到账').intent).toBe('refund');
    expect(model.classify('我的快遞到哪裡了').intent).toBe('track_order');
    expect(model.classify('有没有优惠卷').intent).toBe('coupon');
  });

  it('ranks only known intents, most likely first, with probabilities', () => {
    const { ranking } = model.classify('退款');
    expect(ranking.map((r) => r.intent)).not.toContain('oos');
    for (let i = 1; i < ranking.length; i++)
      expect(ranking[i - 1]!.confidence).toBeGreaterThanOrEqual(ranking[i]!.confidence);
    const total = ranking.reduce((s, r) => s + r.confidence, 0);
    expect(total).toBeLessThanOrEqual(1 + 1e-9);
    expect(ranking[0]!.confidence).toBeGreaterThan(0);
  });

  it('answers out of scope for text like the explicit oos examples', () => {
    expect(model.classify('今天天气好吗').intent).toBeNull();
  });

  it('handles empty input without throwing', () => {
    const result = model.classify('');
    expect(result.ranking.length).toBeGreaterThan(0);
  });

  it('round-trips through JSON with identical predictions', () => {
    const json = JSON.parse(JSON.stringify(model.toJSON()));
    const copy = intentModelFromJSON(json);
    for (const text of ['请问怎么退款', '快递到哪了', '有没有优惠', '今天天气好吗']) {
      expect(copy.classify(text)).toEqual(model.classify(text));
    }
  });

  it('stores the segmentation dictionary and loads jieba-segmented version 2 models', () => {
    const json = model.toJSON();
    expect(json.version).toBe(3);
    expect(json.dictionary).toContain('退款');
    const jieba = trainIntentModel(examples, { segmentation: 'jieba', calibrationFolds: 0 });
    const v2 = { ...jieba.toJSON(), version: 2 };
    expect(v2.dictionary).toBeUndefined();
    expect(intentModelFromJSON(v2).classify('请问怎么退款')).toEqual(jieba.classify('请问怎么退款'));
    expect(() => intentModelFromJSON({ ...json, dictionary: undefined })).toThrow(/dictionary/);
  });

  it('thresholds the best margin over a positive oos margin; older models keep the margin over the oos class', () => {
    // Enough in-scope examples (90) for the 1.25 % budget to allow one rejection on held-out folds.
    const tails = ['', '吗', '呢', '啊', '呀', '吧'];
    const model = trainIntentModel(examples.flatMap((e) => tails.map((t) => ({ ...e, text: e.text + t }))));
    const json = JSON.parse(JSON.stringify(model.toJSON()));
    expect(json.oosRule).toBe('overOosClaim');
    expect(Number.isFinite(model.threshold)).toBe(true);
    const legacy = intentModelFromJSON({ ...json, oosRule: undefined });
    const texts = ['请问怎么退款', '快递到哪了', '今天天气好吗', '给我讲个故事', '能便宜点吗'];
    const oos = model.labels.length;
    for (const text of texts) {
      const scores = model.scores(text);
      let best = 0;
      for (let k = 1; k < oos; k++) if (scores[k]! > scores[best]!) best = k;
      const overClaim = scores[best]! - Math.max(scores[oos]!, 0);
      expect(model.classify(text).intent === null).toBe(overClaim < model.threshold);
      const overOos = scores[best]! - Math.max(scores[oos]!, -1);
      expect(legacy.classify(text).intent === null).toBe(overOos < legacy.threshold);
    }
  });

  it('without fitted folds, an explicit oos class answers when it outscores every intent', () => {
    const small = trainIntentModel(examples, { calibrationFolds: 0 });
    expect(small.toJSON().oosRule).toBe('overOosClass');
    expect(small.threshold).toBe(0);
  });

  it('rejects models of another version', () => {
    const json = { ...model.toJSON(), version: 999 };
    expect(() => intentModelFromJSON(json)).toThrow(/version/);
  });

  it('fits temperature and threshold from held-out folds', () => {
    expect(model.temperature).toBeGreaterThan(0);
    expect(Number.isNaN(model.threshold)).toBe(false);
  });

  it('honours per-workspace user words', () => {
    const shop = trainIntentModel(
      [
        { text: '小米手环八代怎么充电', label: 'charging' },
        { text: '手环充不进电', label: 'charging' },
        { text: '小米手环八代多少钱', label: 'price' },
        { text: '这个多少钱', label: 'price' },
      ],
      { userWords: ['小米手环八代'], calibrationFolds: 0 },
    );
    expect(shop.toJSON().userWords).toEqual(['小米手环八代']);
    expect(shop.classify('小米手环八代多少钱啊').intent).toBe('price');
    expect(intentModelFromJSON(shop.toJSON()).classify('手环充不进电了').intent).toBe('charging');
  });

  it('refuses to train without in-scope examples', () => {
    expect(() => trainIntentModel([{ text: 'x', label: 'oos' }])).toThrow();
  });

  it('lets the explicit oos class answer even without calibration folds', () => {
    const plain = trainIntentModel(examples, { calibrationFolds: 0 });
    expect(plain.threshold).toBe(0);
    expect(plain.classify('给我讲个笑话吧').intent).toBeNull();
    expect(plain.classify('我想退款').intent).toBe('refund');
  });
});

describe('sparsify', () => {
  // 3 features × 4 classes, row-major.
  const weights = Float32Array.from([1, -2, 0.5, 3, 0, 0.01, 0, 0, 0, 0, 0, 0]);

  it('keeps rows holding most classes whole and drops the rest of the zeros', () => {
    const w = sparsify(weights, 3, 4, 0);
    expect(Array.from(w.rowStart)).toEqual([0, 4, 5, 5]);
    expect(Array.from(w.classIndex)).toEqual([0, 1, 2, 3, 1]);
    expect(Array.from(w.values)).toEqual(Array.from(Float32Array.from([1, -2, 0.5, 3, 0.01])));
  });

  it('prunes weights below a fraction of their class maximum', () => {
    const w = sparsify(weights, 3, 4, 0.5);
    // Class 1: max |w| 2, so 0.01 goes; class 2 keeps 0.5 (its own maximum).
    expect(Array.from(w.rowStart)).toEqual([0, 4, 4, 4]);
    expect(w.values.length).toBe(4);
  });
});
