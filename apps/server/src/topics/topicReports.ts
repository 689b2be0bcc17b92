// The topic and emotion reports of a workspace's period, as the API and the weekly review present them.
// A period's analysis is cached per workspace, range and zone while the period gains no new customer
// message (and for at most `ttlMs`): the page's two requests, and a supervisor opening it again, share one
// computation; concurrent requests share the same promise.
import type { EmotionTrend, TopicReport } from '@zhike/contracts';
import type { Clock } from '@zhike/core';
import type { Database } from '@zhike/db';
import { emotionReport } from '@zhike/nlu';
import { maskContactDetails } from '../bot/unansweredQuestions.ts';
import { analysePeriod, boundsOf, MAX_ANALYSED, type PeriodAnalysis, periodOf } from './periodAnalysis.ts';

export interface TopicReports {
  /** Topics of the period, largest first (at most `limit`, plus every rising topic), and the rising ones. */
  topics(workspaceId: string, query: { from?: string; to?: string; limit?: number }): Promise<TopicReport>;
  /** Customer emotion per day or week of the period, and how its conversations went. */
  emotion(
    workspaceId: string,
    query: { from?: string; to?: string; interval?: 'day' | 'week' },
  ): Promise<EmotionTrend>;
}

export interface TopicReportsOptions {
  maxAnalysed?: number;
  ttlMs?: number;
  /** Periods kept at most (least recently used leave first). */
  entries?: number;
}

const TOPICS = 20;
const MOST_NEGATIVE = 10;

const rangeDto = (a: PeriodAnalysis) => ({
  from: a.period.range.days[0]!.day,
  to: a.period.range.days[a.period.range.days.length - 1]!.day,
  timeZone: a.period.timeZone,
});

/** Monday of a day's week (YYYY-MM-DD). */
const mondayOf = (day: string): string => {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  date.setUTCDate(date.getUTCDate() - ((date.getUTCDay() + 6) % 7));
  return date.toISOString().slice(0, 10);
};

export function presentTopics(a: PeriodAnalysis, limit = TOPICS): TopicReport {
  const scale = a.model.messages === 0 ? 0 : a.messages / a.model.messages;
  const rising = a.model.topics
    .map((topic, g) => ({ topic, trend: a.trends[g]! }))
    .filter((t) => t.trend.rising)
    .sort((x, y) => y.trend.z - x.trend.z);
  const conversationOf = new Map(a.utterances.map((u) => [u.id, u.conversationId]));
  const shown = new Set([...a.model.topics.slice(0, limit), ...rising.map((r) => r.topic)]);
  return {
    range: rangeDto(a),
    previous: {
      from: a.period.previous.days[0]!.day,
      to: a.period.previous.days[a.period.previous.days.length - 1]!.day,
      messages: a.previousMessages,
    },
    messages: a.messages,
    analysed: a.model.messages,
    clustered: a.model.clustered,
    topics: a.model.topics
      .map((topic, g) => ({ topic, trend: a.trends[g]! }))
      .filter(({ topic }) => shown.has(topic))
      .map(({ topic, trend }) => ({
        key: topic.key,
        label: topic.label,
        phrases: topic.phrases.map((p) => ({ phrase: p.phrase, count: p.count })),
        size: topic.size,
        share: topic.share,
        estimated: Math.round(topic.size * scale),
        examples: topic.examples.map((e) => ({
          id: e.id,
          conversationId: conversationOf.get(e.id) ?? '',
          text: maskContactDetails(e.text),
        })),
        intents: topic.intents
          .slice(0, 5)
          .map((i) => ({ intent: i.intent, label: a.intentLabels.get(i.intent) ?? null, count: i.count })),
        products: topic.products.slice(0, 5).map((p) => ({ name: p.name, count: p.count })),
        orders: topic.orders.slice(0, 10),
        mood: topic.sentiment
          ? { average: topic.sentiment.average, negative: topic.sentiment.negative }
          : null,
        previous: trend.previous,
        growth: trend.growth,
        z: trend.z,
        rising: trend.rising,
      })),
    rising: rising.map((r) => r.topic.key),
    computedAt: a.computedAt,
  };
}

