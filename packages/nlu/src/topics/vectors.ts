// TF-IDF vectors of messages over one period's vocabulary, and the sparse arithmetic clustering needs.
// A vector is parallel arrays (term ids, weights), L2-normalised so a dot product is a cosine.
import type { MessageTerms } from './terms.ts';

export interface SparseVector {
  ids: Int32Array;
  weights: Float64Array;
}

/**
 * How much each kind of term counts: words and phrases carry the topic, bigrams bridge segmentation,
 * characters catch wordings that share no word (尾款/付款, 没货/断货) and typos (快滴, 发漂). Chosen on the
 * hand-written corpora in ./fixtures: characters at 1 (against 0.6 and 0.8) gave the best mean purity
 * over zh, zh-dev and their nine-per-topic cuts (0.845 → 0.855; zh-dev alone 0.81 → 0.85) and cost
 * smp2017-ecdt 0.72 → 0.70, which has no shop wording; Latin trigrams did not help.
 */
const KIND_WEIGHTS = { words: 1, phrases: 0.8, bigrams: 0.8, chars: 1 } as const;
type Kind = keyof typeof KIND_WEIGHTS;
const KINDS = Object.keys(KIND_WEIGHTS) as Kind[];
const PREFIX: Record<Kind, string> = { words: 'w', phrases: 'p', bigrams: 'b', chars: 'c' };
/**
 * A term seen in few messages is damped by df / (df + RARE): two messages sharing a word nobody else
 * uses (冰箱 in a trade-in and a repair question) say little about a topic, and in a small period such
 * words have the highest IDF of all. 2 was chosen on the fixtures (1 and 3 were close; 5 hurt smp2017-ecdt).
 */
const RARE = 2;

export interface Vocabulary {
  /** `w:word`, `p:phrase`, `b:bigram`, `c:character` → id. */
  ids: Map<string, number>;
  /** Smoothed inverse document frequency per id, damped for rare terms, times the term kind's weight. */
  idf: Float64Array;
  size: number;
}

