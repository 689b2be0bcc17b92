// Source (c) of reply suggestions: what agents sent in past resolved conversations that ended well,
// grouped by the intent of the customer message they answered and clustered so one reply worded ten
// ways counts once, ten times over. Built once per workspace (the server caches it and rebuilds it when
// conversations are resolved, rated or reopened), then every lookup is a scan of one intent's clusters.
import type { HistoryReply } from './suggestions.ts';
import { centroid, cosine, norm, normaliseReply, type TextVector, textVector } from './textSimilarity.ts';

/** A history reply with the intent its customer message was understood as (null: none). */
export interface LabelledReply extends HistoryReply {
  intent: string | null;
}

export interface HistoryCluster {
  /** Stable while the cluster's first reply stays: `h:<first reply message id>`. */
  id: string;
  intent: string | null;
  /** The reply to suggest: the most weighted wording in the cluster, customer specifics generalised. */
  text: string;
  /** Sum of member weights (see replyWeight). */
  weight: number;
  members: number;
  /** Newest reply in the cluster. */
  lastAt: string;
  /** Centroid of the customer messages the cluster's replies answered. */
  asked: ReadonlyMap<string, number>;
  askedNorm: number;
  vector: TextVector;
}

export interface HistoryMatch {
  cluster: HistoryCluster;
  /** 0..1: the vote of the most alike past messages, similarity to the message, frequency, recency. */
  score: number;
  similarity: number;
}

/** Replies whose wording is at least this alike (cosine of bigrams) are one reply said differently. */
export const CLUSTER_SIMILARITY = 0.55;
/** Without an intent, only past questions at least this alike to the message lend their replies. */
const UNLABELLED_SIMILARITY = 0.3;
const RECENCY_HALF_LIFE_DAYS = 90;
/**
 * How many of the past customer messages most alike to this one vote for the cluster of the reply they
 * got: a centroid blurs a cluster that answers several phrasings, the nearest past questions do not.
 */
export const NEIGHBOURS = 5;
const WEIGHTS = { vote: 0.35, similarity: 0.25, frequency: 0.25, recency: 0.15 } as const;

/**
 * How much one reply counts: a well-rated conversation fully, an unrated one (resolved, never reopened)
 * half; a reply the agent sent from a suggestion unchanged or edited is proven a little more.
 */
