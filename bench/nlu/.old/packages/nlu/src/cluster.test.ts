import { describe, expect, it } from 'vitest';
import { clusterQuestions, cosineSimilarity } from './cluster.ts';

const items = (texts: string[]) => texts.map((text, i) => ({ id: `q${i}`, text }));
const textsOf = (clusters: { members: { text: string }[] }[]) =>
  clusters.map((c) => c.members.map((m) => m.text).sort());

describe('clusterQuestions', () => {
  it('groups Chinese paraphrases, traditional characters and typos, and keeps other questions apart', () => {
    const invoice = ['发票怎么开', '能開發票嗎？', '可以开发漂吗', '怎么开增值税发票', '发票怎么开啊'];
    const store = ['你们有实体店吗', '線下實體店在哪裡', '实体店地址在哪'];
    const gifts = ['有赠品吗', '下单送赠品吗', '送不送增品'];
    const noise = ['哈哈哈', '🙂'];
    const others = ['怎么换货', '运费多少钱', '衣服会缩水吗'];
    const all = items([...invoice, ...store, ...gifts, ...noise, ...others]);
    const clusters = clusterQuestions(all);
    expect(textsOf(clusters)).toEqual(
      expect.arrayContaining([
        [...invoice].sort(),
        [...store].sort(),
        [...gifts].sort(),
        ['哈哈哈'],
        ['🙂'],
        ['怎么换货'],
        ['运费多少钱'],
        ['衣服会缩水吗'],
      ]),
    );
    expect(clusters).toHaveLength(8);
    // Largest first, and the representative is a member.
    expect(clusters[0]!.members).toHaveLength(5);
    expect(invoice).toContain(clusters[0]!.representative.text);
    expect(clusters[0]!.members[0]).toBe(clusters[0]!.representative);
  });

  it('groups English paraphrases with misspellings', () => {
    const ship = ['Do you ship to Canada?', 'shipping to canada', 'can you shipp to Canada'];
    const gift = ['do you sell gift cards', 'Gift card available?', 'can I buy a gift card'];
    const clusters = clusterQuestions(items([...ship, ...gift]));
    expect(textsOf(clusters)).toEqual(expect.arrayContaining([[...ship].sort(), [...gift].sort()]));
    expect(clusters).toHaveLength(2);
  });

  it('folds synonyms given by the shop', () => {
    const withSynonyms = clusterQuestions(items(['怎么退钱', '如何退款']), { synonyms: [['退款', '退钱']] });
    expect(withSynonyms).toHaveLength(1);
  });

  it('is deterministic and orders equal-sized clusters newest first', () => {
    const input = items(['营业执照能看吗', '有营业执照吗', '几点开门', '几点开门啊']);
    const a = clusterQuestions(input);
    const b = clusterQuestions(input);
    expect(a.map((c) => c.members.map((m) => m.id))).toEqual(b.map((c) => c.members.map((m) => m.id)));
    expect(a).toHaveLength(2);
    expect(a[0]!.members.map((m) => m.text).sort()).toEqual(['几点开门', '几点开门啊']);
  });

  it('handles empty input and a higher threshold splits loose paraphrases', () => {
    expect(clusterQuestions([])).toEqual([]);
    const loose = items(['发票怎么开', '怎么开增值税发票']);
    expect(clusterQuestions(loose)).toHaveLength(1);
    expect(clusterQuestions(loose, { threshold: 0.95 })).toHaveLength(2);
  });

  it('scores paraphrases above unrelated questions', () => {
    expect(cosineSimilarity('能開發票嗎', '发票怎么开')).toBeGreaterThan(
      cosineSimilarity('发票怎么开', '你们有实体店吗'),
    );
  });

  it('clusters the 1,000 questions the server reads per request in well under a request’s time', () => {
    const topics = [
      '发票怎么开',
      '你们有实体店吗',
      '有赠品吗',
      '衣服会缩水吗',
      '运费多少',
      '怎么换货',
      'do you ship to canada',
    ];
    const questions = Array.from({ length: 1000 }, (_, i) => ({
      id: `q${i}`,
      text: `${topics[i % topics.length]}${['', '啊', '呢', '？'][i % 4]}${i % 3 === 0 ? ` 订单${i}` : ''}`,
    }));
    const started = performance.now();
    const clusters = clusterQuestions(questions);
    const ms = Math.round(performance.now() - started);
    console.log(`cluster: 1000 questions → ${clusters.length} clusters in ${ms} ms`);
    expect(clusters.reduce((n, c) => n + c.members.length, 0)).toBe(1000);
    // One cluster per topic, none mixing two: the shared 订单 of every third question must not glue
    // different questions together.
    expect(clusters).toHaveLength(topics.length);
    for (const c of clusters)
      expect(new Set(c.members.map((m) => topics.find((t) => m.text.startsWith(t)))).size).toBe(1);
    expect(ms).toBeLessThan(10_000);
  });
});
