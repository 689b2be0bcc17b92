// TF-IDF vectors of messages over one period's vocabulary, and the sparse arithmetic clustering needs.
// A vector is parallel arrays (term ids, weights), L2-normalised so a dot product is a cosine.
import type { MessageTerms } from './terms.ts';

export interface SparseVector {
  ids: Int32Array;
  weights: Float64Array;
}

/**
 * How much each kind of term counts: words and phrases carry the topic, bigrams bridge segmentation
 * (chosen on the labelled corpus in ./fixtures; character unigrams and Latin trigrams did not help there).
 */
const KIND_WEIGHTS = { words: 1, phrases: 0.8, bigrams: 0.8 } as const;
type Kind = keyof typeof KIND_WEIGHTS;
const KINDS = Object.keys(KIND_WEIGHTS) as Kind[];
const PREFIX: Record<Kind, string> = { words: 'w', phrases: 'p', bigrams: 'b' };

export interface Vocabulary {
  /** `w:word`, `p:phrase`, `b:bigram` → id. */
  ids: Map<string, number>;
  /** Smoothed inverse document frequency per id. */
  idf: Float64Array;
  size: number;
}

const keysOf = (terms: MessageTerms): Map<string, number> => {
  const counts = new Map<string, number>();
  for (const kind of KINDS) {
    const weight = KIND_WEIGHTS[kind];
    for (const term of terms[kind]) {
      const key = `${PREFIX[kind]}:${term}`;
      counts.set(key, (counts.get(key) ?? 0) + weight);
    }
  }
  return counts;
};

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
    idfs.push(Math.log((1 + n) / (1 + count)) + 1);
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
  const entries = [...sum].filter(([, w]) => w > 0);
  if (entries.length > keep) {
    entries.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    entries.length = keep;
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
