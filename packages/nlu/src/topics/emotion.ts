// Customer emotion over time: each message's sentiment (the NLU's analyser: polarity score, anger,
// anxiety) rolled up per day (or week) and per conversation, where what matters is where it ended:
// a conversation that started angry and ended calm improved.
import { NEUTRAL_BAND, type SentimentAnalysis } from '../sentiment/index.ts';

/** Anger at or above this counts a message as angry (the routing's "upset customer" cue). */
export const ANGRY = 0.5;

export interface ScoredMessage {
  conversationId: string;
  /** The bucket the message falls in (a local day, or the Monday of its week): the caller decides. */
  bucket: string;
  /** Oldest first within a conversation. */
  at: string;
  sentiment: SentimentAnalysis;
}

export interface EmotionBucket {
  bucket: string;
  messages: number;
  /** Mean polarity score, -1…1. */
  average: number;
  positive: number;
  neutral: number;
  negative: number;
  /** Messages with anger ≥ ANGRY. */
  angry: number;
  /** Mean anger, 0…1. */
  anger: number;
}

export type ConversationMood = 'improved' | 'worsened' | 'steady';

export interface ConversationEmotion {
  conversationId: string;
  messages: number;
  average: number;
  first: number;
  last: number;
  /** The most negative message's score. */
  lowest: number;
  peakAnger: number;
  mood: ConversationMood;
}

export interface EmotionReport {
  buckets: EmotionBucket[];
  conversations: ConversationEmotion[];
  totals: Omit<EmotionBucket, 'bucket'>;
  moods: Record<ConversationMood, number>;
}

/** A change of the score from a conversation's first to last message smaller than this is no change. */
const MOOD_CHANGE = 0.3;

const summary = (items: readonly ScoredMessage[]): Omit<EmotionBucket, 'bucket'> => {
  let sum = 0;
  let anger = 0;
  const out = {
    messages: items.length,
    average: 0,
    positive: 0,
    neutral: 0,
    negative: 0,
    angry: 0,
    anger: 0,
  };
  for (const { sentiment: s } of items) {
    sum += s.score;
    anger += s.anger;
    if (s.score >= NEUTRAL_BAND) out.positive++;
    else if (s.score <= -NEUTRAL_BAND) out.negative++;
    else out.neutral++;
    if (s.anger >= ANGRY) out.angry++;
  }
  if (items.length > 0) {
    out.average = sum / items.length;
    out.anger = anger / items.length;
  }
  return out;
};

/** `buckets` lists every bucket to report, in order (empty ones included, so a chart has no gaps). */
export function emotionReport(messages: readonly ScoredMessage[], buckets: readonly string[]): EmotionReport {
  const byBucket = new Map<string, ScoredMessage[]>(buckets.map((b) => [b, []]));
  const byConversation = new Map<string, ScoredMessage[]>();
  for (const m of messages) {
    byBucket.get(m.bucket)?.push(m);
    const list = byConversation.get(m.conversationId) ?? [];
    list.push(m);
    byConversation.set(m.conversationId, list);
  }
  const conversations = [...byConversation].map(([conversationId, list]): ConversationEmotion => {
    const sorted = [...list].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
    const scores = sorted.map((m) => m.sentiment.score);
    const first = scores[0]!;
    const last = scores.at(-1)!;
    const change = last - first;
    return {
      conversationId,
      messages: sorted.length,
      average: scores.reduce((a, b) => a + b, 0) / scores.length,
      first,
      last,
      lowest: Math.min(...scores),
      peakAnger: Math.max(...sorted.map((m) => m.sentiment.anger)),
      mood:
        sorted.length < 2 || Math.abs(change) < MOOD_CHANGE ? 'steady' : change > 0 ? 'improved' : 'worsened',
    };
  });
  const moods: Record<ConversationMood, number> = { improved: 0, worsened: 0, steady: 0 };
  for (const c of conversations) moods[c.mood]++;
  return {
    buckets: [...byBucket].map(([bucket, list]) => ({ bucket, ...summary(list) })),
    conversations,
    totals: summary(messages),
    moods,
  };
}
