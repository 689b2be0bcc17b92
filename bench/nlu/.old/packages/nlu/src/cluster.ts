// Grouping short customer questions by meaning (the bot's unanswered questions): each text becomes a
// TF-IDF vector over the retrieval terms (jieba words, Han bigrams, pinyin bigrams for homophone typos,
// Latin trigrams for misspellings; traditional characters are folded by the normaliser), and vectors
// join clusters greedily by cosine to the cluster centroid, then clusters whose centroids are close merge.
import { buildSynonyms, extractTerms, type Terms } from './faq/features.ts';
import { normalise } from './normalise/index.ts';
import { createTokeniser, type Tokeniser } from './tokenise/index.ts';

export interface ClusterItem {
  id: string;
  text: string;
}

export interface QuestionCluster<T extends ClusterItem = ClusterItem> {
  /** The member closest to the cluster's centroid: the question that best says what the others ask. */
  representative: T;
  /** Every member, the representative first, then by similarity to the centroid. */
  members: T[];
}

export interface ClusterOptions {
  /** Cosine (0..1) a question needs with a cluster's centroid to join it; also the centroid merge bar. */
  threshold?: number;
  /** Groups of words that mean the same (first word canonical), as for FAQ retrieval. */
  synonyms?: readonly (readonly string[])[];
  /** Shop words kept whole by the tokeniser. */
  userWords?: readonly string[];
  tokeniser?: Tokeniser;
}

/**
 * Chosen on the unit tests' question sets: paraphrases (traditional characters, typos, other wording)
 * of one question score 0.24–1.0 with each other once question frames are cut, different questions
 * of one shop 0–0.19 (0.27 for two questions about discounts, which the owner may well answer once).
 */
export const DEFAULT_CLUSTER_THRESHOLD = 0.2;

/** How much each view of a text counts: words and bigrams carry meaning, the others catch typos. */
const VIEW_WEIGHTS: Record<keyof Terms, number> = {
  words: 0.5,
  bigrams: 1,
  chars: 0.5,
  pinyin: 1,
  trigrams: 0.5,
};

type SparseVector = Map<string, number>;

/**
 * How a question is asked says nothing about what it asks: "怎么退钱" and "如何退款" are one question.
 * Cut out before segmentation (on normalised, simplified text) so no bigram spans them either.
 */
const QUESTION_FRAMES =
  /请问|怎么样|怎么办|怎么|如何|怎样|咋样|咋办|能不能|可不可以|可以|是否|是不是|有没有|能否|能用|支持|\b(?:how|what|can|could|is|are|do|does|there)\b/g;

const questionTerms = (text: string, extract: (text: string) => Terms): Terms =>
  extract(normalise(text).replace(QUESTION_FRAMES, ' '));

function termCounts(terms: Terms): SparseVector {
  const counts: SparseVector = new Map();
  for (const view of Object.keys(VIEW_WEIGHTS) as (keyof Terms)[]) {
    const weight = VIEW_WEIGHTS[view];
    for (const term of terms[view]) {
      const key = `${view}:${term}`;
      counts.set(key, (counts.get(key) ?? 0) + weight);
    }
  }
  return counts;
}

function normaliseVector(vector: SparseVector): SparseVector {
  let norm = 0;
  for (const v of vector.values()) norm += v * v;
  norm = Math.sqrt(norm);
  if (norm === 0) return vector;
  for (const [k, v] of vector) vector.set(k, v / norm);
  return vector;
}

function dot(a: SparseVector, b: SparseVector): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let sum = 0;
  for (const [k, v] of small) {
    const w = large.get(k);
    if (w !== undefined) sum += v * w;
  }
  return sum;
}

/** TF-IDF vectors (log-scaled term frequency, smoothed idf), L2-normalised so a dot product is a cosine. */
export function questionVectors(texts: readonly string[], options: ClusterOptions = {}): SparseVector[] {
  const tokeniser = options.tokeniser ?? createTokeniser({ userWords: options.userWords ?? [] });
  const synonyms = buildSynonyms(options.synonyms ?? [], tokeniser);
  const counts = texts.map((text) =>
    termCounts(questionTerms(text, (t) => extractTerms(t, tokeniser, synonyms))),
  );
  const documentFrequency = new Map<string, number>();
  for (const c of counts)
    for (const term of c.keys()) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
  const n = texts.length;
  return counts.map((c) => {
    const vector: SparseVector = new Map();
    for (const [term, tf] of c) {
      const idf = Math.log((1 + n) / (1 + (documentFrequency.get(term) ?? 0))) + 1;
      vector.set(term, (1 + Math.log(tf)) * idf);
    }
    return normaliseVector(vector);
  });
}

