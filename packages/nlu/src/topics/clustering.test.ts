// The pieces topic mining is built from, each alone: terms, vectors, the neighbour index and vote.
import { describe, expect, it } from 'vitest';
import { clusterVectors, DEFAULT_CLUSTER_OPTIONS } from './cluster.ts';
import { readTopicCorpus } from './fixtures/corpus.ts';
import { mineTopics } from './mine.ts';
import { NeighbourIndex, voteByNeighbours } from './neighbours.ts';
import { runSteps } from './steps.ts';
import { createTermExtractor } from './terms.ts';
import {
  addInto,
  buildVocabulary,
  centroidsOf,
  dot,
  type SparseVector,
  truncate,
  vectorise,
} from './vectors.ts';

/** A unit vector over term ids (weights normalised). */
const unit = (terms: Record<number, number>): SparseVector => {
  const entries = Object.entries(terms).map(([id, w]) => [Number(id), w] as const);
  const norm = Math.sqrt(entries.reduce((s, [, w]) => s + w * w, 0));
  return {
    ids: Int32Array.from(entries, ([id]) => id),
    weights: Float64Array.from(entries, ([, w]) => w / norm),
  };
};

describe('terms', () => {
  const extractor = createTermExtractor();

  it('folds the words customers use for one thing into one (快递小哥, 派送员 → 快递员; 断货 → 缺货)', () => {
    expect(extractor.terms('快递小哥态度太差').words).toContain('快递员');
    expect(extractor.terms('派送员态度太差').words).toContain('快递员');
    expect(extractor.terms('这款断货了吗').words).toContain('缺货');
    expect(extractor.terms('订金能退吗').words).toContain('定金');
    // A shop's own groups come on top of the built-in ones.
    const shop = createTermExtractor({ synonyms: [['空气炸锅', '炸锅']] });
    expect(shop.terms('炸锅温度怎么调').words).toContain('空气炸锅');
  });

  it('leaves out counts of days and items, weekdays and colloquial question frames', () => {
    const words = extractor.terms('都等了快十天，周五要用，啥时候发货').words;
    expect(words).toContain('发货');
    for (const filler of ['十天', '周五', '啥时候']) expect(words).not.toContain(filler);
    expect(extractor.terms('买了两件只收到一件').words).not.toContain('两件');
  });

  it('adds the characters of the content words, so wordings that share no word still meet', () => {
    const a = extractor.terms('缺货了吗');
    const b = extractor.terms('没货了吗');
    expect(a.words).toEqual(b.words);
    expect(extractor.terms('尾款付不了').chars).toEqual(expect.arrayContaining(['尾', '款']));
  });
});

describe('vectors', () => {
  it('damps a term only two messages share against one many share, though rarer means higher IDF', () => {
    const extractor = createTermExtractor();
    const texts = ['冰箱不制冷', '旧冰箱折价', ...Array.from({ length: 8 }, () => '退款没到账'), '其他'];
    const vocabulary = buildVocabulary(texts.map((t) => extractor.terms(t)));
    const idf = (key: string) => vocabulary.idf[vocabulary.ids.get(key)!]!;
    // Plain IDF puts 冰箱 (2 of 11 messages) at 1.85× 退款 (8 of 11); damped by df / (df + 2) the
    // ratio shrinks by (2/4) / (8/10).
    const plain = (Math.log(12 / 3) + 1) / (Math.log(12 / 9) + 1);
    expect(plain).toBeCloseTo(1.85, 2);
    expect(idf('w:冰箱') / idf('w:退款')).toBeCloseTo(plain * (2 / 4 / (8 / 10)));
  });

  it('computes centroids in one dense pass exactly as summing and truncating does', () => {
    const vectors = [unit({ 1: 1, 2: 2 }), unit({ 2: 1, 3: 1 }), unit({ 4: 3, 1: 1 }), unit({ 5: 1 })];
    const assignment = [0, 0, 1, -1];
    const dense = centroidsOf(vectors, assignment, 2, 2);
    for (let g = 0; g < 2; g++) {
      const sum = new Map<number, number>();
      vectors.forEach((v, i) => {
        if (assignment[i] === g) addInto(sum, v);
      });
      const expected = truncate(sum, 2);
      expect(dot(dense[g]!, expected)).toBeCloseTo(1);
      expect(dense[g]!.ids.length).toBe(expected.ids.length);
    }
    expect(
      truncate(
        new Map([
          [1, 0.5],
          [2, 0.5],
          [3, 0.2],
        ]),
        2,
      ).ids,
    ).toEqual(Int32Array.from([1, 2]));
  });
});

