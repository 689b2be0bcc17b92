// A period's high-frequency problems: customer messages clustered into topics (the number found, not
// given), each labelled by its key phrases, with example messages, its size, the intents the bot
// recognised in it, the products and order numbers it mentions and, when the caller scored them, its
// mood. Pipeline: entities out (order numbers, contact details) → terms → TF-IDF → clustering of a
// sample → generic terms weighed down (reweight.ts) → clustering of every message, settled by a vote of
// each message's nearest neighbours (neighbours.ts) → class-based TF-IDF key phrases.
import { createEntityExtractor, type ProductRecord } from '../entities/index.ts';
import { normalise } from '../normalise/index.ts';
import { NEUTRAL_BAND } from '../sentiment/index.ts';
import type { Tokeniser } from '../tokenise/index.ts';
import { type ClusterOptions, clusterSteps, DEFAULT_CLUSTER_OPTIONS } from './cluster.ts';
import { groupKeyPhrases, type KeyPhrase } from './keyphrases.ts';
import { discriminativeWeights } from './reweight.ts';
import { runSteps, runStepsAsync, type Steps } from './steps.ts';
import { createTermExtractor, type MessageTerms } from './terms.ts';
import { buildVocabulary, type SparseVector, vectorise } from './vectors.ts';

export interface TopicMessage {
  id: string;
  text: string;
  /** The intent the bot recognised in the message, when known. */
  intent?: string | null;
  /** Sentiment score -1…1 when the caller has one (the engine does not score messages itself). */
  sentiment?: number | null;
}

export interface TopicMiningOptions {
  /** Shop words kept whole by the tokeniser (product and brand names). */
  userWords?: readonly string[];
  /** Groups of words that mean the same to this shop (first word canonical), as for FAQ retrieval. */
  synonyms?: readonly (readonly string[])[];
  /** The workspace's catalogue: mentions link topics to products. */
  products?: readonly ProductRecord[];
  /** The shop's order-number pattern (regex source), as for entity extraction. */
  orderNumberPattern?: string;
  /** Example messages per topic (default 5). */
  examples?: number;
  /** Key phrases per topic (default 5). */
  phrases?: number;
  /** Smaller topics are not reported (default: 3, or 0.2 % of the messages when that is more). */
  minTopicSize?: number;
  cluster?: Partial<Omit<ClusterOptions, 'minSize'>>;
  tokeniser?: Tokeniser;
}

export interface MinedTopic {
  /** The same for a topic with the same top phrases in another run (links, comparisons). */
  key: string;
  /** Its top key phrases, joined. */
  label: string;
  phrases: KeyPhrase[];
  size: number;
  /** Of all the messages mined. */
  share: number;
  /** The messages nearest the topic's centroid, different wordings only. */
  examples: { id: string; text: string }[];
  messageIds: string[];
  intents: { intent: string; count: number }[];
  products: { id: string; name: string; count: number }[];
  orders: { number: string; count: number }[];
  /** Mean sentiment and the share of negative messages, over the messages that had a score. */
  sentiment: { average: number; negative: number; scored: number } | null;
}

export interface TopicModel {
  messages: number;
  clustered: number;
  /** Largest first. */
  topics: MinedTopic[];
  /** Each input message's topic (an index into `topics`), -1 for none. */
  assignment: Int32Array;
  /** The topic each text would join (-1: none): how another period's messages are matched to these topics. */
  match(texts: readonly string[]): Int32Array;
}

/** Entity types that name a thing, not a problem: cut from the text before its terms are read. */
const CUT = new Set(['order_number', 'phone', 'email', 'money', 'datetime', 'date', 'quantity']);
/** The extractor is ~50× dearer than the rest of a message's analysis: run it only where it can find something. */
const MAY_HOLD_ENTITY = /\d{4,}|@/;

/** Messages the first clustering (which only weighs terms) reads at most. */
const PROBE = 2000;

const fnv = (text: string): string => {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(36);
};

const ranked = <K>(counts: Map<K, number>) => [...counts].sort((a, b) => b[1] - a[1]);

export function mineTopics(messages: readonly TopicMessage[], options: TopicMiningOptions = {}): TopicModel {
  return runSteps(mineSteps(messages, options));
}

/**
 * `mineTopics`, handing the event loop back (`await pause()`) about every 20 ms: a server mining
 * thousands of messages for a report must not hold up the messages and calls it serves meanwhile.
 */
export function mineTopicsAsync(
  messages: readonly TopicMessage[],
  options: TopicMiningOptions,
  pause: () => Promise<void>,
): Promise<TopicModel> {
  return runStepsAsync(mineSteps(messages, options), pause);
}