/** `kind:term` → times the message uses it. */
const keysOf = (terms: MessageTerms): Map<string, number> => {
  const counts = new Map<string, number>();
  for (const kind of KINDS) {
    for (const term of terms[kind]) {
      const key = `${PREFIX[kind]}:${term}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return counts;
};

const KIND_OF_PREFIX = new Map(KINDS.map((kind) => [PREFIX[kind], KIND_WEIGHTS[kind]]));

/** The vocabulary of a period's messages; terms in a single message are left out (they join nothing). */
export function buildVocabulary(messages: readonly MessageTerms[]): Vocabulary {
  const df = new Map<string, number>();
  for (const terms of messages) for (const key of keysOf(terms).keys()) df.set(key, (df.get(key) ?? 0) + 1);
  const ids = new Map<string, number>();
  const idfs: number[] = [];
  const n = messages.length;
  for (const [key, count] of df) {
    if (count < 2) continue;
    ids.set(key, idfs.length);
    // The kind's weight goes in with the IDF: a vector is then TF × IDF × kind.
    const kind = KIND_OF_PREFIX.get(key.slice(0, 1))!;
    idfs.push((Math.log((1 + n) / (1 + count)) + 1) * (count / (count + RARE)) * kind);
  }
  return { ids, idf: Float64Array.from(idfs), size: idfs.length };
}

export function vectorise(terms: MessageTerms, vocabulary: Vocabulary): SparseVector {
  const entries: [number, number][] = [];
  let norm = 0;
  for (const [key, tf] of keysOf(terms)) {
    const id = vocabulary.ids.get(key);
    if (id === undefined) continue;
    const w = (1 + Math.log(tf)) * vocabulary.idf[id]!;
    entries.push([id, w]);
    norm += w * w;
  }
  norm = Math.sqrt(norm);
  const ids = new Int32Array(entries.length);
  const weights = new Float64Array(entries.length);
  entries.forEach(([id, w], i) => {
    ids[i] = id;
    weights[i] = norm === 0 ? 0 : w / norm;
  });
  return { ids, weights };
}

/** A centroid kept as its heaviest terms only, renormalised: cheaper to compare and less noisy. */
export function truncate(sum: Map<number, number>, keep: number): SparseVector {
  return truncateEntries(
    [...sum].filter(([, w]) => w > 0),
    keep,
  );
}

function truncateEntries(entries: [number, number][], keep: number): SparseVector {
  if (entries.length > keep) {
    // The `keep` heaviest (ties: the lower id), by insertion into a short sorted list: a large topic's
    // sum has thousands of terms, and sorting them all each refinement round showed in profiles.
    const best: [number, number][] = [];
    const before = (a: [number, number], b: [number, number]) =>
      a[1] > b[1] || (a[1] === b[1] && a[0] < b[0]);
    for (const entry of entries) {
      if (best.length === keep && !before(entry, best[keep - 1]!)) continue;
      let slot = best.length === keep ? keep - 1 : best.length;
      best[slot] = entry;
      while (slot > 0 && before(entry, best[slot - 1]!)) {
        best[slot] = best[slot - 1]!;
        best[slot - 1] = entry;
        slot--;
      }
    }
    entries = best;
  }
  let norm = 0;
  for (const [, w] of entries) norm += w * w;
  norm = Math.sqrt(norm);
  const ids = new Int32Array(entries.length);
  const weights = new Float64Array(entries.length);
  entries.forEach(([id, w], i) => {
    ids[i] = id;
    weights[i] = norm === 0 ? 0 : w / norm;
  });
  return { ids, weights };
}

/**
 * Each topic's centroid (its members' vectors summed, `truncate`d to `keep` terms) from an assignment
 * (−1: none). Sums are taken in one dense array, topic after topic: a period's thousands of messages
 * would otherwise make millions of map updates per refinement round.
 */
export function centroidsOf(
  vectors: readonly SparseVector[],
  assignment: ArrayLike<number>,
  topics: number,
  keep: number,
): SparseVector[] {
  const members: number[][] = Array.from({ length: topics }, () => []);
  let dimensions = 0;
  for (let i = 0; i < vectors.length; i++) {
    const g = assignment[i]!;
    if (g < 0) continue;
    members[g]!.push(i);
    const ids = vectors[i]!.ids;
    for (let j = 0; j < ids.length; j++) if (ids[j]! >= dimensions) dimensions = ids[j]! + 1;
  }
  const sum = new Float64Array(dimensions);
  const touched: number[] = [];
  return members.map((list) => {
    for (const i of list) {
      const v = vectors[i]!;
      for (let j = 0; j < v.ids.length; j++) {
        const id = v.ids[j]!;
        if (sum[id] === 0) touched.push(id);
        sum[id]! += v.weights[j]!;
      }
    }
    const entries: [number, number][] = [];
    for (const id of touched) {
      if (sum[id]! > 0) entries.push([id, sum[id]!]);
      sum[id] = 0;
    }
    touched.length = 0;
    return truncateEntries(entries, keep);
  });
}

export function addInto(sum: Map<number, number>, vector: SparseVector, scale = 1): void {
  for (let i = 0; i < vector.ids.length; i++) {
    const id = vector.ids[i]!;
    sum.set(id, (sum.get(id) ?? 0) + vector.weights[i]! * scale);
  }
}

/**
 * Term → (centroid, weight) lists: scoring a vector against every centroid touches only the centroids
 * that share one of its terms, so assigning n messages to k topics costs n × (shared postings), not n × k.
 */
export class CentroidIndex {
  private readonly postings = new Map<number, { centroid: number; weight: number }[]>();
  private readonly scores: Float64Array;
  private readonly touched: number[] = [];

  constructor(readonly centroids: readonly SparseVector[]) {
    centroids.forEach((c, index) => {
      for (let i = 0; i < c.ids.length; i++) {
        const id = c.ids[i]!;
        let list = this.postings.get(id);
        if (!list) {
          list = [];
          this.postings.set(id, list);
        }
        list.push({ centroid: index, weight: c.weights[i]! });
      }
    });
    this.scores = new Float64Array(centroids.length);
  }

  /** The most similar centroid (ties: the lower index) and its cosine; -1 when none shares a term. */
  nearest(vector: SparseVector, exclude = -1): { centroid: number; score: number } {
    for (let i = 0; i < vector.ids.length; i++) {
      const list = this.postings.get(vector.ids[i]!);
      if (!list) continue;
      const w = vector.weights[i]!;
      for (const p of list) {
        if (this.scores[p.centroid] === 0) this.touched.push(p.centroid);
        this.scores[p.centroid]! += w * p.weight;
      }
    }
    let best = -1;
    let score = 0;
    for (const c of this.touched) {
      const s = this.scores[c]!;
      this.scores[c] = 0;
      if (c === exclude) continue;
      if (s > score || (s === score && best >= 0 && c < best)) {
        best = c;
        score = s;
      }
    }
    this.touched.length = 0;
    return { centroid: best, score };
  }
}

export function dot(a: SparseVector, b: SparseVector): number {
  const [small, large] = a.ids.length <= b.ids.length ? [a, b] : [b, a];
  if (small.ids.length === 0) return 0;
  const lookup = new Map<number, number>();
  for (let i = 0; i < large.ids.length; i++) lookup.set(large.ids[i]!, large.weights[i]!);
  let sum = 0;
  for (let i = 0; i < small.ids.length; i++) sum += small.weights[i]! * (lookup.get(small.ids[i]!) ?? 0);
  return sum;
}