export function presentEmotion(a: PeriodAnalysis, interval: 'day' | 'week' = 'day'): EmotionTrend {
  const bucketOf = (day: string) => (interval === 'week' ? mondayOf(day) : day);
  // One formatter for every message (building one costs more than formatting with it).
  const calendar = new Intl.DateTimeFormat('en-CA', {
    timeZone: a.period.timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  const localDay = (instant: Date) => calendar.format(instant);
  const buckets = [...new Set(a.period.range.days.map((d) => bucketOf(d.day)))];
  const report = emotionReport(
    a.utterances.map((u, i) => ({
      conversationId: u.conversationId,
      bucket: bucketOf(localDay(new Date(u.at))),
      at: u.at,
      sentiment: a.sentiments[i]!,
    })),
    buckets,
  );
  return {
    range: rangeDto(a),
    interval,
    messages: a.messages,
    analysed: a.utterances.length,
    buckets: report.buckets,
    totals: report.totals,
    conversations: { count: report.conversations.length, ...report.moods },
    mostNegative: report.conversations
      .filter((c) => c.average < 0)
      .sort((x, y) => x.average - y.average || (x.conversationId < y.conversationId ? -1 : 1))
      .slice(0, MOST_NEGATIVE)
      .map(({ conversationId, messages, average, lowest, peakAnger, mood }) => ({
        conversationId,
        messages,
        average,
        lowest,
        peakAnger,
        mood,
      })),
    computedAt: a.computedAt,
  };
}

export function createTopicReports(
  deps: { db: Database; clock: Clock },
  options: TopicReportsOptions = {},
): TopicReports {
  const maxAnalysed = options.maxAnalysed ?? MAX_ANALYSED;
  const ttlMs = options.ttlMs ?? 10 * 60_000;
  const entries = options.entries ?? 16;
  const cache = new Map<
    string,
    { fingerprint: string; expires: number; analysis: Promise<PeriodAnalysis> }
  >();

  const analysis = async (workspaceId: string, query: { from?: string; to?: string }) => {
    const store = deps.db.forWorkspace(workspaceId);
    const now = deps.clock.now();
    const period = await periodOf(store, query, now);
    const stats = await store.topicSources.stats(boundsOf(period.range));
    const key = `${workspaceId}|${period.range.days[0]!.day}|${period.range.days.at(-1)!.day}|${period.timeZone}`;
    const fingerprint = `${stats.count}|${stats.last ?? ''}`;
    const cached = cache.get(key);
    if (cached && cached.fingerprint === fingerprint && cached.expires > now.getTime()) {
      cache.delete(key);
      cache.set(key, cached);
      return cached.analysis;
    }
    const computed = analysePeriod(store, period, { maxAnalysed, now });
    cache.set(key, { fingerprint, expires: now.getTime() + ttlMs, analysis: computed });
    // A failed computation is not kept.
    computed.catch(() => {
      if (cache.get(key)?.analysis === computed) cache.delete(key);
    });
    while (cache.size > entries) cache.delete(cache.keys().next().value!);
    return computed;
  };

  return {
    async topics(workspaceId, query) {
      return presentTopics(await analysis(workspaceId, query), query.limit ?? TOPICS);
    },
    async emotion(workspaceId, query) {
      return presentEmotion(await analysis(workspaceId, query), query.interval ?? 'day');
    },
  };
}

/**
 * What the weekly review shows of a workspace's period: its topics (top and rising) and customer emotion
 * per day. Days are YYYY-MM-DD in the workspace's zone, both inclusive; throws RangeError on a bad range.
 */
export async function topicsAndEmotion(
  reports: TopicReports,
  workspaceId: string,
  range: { from: string; to: string },
): Promise<{ topics: TopicReport; emotion: EmotionTrend }> {
  const [topics, emotion] = await Promise.all([
    reports.topics(workspaceId, range),
    reports.emotion(workspaceId, { ...range, interval: 'day' }),
  ]);
  return { topics, emotion };
}
