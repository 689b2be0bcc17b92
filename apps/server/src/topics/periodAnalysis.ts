// One workspace period's analysis, shared by the topic and emotion reports: the customers' words read
// (an even sample of at most `maxAnalysed`), each scored for sentiment, mined into topics and compared
// with the previous period of the same length.
//
// Emotion is computed here, on demand, rather than stored per message by a job after message.created:
//  - it is a pure function of text the database already holds, and the NLU's analyser costs ~50–80 µs a
//    message, so a period's sample (≤ 5,000) scores in well under a second, in the same pass that mining
//    needs the unsealed texts anyway;
//  - storing it would add a job row and a write for every inbound message on a CPU-bound 2-core machine
//    whose inbound path was just made two queries cheaper, for a report a supervisor opens weekly;
//  - a stored score would freeze today's model: improving the analyser would not reach past periods;
//  - and a sentiment score derived from a customer's sealed words would sit in the clear beside them.
// A computed period is cached (see topicReports.ts), so opening the page again costs nothing.
import {
  type AnalyticsDay,
  type BotAnalyticsRange,
  botAnalyticsRange,
  type CustomerUtterance,
  type WorkspaceStore,
  workspaceTimeZone,
} from '@zhike/core';
import {
  analyseSentiment,
  mineTopicsAsync,
  type SentimentAnalysis,
  type TopicModel,
  type TopicTrend,
  trendOf,
} from '@zhike/nlu';

/** Messages mined per period at most: ~0.5 s of mining and ~0.4 s of sentiment on one core. */
export const MAX_ANALYSED = 5000;
/**
 * Characters of a message read: a problem is stated in its first lines, and an email that quotes its
 * whole thread must not cost a hundred short messages' worth of work.
 */
const MAX_TEXT = 1000;

export interface Period {
  range: BotAnalyticsRange;
  timeZone: string;
  previous: BotAnalyticsRange;
}

export interface PeriodAnalysis {
  period: Period;
  /** The period's messages (before sampling) and the previous period's. */
  messages: number;
  previousMessages: number;
  utterances: CustomerUtterance[];
  sentiments: SentimentAnalysis[];
  model: TopicModel;
  trends: TopicTrend[];
  /** Intent → the bot's label for it. */
  intentLabels: Map<string, string | null>;
  computedAt: string;
}

const addDays = (day: string, n: number): string => {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
};

/** The period asked for (days in the workspace's zone) and the one of equal length before it; RangeError when invalid. */
export async function periodOf(
  store: WorkspaceStore,
  query: { from?: string | undefined; to?: string | undefined },
  now: Date,
): Promise<Period> {
  const timeZone = await workspaceTimeZone(store);
  const range = botAnalyticsRange({ ...query, timeZone, now });
  const first = range.days[0]!.day;
  const previous = botAnalyticsRange({
    from: addDays(first, -range.days.length),
    to: addDays(first, -1),
    timeZone,
    now,
  });
  return { range, timeZone, previous };
}

export const boundsOf = (range: BotAnalyticsRange): { from: string; to: string } => ({
  from: range.days[0]!.start,
  to: range.days[range.days.length - 1]!.end,
});

export const daysOf = (range: BotAnalyticsRange): AnalyticsDay[] => range.days;

/** Lets other work run between CPU-heavy steps (the inbound path shares this event loop). */
const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function analysePeriod(
  store: WorkspaceStore,
  period: Period,
  options: { maxAnalysed: number; now: Date },
): Promise<PeriodAnalysis> {
  const [current, earlier, productNames, settings] = await Promise.all([
    store.topicSources.utterances(boundsOf(period.range), options.maxAnalysed),
    store.topicSources.utterances(boundsOf(period.previous), options.maxAnalysed),
    store.topicSources.productNames(500),
    store.botSettings.get(),
  ]);
  const utterances = current.utterances.map((u) =>
    u.text.length > MAX_TEXT ? { ...u, text: u.text.slice(0, MAX_TEXT) } : u,
  );
  // Every CPU-heavy step hands the event loop back every ~20 ms (inbound messages and live calls share it).
  const sentiments: SentimentAnalysis[] = [];
  let since = performance.now();
  for (const u of utterances) {
    if (performance.now() - since > 20) {
      await breathe();
      since = performance.now();
    }
    sentiments.push(analyseSentiment(u.text));
  }
  const model = await mineTopicsAsync(
    utterances.map((u, i) => ({ id: u.id, text: u.text, intent: u.intent, sentiment: sentiments[i]!.score })),
    {
      products: productNames.map((name) => ({ id: name, name })),
      ...(settings?.orderNumberPattern ? { orderNumberPattern: settings.orderNumberPattern } : {}),
    },
    breathe,
  );
  // The previous period's messages, matched to this period's topics by their centroids. Both periods are
  // sampled alike, so their counts compare: the trend is on shares of the messages analysed.
  const previousCounts = new Array<number>(model.topics.length).fill(0);
  const earlierTexts = earlier.utterances.map((u) => u.text.slice(0, MAX_TEXT));
  for (let i = 0; i < earlierTexts.length; i += 250) {
    await breathe();
    for (const g of model.match(earlierTexts.slice(i, i + 250))) if (g >= 0) previousCounts[g]! += 1;
  }
  const trends = model.topics.map((topic, g) =>
    trendOf(topic.size, model.messages, previousCounts[g]!, earlierTexts.length),
  );
  const intentLabels = new Map<string, string | null>();
  for (const u of utterances)
    if (u.intent && !intentLabels.get(u.intent)) intentLabels.set(u.intent, u.intentLabel);
  return {
    period,
    messages: current.total,
    previousMessages: earlier.total,
    utterances,
    sentiments,
    model,
    trends,
    intentLabels,
    computedAt: options.now.toISOString(),
  };
}
