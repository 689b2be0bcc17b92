// The last step of clustering: each message takes the topic its nearest neighbours and the topics'
// centroids vote for, a few rounds (label propagation over a k-nearest-neighbour graph). A centroid
// speaks for a topic's most common wording only; a topic that customers put two ways (付尾款 and
// 定金退不退 are both the presale) keeps the messages of its second wording through their neighbours,
// and a message no centroid was close enough to joins the topic its nearest messages are in. Topics
// under the size bar then dissolve and their messages vote again among the rest. Another period's
// messages are matched to the topics by the same vote.
// Neighbours come from an even sample of at most `reference` messages, so n messages cost n lookups in
// an index of that sample, not n².
import type { Steps } from './steps.ts';
import { CentroidIndex, centroidsOf, type SparseVector } from './vectors.ts';

export interface NeighbourOptions {
  /** Neighbours each message listens to (0: the step is skipped). */
  neighbours: number;
  /** Cosine below which a message is no neighbour. */
  minSimilarity: number;
  /** How much a topic's centroid counts beside the neighbours: its cosine with the message times this. */
  centroidWeight: number;
  /** The votes a topic needs to take a message (neighbours' cosines plus the centroid's share). */
  vote: number;
  rounds: number;
  /** Messages neighbours are drawn from at most (an even sample of the rest). */
  reference: number;
  /** Topics smaller than this after voting dissolve. */
  minSize: number;
  /** Terms a centroid keeps. */
  centroidTerms: number;
}

const evenSample = (n: number, size: number): number[] => {
  if (n <= size) return Array.from({ length: n }, (_, i) => i);
  return Array.from({ length: size }, (_, i) => Math.floor((i * n) / size));
};

/** The reference messages by term, to find a vector's nearest ones without comparing it with each. */
export class NeighbourIndex {
  private readonly postings = new Map<number, { docs: number[]; weights: number[] }>();
  private readonly scores: Float64Array;
  private readonly touched: number[] = [];

  constructor(vectors: readonly SparseVector[], references: readonly number[]) {
    for (const d of references) {
      const v = vectors[d]!;
      for (let j = 0; j < v.ids.length; j++) {
        let list = this.postings.get(v.ids[j]!);
        if (!list) {
          list = { docs: [], weights: [] };
          this.postings.set(v.ids[j]!, list);
        }
        list.docs.push(d);
        list.weights.push(v.weights[j]!);
      }
    }
    this.scores = new Float64Array(vectors.length);
  }

  /**
   * Writes the `k` most similar reference messages (cosine ≥ `min`, `exclude` left out; ties: the lower
   * index) into `index`/`similarity` from `at` on, most similar first, and returns how many there were.
   */
  nearest(
    vector: SparseVector,
    k: number,
    min: number,
    exclude: number,
    index: Int32Array,
    similarity: Float64Array,
    at: number,
  ): number {
    const { scores, touched } = this;
    for (let j = 0; j < vector.ids.length; j++) {
      const list = this.postings.get(vector.ids[j]!);
      if (!list) continue;
      const w = vector.weights[j]!;
      const { docs, weights } = list;
      for (let p = 0; p < docs.length; p++) {
        const d = docs[p]!;
        if (scores[d] === 0) touched.push(d);
        scores[d]! += w * weights[p]!;
      }
    }
    // Insertion into the k slots (k is small).
    let count = 0;
    for (const d of touched) {
      const s = scores[d]!;
      scores[d] = 0;
      if (d === exclude || s < min) continue;
      if (
        count === k &&
        (s < similarity[at + k - 1]! || (s === similarity[at + k - 1] && d > index[at + k - 1]!))
      )
        continue;
      let slot = Math.min(count, k - 1);
      while (
        slot > 0 &&
        (similarity[at + slot - 1]! < s || (similarity[at + slot - 1] === s && index[at + slot - 1]! > d))
      ) {
        similarity[at + slot] = similarity[at + slot - 1]!;
        index[at + slot] = index[at + slot - 1]!;
        slot--;
      }
      similarity[at + slot] = s;
      index[at + slot] = d;
      if (count < k) count++;
    }
    touched.length = 0;
    return count;
  }
}

/** Tallies one message's votes: its neighbours' topics by their cosines, plus each candidate centroid's cosine. */
class Ballot {
  private readonly votes: Float64Array;
  private readonly candidates: number[] = [];
  /** The message's vector spread out, so a cosine with a centroid reads only the centroid's terms. */
  private readonly dense: Float64Array;

  constructor(
    topics: number,
    dimensions: number,
    private readonly options: NeighbourOptions,
  ) {
    this.votes = new Float64Array(topics);
    this.dense = new Float64Array(dimensions);
  }

