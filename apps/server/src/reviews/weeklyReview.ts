// The weekly review (每周复盘): one week of a workspace, Monday to Sunday in its time zone, gathered from
// what the other reports compute — the KPIs against their targets and the week before, the top and rising
// topics, customer emotion, automated QA results, the questions the bot could not answer and the month's
// spend — with suggested actions that follow from them.
import type { AssistImpact, EmotionTrend, TopicReport } from '@zhike/contracts';
import { formatKpi } from '@zhike/contracts/kpiFormat';
import { type BotAnalyticsRange, botAnalyticsRange, type KpiValue, workspaceTimeZone } from '@zhike/core';
import { maskContactDetails } from '../bot/unansweredQuestions.ts';
import type { AppContext } from '../context.ts';
import { assistImpact } from '../metrics/assistImpact.ts';
import { kpiReport } from '../metrics/kpiReport.ts';
import { type QualityReport, qualitySummaryOf } from '../quality/qualityReports.ts';
import { topicsAndEmotion } from '../topics/topicReports.ts';

export interface SuggestedAction {
  kind:
    | 'faq_for_topic'
    | 'faq_for_question'
    | 'staffing'
    | 'repeat_contacts'
    | 'low_ratings'
    | 'complaints'
    | 'sla'
    | 'bot_latency'
    | 'coaching';
  /** What the action is about: a topic's label, a question, a rule's name, a KPI's value. */
  subject: string;
}

export interface WeeklyReview {
  workspace: { id: string; name: string; locale: string };
  range: { from: string; to: string; timeZone: string };
  previous: { from: string; to: string };
  conversations: {
    count: number;
    previous: number;
    daily: { day: string; count: number; containment: number | null }[];
  };
  kpis: (KpiValue & { previous: number | null })[];
  topics: TopicReport;
  emotion: EmotionTrend;
  quality: QualityReport;
  /** Agent throughput before and after assist went on (the brief: +50 %). */
  assist: AssistImpact;
  unanswered: { question: string; count: number }[];
  spend: {
    month: string;
    spentYuan: number;
    budgetYuan: number | null;
    costPerResolutionYuan: number | null;
  };
  actions: SuggestedAction[];
  generatedAt: string;
}

const isMonday = (day: string) => new Date(`${day}T12:00:00Z`).getUTCDay() === 1;
const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T12:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** The Monday of the last full week before `now` in the zone (or of `monday`, which must be a Monday). */
export function weekOf(now: Date, timeZone: string, monday?: string): { from: string; to: string } {
  if (monday !== undefined) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(monday) || !isMonday(monday))
      throw new RangeError('from must be a Monday');
    return { from: monday, to: addDays(monday, 6) };
  }
  const today = new Intl.DateTimeFormat('en-CA', { timeZone }).format(now);
  const weekday = (new Date(`${today}T12:00:00Z`).getUTCDay() + 6) % 7; // Monday 0
  const from = addDays(today, -weekday - 7);
  return { from, to: addDays(from, 6) };
}