export function replyWeight(reply: Pick<HistoryReply, 'csatScore' | 'feedback'>): number {
  const base = reply.csatScore === null ? 0.5 : reply.csatScore >= 4 ? 1 : 0;
  const learned = reply.feedback === 'accepted' ? 0.5 : reply.feedback === 'edited' ? 0.25 : 0;
  return base === 0 ? 0 : base + learned;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Takes one customer's specifics out of a reply so it fits the next customer: their name, phone numbers
 * and order-like codes become variables the suggestion fills (or reports missing) for the new conversation.
 */
export function generaliseReply(text: string, customerName: string | null): string {
  let out = text;
  const name = customerName?.trim();
  if (name && name.length >= 2) out = out.replace(new RegExp(escapeRegExp(name), 'g'), '{{customer.name}}');
  if (name) {
    // 王女士 / 王先生: the surname with a form of address is how Chinese shops name customers.
    const surname = [...name][0]!;
    out = out.replace(new RegExp(`${escapeRegExp(surname)}(女士|先生|小姐)`, 'g'), '{{customer.name}}');
  }
  return out
    .replace(/(?<![\d])1[3-9]\d{9}(?![\d])/g, '{{customer.phone}}')
    .replace(
      /(?<![A-Za-z0-9])(?=[A-Za-z0-9-]*\d{5})[A-Za-z]{0,4}\d[A-Za-z0-9-]{5,}(?![A-Za-z0-9])/g,
      '{{order.number}}',
    );
}

export interface ReplyHistoryIndex {
  readonly size: number;
  /** Best clusters for a customer message of `intent` (any intent when null), best first. */
  match(intent: string | null, message: string, limit: number, now: Date): HistoryMatch[];
  /** The intent's clusters by weight (the "most frequent reply per intent" baseline), best first. */
  frequent(intent: string | null, limit: number): HistoryCluster[];
}

interface Building {
  cluster: HistoryCluster;
  wordings: Map<string, { text: string; weight: number }>;
  askedVectors: TextVector[];
  askedWeights: number[];
}

/** One past customer message, the weight of the reply it got, and that reply's cluster. */
interface Asked {
  vector: TextVector;
  weight: number;
  cluster: HistoryCluster;
}

export function buildReplyHistoryIndex(replies: readonly LabelledReply[]): ReplyHistoryIndex {
  const byIntent = new Map<string | null, Building[]>();
  for (const reply of replies) {
    const weight = replyWeight(reply);
    if (weight <= 0 || !reply.replyText.trim()) continue;
    const text = generaliseReply(reply.replyText.trim(), reply.customerName);
    const vector = textVector(text);
    if (norm(vector) === 0) continue;
    let group = byIntent.get(reply.intent);
    if (!group) {
      group = [];
      byIntent.set(reply.intent, group);
    }
    let best: Building | null = null;
    let bestSimilarity = CLUSTER_SIMILARITY;
    for (const b of group) {
      const s = cosine(vector, b.cluster.vector);
      if (s >= bestSimilarity) {
        best = b;
        bestSimilarity = s;
      }
    }
    if (!best) {
      best = {
        cluster: {
          id: `h:${reply.replyMessageId}`,
          intent: reply.intent,
          text,
          weight: 0,
          members: 0,
          lastAt: reply.repliedAt,
          asked: new Map(),
          askedNorm: 0,
          vector,
        },
        wordings: new Map(),
        askedVectors: [],
        askedWeights: [],
      };
      group.push(best);
    }
    const c = best.cluster;
    c.weight += weight;
    c.members += 1;
    if (reply.repliedAt > c.lastAt) c.lastAt = reply.repliedAt;
    const key = normaliseReply(text);
    const wording = best.wordings.get(key) ?? { text, weight: 0 };
    wording.weight += weight;
    best.wordings.set(key, wording);
    best.askedVectors.push(textVector(reply.customerText));
    best.askedWeights.push(weight);
  }

  const clusters = new Map<string | null, HistoryCluster[]>();
  const askedByIntent = new Map<string | null, Asked[]>();
  for (const [intent, group] of byIntent) {
    const asked: Asked[] = [];
    const built = group.map(({ cluster, wordings, askedVectors, askedWeights }) => {
      // The wording agents used most (ties: the first seen) speaks for the cluster.
      let top = { text: cluster.text, weight: -1 };
      for (const w of wordings.values()) if (w.weight > top.weight) top = w;
      const c = centroid(askedVectors);
      const done = { ...cluster, text: top.text, vector: textVector(top.text), asked: c, askedNorm: norm(c) };
      for (const [i, vector] of askedVectors.entries())
        asked.push({ vector, weight: askedWeights[i]!, cluster: done });
      return done;
    });
    askedByIntent.set(intent, asked);
    clusters.set(
      intent,
      built.sort((a, b) => b.weight - a.weight || b.lastAt.localeCompare(a.lastAt)),
    );
  }
  const all = [...clusters.values()].flat();
  const allAsked = [...askedByIntent.values()].flat();
  const size = all.length;

  /** Each cluster's share (0..1 of the best) of the weighted vote of the message's nearest past questions. */
  const votesOf = (pool: readonly Asked[], message: TextVector) => {
    const nearest = pool
      .map((a) => ({ a, similarity: cosine(message, a.vector) }))
      .filter((n) => n.similarity > 0)
      .sort((x, y) => y.similarity - x.similarity)
      .slice(0, NEIGHBOURS);
    const votes = new Map<HistoryCluster, number>();
    // Cubed: one past question nearly the same as this one outvotes several that only share a word.
    for (const { a, similarity } of nearest)
      votes.set(a.cluster, (votes.get(a.cluster) ?? 0) + similarity ** 3 * a.weight);
    const top = Math.max(0, ...votes.values());
    return (cluster: HistoryCluster) => (top > 0 ? (votes.get(cluster) ?? 0) / top : 0);
  };

  const scoreOf = (
    cluster: HistoryCluster,
    message: TextVector,
    heaviest: number,
    vote: number,
    now: Date,
  ) => {
    const n = norm(message) * cluster.askedNorm;
    let dot = 0;
    for (const [term, x] of message) dot += x * (cluster.asked.get(term) ?? 0);
    const similarity = n === 0 ? 0 : dot / n;
    const ageDays = Math.max(0, (now.getTime() - Date.parse(cluster.lastAt)) / 86_400_000);
    const recency = 0.5 ** (ageDays / RECENCY_HALF_LIFE_DAYS);
    const frequency = heaviest > 0 ? cluster.weight / heaviest : 0;
    return {
      similarity,
      score:
        WEIGHTS.vote * vote +
        WEIGHTS.similarity * similarity +
        WEIGHTS.frequency * frequency +
        WEIGHTS.recency * recency,
    };
  };

  return {
    size,
    match(intent, message, limit, now) {
      const vector = textVector(message);
      // Without an intent — or one the history never saw — every cluster competes, on similarity mostly:
      // frequency across intents means little.
      const labelled = clusters.get(intent) ?? [];
      const open = intent === null || labelled.length === 0;
      const pool = open ? all : labelled;
      const heaviest = pool.reduce((m, c) => Math.max(m, c.weight), 0);
      const voteOf = votesOf(open ? allAsked : (askedByIntent.get(intent) ?? []), vector);
      const matches = pool.map((cluster) => {
        const { similarity, score } = scoreOf(cluster, vector, heaviest, voteOf(cluster), now);
        return { cluster, similarity, score: open ? score * similarity : score };
      });
      return matches
        .filter((m) => !open || m.similarity >= UNLABELLED_SIMILARITY)
        .sort((a, b) => b.score - a.score)
        .slice(0, limit);
    },
    frequent(intent, limit) {
      return (clusters.get(intent) ?? []).slice(0, limit);
    },
  };
}