  /** The winning topic, or −1 when none has `options.vote`; `own` and the neighbours' topics stand. */
  choose(
    vector: SparseVector,
    own: number,
    neighbours: { index: Int32Array; similarity: Float64Array; at: number; count: number },
    topicOf: ArrayLike<number>,
    centroids: readonly SparseVector[],
    dead: readonly boolean[],
  ): { topic: number; score: number } {
    const { votes, candidates, dense } = this;
    const stand = (g: number, amount: number) => {
      if (g < 0 || dead[g]) return;
      if (!candidates.includes(g)) candidates.push(g);
      votes[g]! += amount;
    };
    stand(own, 0);
    for (let j = 0; j < neighbours.count; j++)
      stand(topicOf[neighbours.index[neighbours.at + j]!]!, neighbours.similarity[neighbours.at + j]!);
    for (let j = 0; j < vector.ids.length; j++)
      if (vector.ids[j]! < dense.length) dense[vector.ids[j]!] = vector.weights[j]!;
    let topic = -1;
    let score = this.options.vote;
    for (const g of candidates) {
      const c = centroids[g]!;
      let cosine = 0;
      for (let j = 0; j < c.ids.length; j++) cosine += c.weights[j]! * dense[c.ids[j]!]!;
      const total = votes[g]! + this.options.centroidWeight * cosine;
      votes[g] = 0;
      if (total > score || (total === score && g < topic)) {
        topic = g;
        score = total;
      }
    }
    for (let j = 0; j < vector.ids.length; j++) if (vector.ids[j]! < dense.length) dense[vector.ids[j]!] = 0;
    candidates.length = 0;
    return { topic, score };
  }
}

const dimensionsOf = (vectors: readonly SparseVector[]): number => {
  let size = 0;
  for (const v of vectors) for (const id of v.ids) if (id >= size) size = id + 1;
  return size;
};

export interface Voted {
  /** Topics that survived (the others dissolved): the caller renumbers. */
  alive: boolean[];
  /** The topic a new vector would take by the same vote (old numbering; −1: none), with its votes. */
  classify(vector: SparseVector): { topic: number; score: number };
}

/** Relabels `assignment` in place (topics 0…topics−1, −1 for none). */
export function* voteByNeighbours(
  vectors: readonly SparseVector[],
  assignment: Int32Array,
  topics: number,
  options: NeighbourOptions,
): Steps<Voted | null> {
  if (options.neighbours <= 0 || topics === 0) return null;
  const k = options.neighbours;
  const index = new NeighbourIndex(vectors, evenSample(vectors.length, options.reference));
  const neighbourIndex = new Int32Array(vectors.length * k);
  const neighbourSimilarity = new Float64Array(vectors.length * k);
  const counts = new Int32Array(vectors.length);
  for (let i = 0; i < vectors.length; i++) {
    if (i % 200 === 199) yield;
    counts[i] = index.nearest(
      vectors[i]!,
      k,
      options.minSimilarity,
      i,
      neighbourIndex,
      neighbourSimilarity,
      i * k,
    );
  }
  const dead = new Array<boolean>(topics).fill(false);
  const ballot = new Ballot(topics, dimensionsOf(vectors), options);
  // Synchronous rounds: every message votes on the previous round's topics and centroids.
  function* round(): Steps<number> {
    const centroids = centroidsOf(vectors, assignment, topics, options.centroidTerms);
    yield;
    const previous = Int32Array.from(assignment);
    let moved = 0;
    for (let i = 0; i < vectors.length; i++) {
      if (i % 1000 === 999) yield;
      const own = previous[i]!;
      const { topic } = ballot.choose(
        vectors[i]!,
        own,
        { index: neighbourIndex, similarity: neighbourSimilarity, at: i * k, count: counts[i]! },
        previous,
        centroids,
        dead,
      );
      // A message nothing votes for keeps its topic, unless that topic dissolved.
      const chosen = topic >= 0 ? topic : own >= 0 && !dead[own] ? own : -1;
      if (chosen !== own) moved++;
      assignment[i] = chosen;
    }
    return moved;
  }
  for (let r = 0; r < options.rounds; r++) if ((yield* round()) === 0) break;
  const sizes = new Array<number>(topics).fill(0);
  for (const g of assignment) if (g >= 0) sizes[g]! += 1;
  let dissolved = false;
  sizes.forEach((size, g) => {
    if (size >= options.minSize) return;
    dead[g] = true;
    dissolved ||= size > 0;
  });
  if (dissolved) yield* round();
  yield;
  const centroids = centroidsOf(vectors, assignment, topics, options.centroidTerms);
  const centroidIndex = new CentroidIndex(centroids);
  const found = new Int32Array(k);
  const foundSimilarity = new Float64Array(k);
  return {
    alive: dead.map((d) => !d),
    classify(vector) {
      const count = index.nearest(vector, k, options.minSimilarity, -1, found, foundSimilarity, 0);
      // The nearest centroid stands too, as a message's own topic does (dissolved topics have none).
      return ballot.choose(
        vector,
        centroidIndex.nearest(vector).centroid,
        { index: found, similarity: foundSimilarity, at: 0, count },
        assignment,
        centroids,
        dead,
      );
    },
  };
}
