// The routing decision for one message: the workspace's rules in order over the facts the NLU and the
// customer's profile give. Tag/notify-only rules apply and evaluation goes on; the first rule that routes
// (bot or queue) decides; no match means the workspace default. Pure and synchronous (it runs on every
// first message inside the bot's turn, so it allocates little beyond the record it returns).
import type { MessageAnalysis } from '../bot/bot.ts';
import type { Priority, RoutingRecord } from '../model.ts';
import { priorityRank } from '../queues/awaitHuman.ts';
import { bandForScore, priorityScore } from './priorityScore.ts';
import type { CustomerTier, RoutingCondition, RoutingRule } from './rules.ts';

export interface RoutingFacts {
  /** The NLU analysis the bot computed; null when nothing analysed the message. */
  analysis: MessageAnalysis | null;
  channel: string;
  tier: CustomerTier;
  /** 0..1 (customerValue). */
  customerValue: number;
  customerTags: readonly string[];
  withinBusinessHours: boolean;
  /** Why the bot wants humans (its hand-off reason); null when it answered. */
  handoffReason: string | null;
  /** The band the bot asked for with its hand-off. */
  handoffPriority: Priority | null;
  /** False when the bot is switched off: only human targets apply. */
  botAvailable: boolean;
  repeatContact: boolean;
}

export interface RoutingPolicy {
  /** In evaluation order (disabled ones are skipped). */
  rules: readonly RoutingRule[];
  /** Where a hand-off goes when no rule picks a queue (null: the workspace's default queue). */
  defaultQueueId: string | null;
}

export interface RoutingDecision {
  record: RoutingRecord;
  /** Users to notify and whether the supervisors are told too (from every matching rule). */
  notify: { userIds: string[]; supervisors: boolean };
}

const URGENCY_RANK = { low: 0, normal: 1, high: 2, critical: 3 } as const;
const NO_SIGNALS: readonly string[] = [];

function includesFolded(list: readonly string[], value: string): boolean {
  for (const item of list) if (item.toLowerCase() === value) return true;
  return false;
}

function holds(c: RoutingCondition, f: RoutingFacts): boolean {
  const a = f.analysis;
  switch (c.field) {
    case 'intent': {
      const hit = a?.intent != null && c.values.includes(a.intent);
      return c.op === 'in' ? hit : !hit;
    }
    case 'confidence': {
      const confidence = a?.confidence ?? 0;
      return c.op === 'lt' ? confidence < c.value : confidence >= c.value;
    }
    case 'in_scope':
      return (a?.inScope ?? true) === c.value;
    case 'understood':
      return (a !== null && a.intent !== null) === c.value;
    case 'sentiment':
      return c.values.includes(a?.sentiment.polarity ?? 'neutral');
    case 'anger':
      return (a?.sentiment.anger ?? 0) >= c.value;
    case 'urgency_level':
      return URGENCY_RANK[a?.urgency.level ?? 'normal'] >= URGENCY_RANK[c.value];
    case 'urgency_signal': {
      const signals = a?.urgency.signals ?? NO_SIGNALS;
      for (const s of signals) if (c.values.includes(s)) return true;
      return false;
    }
    case 'language': {
      // `zh` covers zh-Hans and zh-Hant.
      const language = a?.language ?? 'other';
      for (const v of c.values) if (language === v || language.startsWith(`${v}-`)) return true;
      return false;
    }
    case 'channel':
      return c.values.includes(f.channel);
    case 'tier':
      return c.values.includes(f.tier);
    case 'customer_tag':
      for (const t of f.customerTags) if (includesFolded(c.values, t.toLowerCase())) return true;
      return false;
    case 'business_hours':
      return f.withinBusinessHours === (c.value === 'within');
    case 'handoff':
      return (f.handoffReason !== null) === c.value;
    case 'handoff_reason': {
      const reason = f.handoffReason;
      if (reason === null) return false;
      for (const v of c.values) if (reason === v || reason.startsWith(`${v}:`)) return true;
      return false;
    }
  }
}

export function ruleMatches(rule: RoutingRule, facts: RoutingFacts): boolean {
  for (const c of rule.conditions) if (!holds(c, facts)) return false;
  return true;
}

/** The facts a decision saw, as its record keeps them (what agents read in "why routed here"). */
export function routingInputs(f: RoutingFacts, score: number): RoutingRecord['inputs'] {
  const a = f.analysis;
  return {
    intent: a?.intent ?? null,
    intentLabel: a?.intentLabel ?? null,
    confidence: a ? Math.round(a.confidence * 1000) / 1000 : null,
    inScope: a?.inScope ?? null,
    sentiment: a?.sentiment.polarity ?? null,
    anger: a ? Math.round(a.sentiment.anger * 1000) / 1000 : null,
    urgency: a?.urgency.level ?? null,
    urgencySignals: a ? a.urgency.signals : [],
    language: a?.language ?? null,
    channel: f.channel,
    tier: f.tier,
    customerTags: [...f.customerTags],
    businessHours: f.withinBusinessHours ? 'within' : 'outside',
    handoffReason: f.handoffReason,
    repeatContact: f.repeatContact,
    priorityScore: score,
  };
}

export function decideRouting(
  policy: RoutingPolicy,
  facts: RoutingFacts,
  decidedAt: string,
): RoutingDecision {
  const a = facts.analysis;
  const score = priorityScore({
    customerValue: facts.customerValue,
    urgency: a?.urgency.level ?? 'normal',
    anger: a?.sentiment.anger ?? 0,
    repeatContact: facts.repeatContact,
  });
  // The bot's hand-off, or a bot that is off, leaves only human targets to choose from.
  const humansOnly = facts.handoffReason !== null || !facts.botAvailable;
  const tags: string[] = [];
  const userIds: string[] = [];
  let supervisors = false;
  let decided: RoutingRule | null = null;
  let priority: Priority | null = null;
  for (const rule of policy.rules) {
    if (!rule.enabled || !ruleMatches(rule, facts)) continue;
    const target = rule.actions.target;
    if (target?.kind === 'bot' && humansOnly) continue;
    for (const t of rule.actions.tags) if (!tags.includes(t)) tags.push(t);
    const notify = rule.actions.notify;
    if (notify) {
      for (const id of notify.userIds) if (!userIds.includes(id)) userIds.push(id);
      supervisors ||= notify.supervisors;
    }
    // A priority-only rule sets the band unless a routing rule names its own.
    if (rule.actions.priority) priority = rule.actions.priority;
    if (target) {
      decided = rule;
      break;
    }
  }
  const target = decided?.actions.target ?? (humansOnly ? null : { kind: 'bot' as const });
  const queueId = target?.kind === 'queue' ? target.queueId : target ? null : policy.defaultQueueId;
  let band = priority ?? bandForScore(score);
  // Without an explicit band, the bot's own urgency for a hand-off is never lowered.
  if (
    priority === null &&
    facts.handoffPriority !== null &&
    priorityRank[facts.handoffPriority] > priorityRank[band]
  )
    band = facts.handoffPriority;
  const notified = supervisors ? [...userIds, 'role:supervisor'] : userIds;
  return {
    record: {
      ruleId: decided?.id ?? null,
      ruleName: decided?.name ?? null,
      target: target?.kind === 'bot' ? 'bot' : 'queue',
      queueId,
      priority: band,
      priorityScore: score,
      inputs: routingInputs(facts, score),
      tags,
      notified,
      decidedAt,
    },
    notify: { userIds, supervisors },
  };
}
