// Rising topics: how many of the previous period's messages fall into each of this period's topics
// (matched by the topic's centroid, see TopicModel.match), the growth of its share of all messages, and
// whether that growth is more than chance. Counts are Poisson; given both periods' counts, this period's
// share of them is binomial with p = this period's share of all messages, so z = (c − n·p) / √(n·p·(1−p))
// with n = c + previous. 3 → 6 messages over equal periods is z = 1.0: doubled, and not a signal.
import type { TopicModel } from './mine.ts';

export interface TopicTrend {
  /** Messages of the previous period matched to the topic. */
  previous: number;
  /** Growth of the topic's share of all messages (0.5 = +50 %); null when it had none before. */
  growth: number | null;
  /** Standard score of this period's count against "no change in share". */
  z: number;
  rising: boolean;
}

export interface RisingOptions {
  /** A rising topic has at least this many messages now (default 5). */
  minCount?: number;
  /** …its share grew at least this much (default 0.5, +50 %)… */
  minGrowth?: number;
  /** …and by more than chance: z at least this (default 1.96, two-sided 5 %). */
  minZ?: number;
}

/** The trend of a count between two periods of `previousTotal` and `currentTotal` messages. */
export function trendOf(
  current: number,
  currentTotal: number,
  previous: number,
  previousTotal: number,
  options: RisingOptions = {},
): TopicTrend {
  const minCount = options.minCount ?? 5;
  const minGrowth = options.minGrowth ?? 0.5;
  const minZ = options.minZ ?? 1.96;
  if (previousTotal <= 0 || currentTotal <= 0)
    // No earlier period to compare with: nothing can be said to rise.
    return { previous, growth: null, z: 0, rising: false };
  const growth = previous === 0 ? null : current / currentTotal / (previous / previousTotal) - 1;
  const n = current + previous;
  const p = currentTotal / (currentTotal + previousTotal);
  const z = n === 0 ? 0 : (current - n * p) / Math.sqrt(n * p * (1 - p));
  const rising = current >= minCount && z >= minZ && (growth === null || growth >= minGrowth);
  return { previous, growth, z, rising };
}

/** Each topic's trend against the previous period's messages (`previousTexts`, all of them). */
export function topicTrends(
  model: TopicModel,
  previousTexts: readonly string[],
  options: RisingOptions = {},
): TopicTrend[] {
  const matched = model.match(previousTexts);
  const counts = new Array<number>(model.topics.length).fill(0);
  for (const g of matched) if (g >= 0) counts[g]! += 1;
  return model.topics.map((topic, g) =>
    trendOf(topic.size, model.messages, counts[g]!, previousTexts.length, options),
  );
}