function* mineSteps(messages: readonly TopicMessage[], options: TopicMiningOptions): Steps<TopicModel> {
  const products = options.products ?? [];
  const userWords = [
    ...(options.userWords ?? []),
    ...products.flatMap((p) => [p.name, ...(p.aliases ?? [])]),
  ];
  const extractor = createTermExtractor({
    userWords,
    ...(options.synonyms ? { synonyms: options.synonyms } : {}),
    ...(options.tokeniser ? { tokeniser: options.tokeniser } : {}),
  });
  const entities = createEntityExtractor({
    ...(options.orderNumberPattern ? { orderNumberPattern: options.orderNumberPattern } : {}),
    products,
  });
  const surfaces = products
    .flatMap((p) => [p.name, ...(p.aliases ?? [])])
    .map((s) => normalise(s))
    .filter((s) => s.length > 0);
  const productName = new Map(products.map((p) => [p.id, p.name]));

  const mentions: { orders: string[]; products: string[] }[] = [];
  const terms: MessageTerms[] = [];
  for (const m of messages) {
    if (terms.length % 50 === 49) yield;
    const found: { orders: string[]; products: string[] } = { orders: [], products: [] };
    mentions.push(found);
    let text = m.text;
    const lower = surfaces.length > 0 ? normalise(text) : '';
    if (MAY_HOLD_ENTITY.test(text) || surfaces.some((s) => lower.includes(s))) {
      const spans = entities.extract(text);
      for (const e of spans) {
        if (e.type === 'order_number') found.orders.push(e.value);
        if (e.type === 'product') found.products.push(e.value.id);
      }
      for (const e of [...spans].reverse())
        if (CUT.has(e.type)) text = `${text.slice(0, e.start)} ${text.slice(e.end)}`;
    }
    terms.push(extractor.terms(text));
  }

  const vocabulary = buildVocabulary(terms);
  yield;
  const vectors: SparseVector[] = [];
  for (const t of terms) {
    if (vectors.length % 500 === 499) yield;
    vectors.push(vectorise(t, vocabulary));
  }
  const minSize = options.minTopicSize ?? Math.max(3, Math.ceil(messages.length * 0.002));
  const clusterOptions: ClusterOptions = { ...DEFAULT_CLUSTER_OPTIONS, ...options.cluster, minSize };
  // The first look only has to tell generic terms from telling ones: an even sample of the period does.
  const probe: SparseVector[] = [];
  for (let i = 0; i < Math.min(PROBE, vectors.length); i++)
    probe.push(vectors[Math.floor((i * vectors.length) / Math.min(PROBE, vectors.length))]!);
  const first = yield* clusterSteps(probe, {
    ...clusterOptions,
    minSize: Math.max(3, Math.ceil((minSize * probe.length) / Math.max(1, vectors.length))),
    // Centroids are all the reweighting reads: the neighbours' vote would only cost time here.
    neighbours: 0,
  });
  yield;
  const reweigh = discriminativeWeights(probe, first);
  const reweighed: SparseVector[] = [];
  for (const v of vectors) {
    if (reweighed.length % 500 === 499) yield;
    reweighed.push(reweigh(v));
  }
  const clustering = yield* clusterSteps(reweighed, clusterOptions);
  yield;

  // Largest topic first; the assignment follows the new order.
  const order = clustering.sizes.map((size, g) => ({ size, g })).sort((a, b) => b.size - a.size || a.g - b.g);
  const position = new Int32Array(order.length);
  order.forEach(({ g }, at) => {
    position[g] = at;
  });
  const assignment = clustering.assignment.map((g) => (g < 0 ? -1 : position[g]!));
  const phrases = groupKeyPhrases(terms, assignment, order.length, {
    limit: options.phrases ?? 5,
    display: extractor.display,
  });

  const members: number[][] = order.map(() => []);
  assignment.forEach((g, i) => {
    if (g >= 0) members[g]!.push(i);
  });
  const exampleCount = options.examples ?? 5;
  const topics = members.map((indexes, g): MinedTopic => {
    const topPhrases = phrases[g]!;
    const nearest = [...indexes].sort(
      (a, b) => clustering.similarity[b]! - clustering.similarity[a]! || a - b,
    );
    const examples: { id: string; text: string }[] = [];
    const wordings = new Set<string>();
    for (const i of nearest) {
      if (examples.length >= exampleCount) break;
      const m = messages[i]!;
      const wording = normalise(m.text);
      if (wordings.has(wording)) continue;
      wordings.add(wording);
      examples.push({ id: m.id, text: m.text });
    }
    const intents = new Map<string, number>();
    const productCounts = new Map<string, number>();
    const orders = new Map<string, number>();
    let scored = 0;
    let sum = 0;
    let negative = 0;
    for (const i of indexes) {
      const m = messages[i]!;
      if (m.intent) intents.set(m.intent, (intents.get(m.intent) ?? 0) + 1);
      for (const id of new Set(mentions[i]!.products))
        productCounts.set(id, (productCounts.get(id) ?? 0) + 1);
      for (const n of new Set(mentions[i]!.orders)) orders.set(n, (orders.get(n) ?? 0) + 1);
      if (typeof m.sentiment === 'number' && Number.isFinite(m.sentiment)) {
        scored++;
        sum += m.sentiment;
        if (m.sentiment <= -NEUTRAL_BAND) negative++;
      }
    }
    return {
      key: `t${fnv(
        topPhrases
          .slice(0, 3)
          .map((p) => p.term)
          .sort()
          .join('|'),
      )}`,
      label: topPhrases
        .slice(0, 3)
        .map((p) => p.phrase)
        .join(' · '),
      phrases: topPhrases,
      size: indexes.length,
      share: indexes.length / messages.length,
      examples,
      messageIds: indexes.map((i) => messages[i]!.id),
      intents: ranked(intents).map(([intent, count]) => ({ intent, count })),
      products: ranked(productCounts).map(([id, count]) => ({ id, name: productName.get(id) ?? id, count })),
      orders: ranked(orders).map(([number, count]) => ({ number, count })),
      sentiment: scored === 0 ? null : { average: sum / scored, negative: negative / scored, scored },
    };
  });

  return {
    messages: messages.length,
    clustered: assignment.reduce((n, g) => n + (g >= 0 ? 1 : 0), 0),
    topics,
    assignment,
    match(texts) {
      return Int32Array.from(texts, (text) => {
        // With the weights the topics were found with, by the vote that placed this period's messages.
        const g = clustering.classify(reweigh(vectorise(extractor.terms(text), vocabulary)));
        return g < 0 ? -1 : position[g]!;
      });
    },
  };
}