export async function buildWeeklyReview(
  ctx: AppContext,
  workspaceId: string,
  options: { from?: string } = {},
): Promise<WeeklyReview> {
  const store = ctx.db.forWorkspace(workspaceId);
  const [workspace, timeZone] = await Promise.all([store.workspace.get(), workspaceTimeZone(store)]);
  const now = ctx.clock.now();
  const week = weekOf(now, timeZone, options.from);
  const before = { from: addDays(week.from, -7), to: addDays(week.to, -7) };
  const range = botAnalyticsRange({ ...week, timeZone, now });
  const previousRange = botAnalyticsRange({ ...before, timeZone, now });
  const [report, previous, topicsEmotion, quality, unansweredTurns, costs, assist] = await Promise.all([
    kpiReport(store, range, null, timeZone),
    kpiReport(store, previousRange, null, timeZone),
    topicsAndEmotion(ctx.topics, workspaceId, week),
    qualitySummaryOf(store, rangeStart(range), rangeEnd(range)),
    store.botTurns.unanswered(range, 200),
    ctx.costs.summary(workspaceId, week.to.slice(0, 7)),
    assistImpact(store, now, 28),
  ]);
  const previousValue = new Map(previous.kpis.map((k) => [k.key, k.value]));
  const kpis = report.kpis.map((k) => ({ ...k, previous: previousValue.get(k.key) ?? null }));
  const unanswered = groupQuestions(unansweredTurns.map((t) => maskContactDetails(t.question)));
  const containment = report.daily.map((d) => ({
    day: d.day,
    count: d.conversations,
    containment: d.values.containment,
  }));
  const review: WeeklyReview = {
    workspace: { id: workspace.id, name: workspace.name, locale: workspace.locale },
    range: { ...week, timeZone },
    previous: before,
    conversations: { count: report.conversations, previous: previous.conversations, daily: containment },
    kpis,
    topics: topicsEmotion.topics,
    emotion: topicsEmotion.emotion,
    quality,
    assist,
    unanswered,
    spend: {
      month: costs.month,
      spentYuan: Math.round(costs.spentMicro / 10_000) / 100,
      budgetYuan: costs.budget.monthlyYuan,
      costPerResolutionYuan: costs.efficiency.costPerResolutionYuan,
    },
    actions: [],
    generatedAt: now.toISOString(),
  };
  review.actions = suggestActions(review);
  return review;
}

const rangeStart = (r: BotAnalyticsRange) => r.days[0]?.start ?? new Date(0).toISOString();
const rangeEnd = (r: BotAnalyticsRange) => r.days.at(-1)?.end ?? new Date(0).toISOString();

/** The same question asked several times counts once, most asked first. */
function groupQuestions(questions: readonly string[]): { question: string; count: number }[] {
  const counts = new Map<string, { question: string; count: number }>();
  for (const q of questions) {
    const key = q.replace(/[\s\p{P}]/gu, '').toLowerCase();
    if (!key) continue;
    const entry = counts.get(key) ?? { question: q.trim(), count: 0 };
    entry.count++;
    counts.set(key, entry);
  }
  return [...counts.values()].sort((a, b) => b.count - a.count).slice(0, 10);
}

/** What the week's numbers suggest doing, most useful first; each follows from a number in the review. */
export function suggestActions(review: Omit<WeeklyReview, 'actions'>): SuggestedAction[] {
  const actions: SuggestedAction[] = [];
  const topicsByKey = new Map(review.topics.topics.map((t) => [t.key, t]));
  for (const key of review.topics.rising.slice(0, 3)) {
    const topic = topicsByKey.get(key);
    if (topic) actions.push({ kind: 'faq_for_topic', subject: topic.label });
  }
  const missed = new Map(review.kpis.filter((k) => k.status === 'missed').map((k) => [k.key, k]));
  const top = review.unanswered[0];
  if ((missed.has('botFallbackRate') || missed.has('containment')) && top)
    actions.push({ kind: 'faq_for_question', subject: top.question });
  const value = (key: KpiValue['key']) => formatKpi(key, missed.get(key)?.value ?? null);
  if (missed.has('humanResponseSeconds') || missed.has('pickupWaitSeconds'))
    actions.push({
      kind: 'staffing',
      subject: missed.has('humanResponseSeconds')
        ? value('humanResponseSeconds')
        : value('pickupWaitSeconds'),
    });
  if (missed.has('fcr')) actions.push({ kind: 'repeat_contacts', subject: value('fcr') });
  if (missed.has('csat')) actions.push({ kind: 'low_ratings', subject: value('csat') });
  if (missed.has('complaintClosure'))
    actions.push({ kind: 'complaints', subject: value('complaintClosure') });
  if (missed.has('slaAttainment')) actions.push({ kind: 'sla', subject: value('slaAttainment') });
  if (missed.has('aiResponseSeconds'))
    actions.push({ kind: 'bot_latency', subject: value('aiResponseSeconds') });
  const worst = review.quality.topRules[0];
  if (worst)
    actions.push({ kind: 'coaching', subject: review.quality.ruleNames[worst.ruleId] ?? worst.ruleId });
  return actions;
}