describe('neighbour index', () => {
  it('finds the k most similar messages, as comparing each pair would', () => {
    const vectors = Array.from({ length: 60 }, (_, i) =>
      unit({ [i % 7]: 1 + (i % 3), [7 + (i % 5)]: 1, [12 + (i % 11)]: 0.5 + (i % 4) / 4 }),
    );
    const index = new NeighbourIndex(
      vectors,
      vectors.map((_, i) => i),
    );
    const found = new Int32Array(5);
    const similarity = new Float64Array(5);
    for (const i of [0, 13, 42]) {
      const count = index.nearest(vectors[i]!, 5, 0.05, i, found, similarity, 0);
      const brute = vectors
        .map((v, j) => ({ j, s: dot(vectors[i]!, v) }))
        .filter(({ j, s }) => j !== i && s >= 0.05)
        .sort((a, b) => b.s - a.s || a.j - b.j)
        .slice(0, 5);
      expect(count).toBe(brute.length);
      expect([...found.slice(0, count)]).toEqual(brute.map((b) => b.j));
      brute.forEach((b, r) => {
        expect(similarity[r]).toBeCloseTo(b.s);
      });
    }
  });

  it('draws neighbours only from the reference messages it was built on', () => {
    const vectors = [unit({ 1: 1 }), unit({ 1: 1, 2: 0.1 }), unit({ 1: 1, 3: 0.1 })];
    const index = new NeighbourIndex(vectors, [0, 2]);
    const found = new Int32Array(3);
    const count = index.nearest(vectors[1]!, 3, 0.1, 1, found, new Float64Array(3), 0);
    expect([...found.slice(0, count)].sort()).toEqual([0, 2]);
  });
});

describe('voting by neighbours', () => {
  const options = {
    neighbours: 3,
    minSimilarity: 0.1,
    centroidWeight: 2,
    vote: 0.3,
    rounds: 3,
    reference: 100,
    minSize: 3,
    centroidTerms: 40,
  };

  it('keeps a topic’s second wording through its neighbours and places the messages no centroid took', () => {
    // Topic 0 is worded two ways (terms 1–2 mostly, 3–4 sometimes, bridged by messages using both);
    // topic 1 is terms 5–6. Message 9 uses the second wording only and was left out.
    const vectors = [
      unit({ 1: 1, 2: 1 }),
      unit({ 1: 1, 2: 1 }),
      unit({ 1: 1, 2: 0.8 }),
      unit({ 1: 1, 2: 1, 3: 1 }),
      unit({ 1: 0.6, 3: 1, 4: 1 }),
      unit({ 5: 1, 6: 1 }),
      unit({ 5: 1, 6: 0.7 }),
      unit({ 5: 0.8, 6: 1 }),
      unit({ 5: 1, 6: 1, 2: 0.2 }),
      unit({ 3: 1, 4: 1 }),
    ];
    const assignment = Int32Array.from([0, 0, 0, 0, -1, 1, 1, 1, 1, -1]);
    const voted = runSteps(voteByNeighbours(vectors, assignment, 2, options))!;
    expect([...assignment]).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 0]);
    expect(voted.alive).toEqual([true, true]);
    expect(voted.classify(unit({ 4: 1, 3: 0.5 })).topic).toBe(0);
    expect(voted.classify(unit({ 6: 1 })).topic).toBe(1);
    expect(voted.classify(unit({ 99: 1 })).topic).toBe(-1);
  });

  it('dissolves topics left under the size bar and lets their messages vote again', () => {
    const vectors = [
      unit({ 1: 1, 2: 1 }),
      unit({ 1: 1, 2: 0.9 }),
      unit({ 1: 0.9, 2: 1 }),
      unit({ 1: 1, 2: 1, 9: 0.3 }),
      unit({ 9: 1, 1: 0.5 }),
    ];
    const assignment = Int32Array.from([0, 0, 0, 1, 1]);
    const voted = runSteps(voteByNeighbours(vectors, assignment, 2, options))!;
    expect(voted.alive).toEqual([true, false]);
    expect([...assignment]).toEqual([0, 0, 0, 0, 0]);
  });

  it('is skipped when asked for no neighbours: the clustering is the centroids’ alone', () => {
    const assignment = Int32Array.from([0, -1]);
    expect(
      runSteps(
        voteByNeighbours([unit({ 1: 1 }), unit({ 1: 1 })], assignment, 1, { ...options, neighbours: 0 }),
      ),
    ).toBeNull();
    expect([...assignment]).toEqual([0, -1]);
  });
});

describe('clustering and matching with the vote', () => {
  const zh = readTopicCorpus('zh');

  it('matches a period against its own topics as it placed its messages', () => {
    const messages = zh.map((m, i) => ({ id: `m${i}`, text: m.text }));
    const model = mineTopics(messages);
    const matched = model.match(zh.map((m) => m.text));
    let same = 0;
    matched.forEach((g, i) => {
      if (g === model.assignment[i]) same++;
    });
    // Each message now has itself among the reference messages, so a few may move; nearly all stay.
    expect(same / zh.length).toBeGreaterThan(0.9);
  });

  it('finds the same topics without the vote, only fewer messages placed', () => {
    const extractor = createTermExtractor();
    const terms = zh.map((m) => extractor.terms(m.text));
    const vocabulary = buildVocabulary(terms);
    const vectors = terms.map((t) => vectorise(t, vocabulary));
    const voted = clusterVectors(vectors, DEFAULT_CLUSTER_OPTIONS);
    const centroidsOnly = clusterVectors(vectors, { ...DEFAULT_CLUSTER_OPTIONS, neighbours: 0 });
    const placed = (a: Int32Array) => a.filter((g) => g >= 0).length;
    expect(placed(voted.assignment)).toBeGreaterThan(placed(centroidsOnly.assignment));
    expect(voted.sizes.reduce((a, b) => a + b, 0)).toBe(placed(voted.assignment));
    expect(voted.centroids).toHaveLength(voted.sizes.length);
  });
});