export function cosineSimilarity(a: string, b: string, options: ClusterOptions = {}): number {
  const [va, vb] = questionVectors([a, b], options);
  return dot(va!, vb!);
}

interface Group {
  indexes: number[];
  /** Sum of the members' unit vectors; its direction is the centroid's. */
  sum: SparseVector;
}

function centroid(group: Group): SparseVector {
  return normaliseVector(new Map(group.sum));
}

function addInto(sum: SparseVector, vector: SparseVector): void {
  for (const [k, v] of vector) sum.set(k, (sum.get(k) ?? 0) + v);
}

/**
 * Clusters the items, largest cluster first (ties: the one whose newest member comes last in the input
 * first, so pass items oldest first). Deterministic: the same input always gives the same clusters.
 * Items whose text has no terms at all (emoji, punctuation) each stay alone.
 */
export function clusterQuestions<T extends ClusterItem>(
  items: readonly T[],
  options: ClusterOptions = {},
): QuestionCluster<T>[] {
  const threshold = options.threshold ?? DEFAULT_CLUSTER_THRESHOLD;
  const vectors = questionVectors(
    items.map((i) => i.text),
    options,
  );

  // Pass 1, greedy, at a stricter bar: each question joins the most similar centroid only when it is
  // plainly the same question. At the loose bar, a question that shares one common word (订单) with an
  // early, still small group would join it and drag its own paraphrases in after it.
  const seedThreshold = Math.min(0.9, threshold * 2);
  let groups: Group[] = [];
  let centroids: SparseVector[] = [];
  vectors.forEach((vector, index) => {
    let best = -1;
    let bestScore = seedThreshold;
    if (vector.size > 0)
      centroids.forEach((c, g) => {
        const score = dot(vector, c);
        if (score > bestScore || (best < 0 && score >= bestScore)) {
          best = g;
          bestScore = score;
        }
      });
    if (best < 0) {
      groups.push({ indexes: [index], sum: new Map(vector) });
      centroids.push(new Map(vector));
      return;
    }
    const group = groups[best]!;
    group.indexes.push(index);
    addInto(group.sum, vector);
    centroids[best] = centroid(group);
  });

  // Pass 2, agglomerative: merge the closest pair of centroids while it clears the threshold (looser
  // paraphrases, and groups started before their shared words were seen). Centroids average out words
  // only some members share, so two different questions do not merge over one common word. Pair scores are
  // computed once and only the merged group's row is recomputed, so this stays O(k²) overall.
  const live = new Map<number, { group: Group; centroid: SparseVector }>();
  groups.forEach((group, g) => {
    live.set(g, { group, centroid: centroids[g]! });
  });
  const close = new Map<string, { a: number; b: number; score: number }>();
  const consider = (a: number, b: number) => {
    const ca = live.get(a)!.centroid;
    const cb = live.get(b)!.centroid;
    if (ca.size === 0 || cb.size === 0) return;
    const score = dot(ca, cb);
    if (score >= threshold) close.set(`${a}:${b}`, { a, b, score });
  };
  for (let a = 0; a < groups.length; a++) for (let b = a + 1; b < groups.length; b++) consider(a, b);
  let next = groups.length;
  while (close.size > 0) {
    let best: { a: number; b: number; score: number } | null = null;
    for (const pair of close.values())
      if (
        !best ||
        pair.score > best.score ||
        (pair.score === best.score && pair.a + pair.b < best.a + best.b)
      )
        best = pair;
    const { a, b } = best!;
    const first = live.get(a)!.group;
    const second = live.get(b)!.group;
    const merged: Group = { indexes: [...first.indexes, ...second.indexes], sum: new Map(first.sum) };
    addInto(merged.sum, second.sum);
    live.delete(a);
    live.delete(b);
    for (const [key, pair] of close)
      if (pair.a === a || pair.a === b || pair.b === a || pair.b === b) close.delete(key);
    const id = next++;
    live.set(id, { group: merged, centroid: centroid(merged) });
    for (const other of live.keys()) if (other !== id) consider(other, id);
  }
  groups = [...live.values()].map((l) => l.group);
  centroids = [...live.values()].map((l) => l.centroid);

  return groups
    .map((group, g) => {
      const c = centroids[g]!;
      const ranked = [...group.indexes].sort((x, y) => dot(vectors[y]!, c) - dot(vectors[x]!, c) || y - x);
      return { ranked, newest: Math.max(...group.indexes) };
    })
    .sort((x, y) => y.ranked.length - x.ranked.length || y.newest - x.newest)
    .map(({ ranked }) => ({ representative: items[ranked[0]!]!, members: ranked.map((i) => items[i]!) }));
}
