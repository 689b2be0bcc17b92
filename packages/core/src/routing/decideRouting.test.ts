import { describe, expect, it } from 'vitest';
import type { MessageAnalysis } from '../bot/bot.ts';
import { decideRouting, type RoutingFacts, ruleMatches } from './decideRouting.ts';
import { bandForScore, priorityScore } from './priorityScore.ts';
import { checkRoutingRule, type RoutingActions, type RoutingCondition, type RoutingRule } from './rules.ts';
import { customerTier, customerValue, defaultTierSettings } from './tiers.ts';

const AT = '2026-11-25T06:00:00.000Z';

const analysis = (patch: Partial<MessageAnalysis> = {}): MessageAnalysis => ({
  intent: 'faq:shipping',
  confidence: 0.8,
  inScope: true,
  sentiment: { polarity: 'neutral', anger: 0 },
  urgency: { level: 'normal', signals: [] },
  language: 'zh-Hans',
  ...patch,
});

const facts = (patch: Partial<RoutingFacts> = {}): RoutingFacts => ({
  analysis: analysis(),
  channel: 'widget',
  tier: 'regular',
  customerValue: 0.3,
  customerTags: [],
  withinBusinessHours: true,
  handoffReason: null,
  handoffPriority: null,
  botAvailable: true,
  repeatContact: false,
  ...patch,
});

let n = 0;
function rule(
  conditions: RoutingCondition[],
  actions: Partial<RoutingActions> = {},
  enabled = true,
): RoutingRule {
  n++;
  return {
    id: `rule-${n}`,
    name: `rule ${n}`,
    enabled,
    conditions,
    actions: { target: null, priority: null, tags: [], notify: null, ...actions },
    origin: 'owner',
    position: n,
    createdAt: AT,
    updatedAt: AT,
  };
}
const queue = (queueId: string) => ({ target: { kind: 'queue' as const, queueId } });
const matches = (c: RoutingCondition, f: RoutingFacts) => ruleMatches(rule([c]), f);

describe('routing conditions', () => {
  it('intent in / not in (not in also holds when nothing was understood)', () => {
    expect(matches({ field: 'intent', op: 'in', values: ['faq:shipping'] }, facts())).toBe(true);
    expect(matches({ field: 'intent', op: 'in', values: ['complaint'] }, facts())).toBe(false);
    expect(matches({ field: 'intent', op: 'not_in', values: ['complaint'] }, facts())).toBe(true);
    const none = facts({ analysis: analysis({ intent: null }) });
    expect(matches({ field: 'intent', op: 'in', values: ['faq:shipping'] }, none)).toBe(false);
    expect(matches({ field: 'intent', op: 'not_in', values: ['faq:shipping'] }, none)).toBe(true);
  });

  it('confidence < and ≥', () => {
    expect(matches({ field: 'confidence', op: 'lt', value: 0.9 }, facts())).toBe(true);
    expect(matches({ field: 'confidence', op: 'lt', value: 0.8 }, facts())).toBe(false);
    expect(matches({ field: 'confidence', op: 'gte', value: 0.8 }, facts())).toBe(true);
    expect(matches({ field: 'confidence', op: 'gte', value: 0.81 }, facts())).toBe(false);
  });

  it('in scope, sentiment polarity and anger', () => {
    expect(matches({ field: 'in_scope', value: true }, facts())).toBe(true);
    expect(
      matches({ field: 'in_scope', value: false }, facts({ analysis: analysis({ inScope: false }) })),
    ).toBe(true);
    expect(matches({ field: 'understood', value: true }, facts())).toBe(true);
    expect(
      matches({ field: 'understood', value: false }, facts({ analysis: analysis({ intent: null }) })),
    ).toBe(true);
    expect(matches({ field: 'understood', value: true }, facts({ analysis: null }))).toBe(false);
    const angry = facts({ analysis: analysis({ sentiment: { polarity: 'negative', anger: 0.7 } }) });
    expect(matches({ field: 'sentiment', values: ['negative'] }, angry)).toBe(true);
    expect(matches({ field: 'sentiment', values: ['positive', 'neutral'] }, angry)).toBe(false);
    expect(matches({ field: 'anger', op: 'gte', value: 0.7 }, angry)).toBe(true);
    expect(matches({ field: 'anger', op: 'gte', value: 0.71 }, angry)).toBe(false);
  });

  it('urgency level ≥ and urgency signal present', () => {
    const high = facts({ analysis: analysis({ urgency: { level: 'high', signals: ['complaint'] } }) });
    expect(matches({ field: 'urgency_level', op: 'gte', value: 'high' }, high)).toBe(true);
    expect(matches({ field: 'urgency_level', op: 'gte', value: 'critical' }, high)).toBe(false);
    expect(matches({ field: 'urgency_level', op: 'gte', value: 'low' }, facts())).toBe(true);
    expect(matches({ field: 'urgency_signal', values: ['safety', 'complaint'] }, high)).toBe(true);
    expect(matches({ field: 'urgency_signal', values: ['safety'] }, high)).toBe(false);
  });

  it('language (a family covers its varieties), channel, tier and customer tag', () => {
    expect(matches({ field: 'language', values: ['zh'] }, facts())).toBe(true);
    expect(matches({ field: 'language', values: ['zh-Hans'] }, facts())).toBe(true);
    expect(matches({ field: 'language', values: ['en'] }, facts())).toBe(false);
    expect(matches({ field: 'channel', values: ['sms', 'widget'] }, facts())).toBe(true);
    expect(matches({ field: 'channel', values: ['email'] }, facts())).toBe(false);
    expect(matches({ field: 'tier', values: ['vip'] }, facts())).toBe(false);
    expect(matches({ field: 'tier', values: ['regular'] }, facts())).toBe(true);
    const tagged = facts({ customerTags: ['Wholesale'] });
    expect(matches({ field: 'customer_tag', values: ['wholesale'] }, tagged)).toBe(true);
    expect(matches({ field: 'customer_tag', values: ['vip'] }, tagged)).toBe(false);
  });

  it('business hours, hand-off wanted and hand-off reason (by prefix)', () => {
    expect(matches({ field: 'business_hours', value: 'within' }, facts())).toBe(true);
    expect(matches({ field: 'business_hours', value: 'outside' }, facts())).toBe(false);
    expect(
      matches({ field: 'business_hours', value: 'outside' }, facts({ withinBusinessHours: false })),
    ).toBe(true);
    const handoff = facts({ handoffReason: 'urgency:complaint,legal_threat' });
    expect(matches({ field: 'handoff', value: true }, handoff)).toBe(true);
    expect(matches({ field: 'handoff', value: false }, handoff)).toBe(false);
    expect(matches({ field: 'handoff_reason', values: ['urgency'] }, handoff)).toBe(true);
    expect(matches({ field: 'handoff_reason', values: ['urg'] }, handoff)).toBe(false);
    expect(matches({ field: 'handoff_reason', values: ['urgency'] }, facts())).toBe(false);
  });

  it('all conditions of a rule must hold; no conditions always holds', () => {
    const both = rule([
      { field: 'tier', values: ['vip'] },
      { field: 'channel', values: ['widget'] },
    ]);
    expect(ruleMatches(both, facts())).toBe(false);
    expect(ruleMatches(both, facts({ tier: 'vip' }))).toBe(true);
    expect(ruleMatches(rule([]), facts())).toBe(true);
  });
});

describe('decideRouting', () => {
  it('evaluates in order: the first rule with a routing action decides', () => {
    const first = rule([{ field: 'channel', values: ['widget'] }], {
      ...queue('general'),
      priority: 'normal',
    });
    const second = rule([], { ...queue('vip'), priority: 'high' });
    const { record } = decideRouting({ rules: [first, second], defaultQueueId: null }, facts(), AT);
    expect(record).toMatchObject({
      ruleId: first.id,
      ruleName: first.name,
      target: 'queue',
      queueId: 'general',
    });
    expect(record.priority).toBe('normal');
    expect(record.decidedAt).toBe(AT);
  });

  it('skips disabled rules and rules that do not match', () => {
    const off = rule([], queue('vip'), false);
    const vipOnly = rule([{ field: 'tier', values: ['vip'] }], queue('vip'));
    const general = rule([], queue('general'));
    const { record } = decideRouting({ rules: [off, vipOnly, general], defaultQueueId: null }, facts(), AT);
    expect(record.ruleId).toBe(general.id);
  });

  it('tag and notify rules apply and evaluation continues', () => {
    const tagger = rule([], { tags: ['watch'], notify: { userIds: ['u1'], supervisors: false } });
    const alarm = rule([], { tags: ['watch', 'loud'], notify: { userIds: [], supervisors: true } });
    const decider = rule([], { ...queue('general'), tags: ['routed'] });
    const never = rule([], { tags: ['never'] });
    const { record, notify } = decideRouting(
      { rules: [tagger, alarm, decider, never], defaultQueueId: null },
      facts(),
      AT,
    );
    expect(record.ruleId).toBe(decider.id);
    expect(record.tags).toEqual(['watch', 'loud', 'routed']);
    expect(notify).toEqual({ userIds: ['u1'], supervisors: true });
    expect(record.notified).toEqual(['u1', 'role:supervisor']);
  });

  it('no match: the bot when it is on, the default queue on a hand-off or when it is off', () => {
    const vipOnly = rule([{ field: 'tier', values: ['vip'] }], queue('vip'));
    const policy = { rules: [vipOnly], defaultQueueId: 'fallback' };
    expect(decideRouting(policy, facts(), AT).record).toMatchObject({
      ruleId: null,
      target: 'bot',
      queueId: null,
    });
    expect(decideRouting(policy, facts({ botAvailable: false }), AT).record).toMatchObject({
      ruleId: null,
      target: 'queue',
      queueId: 'fallback',
    });
    expect(decideRouting(policy, facts({ handoffReason: 'fallback' }), AT).record).toMatchObject({
      target: 'queue',
      queueId: 'fallback',
    });
  });

  it('on the bot’s hand-off (or with the bot off) bot actions are skipped and a queue rule chooses', () => {
    const keepWithBot = rule([], { target: { kind: 'bot' }, priority: 'high' });
    const toGeneral = rule([{ field: 'handoff', value: true }], queue('general'));
    const policy = { rules: [keepWithBot, toGeneral], defaultQueueId: null };
    expect(decideRouting(policy, facts(), AT).record).toMatchObject({
      ruleId: keepWithBot.id,
      target: 'bot',
    });
    expect(decideRouting(policy, facts({ handoffReason: 'customer_request' }), AT).record).toMatchObject({
      ruleId: toGeneral.id,
      queueId: 'general',
    });
  });

  it('the band: the rule’s priority if set, else from the score, never below the bot’s own hand-off band', () => {
    const toGeneral = rule([], queue('general'));
    const policy = { rules: [toGeneral], defaultQueueId: null };
    const calm = decideRouting(policy, facts({ customerValue: 0 }), AT).record;
    expect(calm.priority).toBe(bandForScore(calm.priorityScore));
    const urgentBot = decideRouting(
      policy,
      facts({ handoffReason: 'urgency:legal_threat', handoffPriority: 'urgent' }),
      AT,
    );
    expect(urgentBot.record.priority).toBe('urgent');
    const pinned = rule([], { ...queue('general'), priority: 'low' });
    const pinnedRecord = decideRouting(
      { rules: [pinned], defaultQueueId: null },
      facts({ handoffReason: 'complaint', handoffPriority: 'high' }),
      AT,
    ).record;
    expect(pinnedRecord.priority).toBe('low');
  });

  it('records the inputs it decided on', () => {
    const { record } = decideRouting(
      { rules: [], defaultQueueId: null },
      facts({
        analysis: analysis({ urgency: { level: 'high', signals: ['complaint'] } }),
        customerTags: ['vip'],
        channel: 'sms',
      }),
      AT,
    );
    expect(record.inputs).toMatchObject({
      intent: 'faq:shipping',
      confidence: 0.8,
      inScope: true,
      sentiment: 'neutral',
      urgency: 'high',
      urgencySignals: ['complaint'],
      language: 'zh-Hans',
      channel: 'sms',
      tier: 'regular',
      customerTags: ['vip'],
      businessHours: 'within',
      handoffReason: null,
      priorityScore: record.priorityScore,
    });
  });

  it('decides without an analysis (nothing analysed the message)', () => {
    const { record } = decideRouting({ rules: [], defaultQueueId: null }, facts({ analysis: null }), AT);
    expect(record.target).toBe('bot');
    expect(record.inputs.intent).toBeNull();
  });
});

describe('priority score and tiers', () => {
  it('grows with value, urgency, anger and a repeat contact, within 0..100', () => {
    const base = { customerValue: 0, urgency: 'normal' as const, anger: 0, repeatContact: false };
    const calm = priorityScore(base);
    expect(priorityScore({ ...base, customerValue: 1 })).toBeGreaterThan(calm);
    expect(priorityScore({ ...base, urgency: 'critical' })).toBeGreaterThan(
      priorityScore({ ...base, urgency: 'high' }),
    );
    expect(priorityScore({ ...base, anger: 0.9 })).toBeGreaterThan(calm);
    expect(priorityScore({ ...base, repeatContact: true })).toBe(calm + 10);
    expect(priorityScore({ customerValue: 1, urgency: 'critical', anger: 1, repeatContact: true })).toBe(100);
    expect(priorityScore({ ...base, urgency: 'low' })).toBeGreaterThanOrEqual(0);
    expect(bandForScore(100)).toBe('urgent');
    expect(bandForScore(40)).toBe('high');
    expect(bandForScore(20)).toBe('normal');
    expect(bandForScore(0)).toBe('low');
  });

  it('tiers by member level, spend, tags and orders (the policy defaults)', () => {
    const p = { memberLevel: null, lifetimeSpendFen: 0, orderCount: 0, tags: [] as string[] };
    const s = defaultTierSettings;
    expect(customerTier(p, s)).toBe('new');
    expect(customerTier({ ...p, orderCount: 1 }, s)).toBe('regular');
    expect(customerTier({ ...p, lifetimeSpendFen: 1 }, s)).toBe('regular');
    expect(customerTier({ ...p, lifetimeSpendFen: 499_999 }, s)).toBe('regular');
    expect(customerTier({ ...p, lifetimeSpendFen: 500_000 }, s)).toBe('vip');
    expect(customerTier({ ...p, memberLevel: 'Gold' }, s)).toBe('vip');
    expect(customerTier({ ...p, memberLevel: '钻石' }, s)).toBe('vip');
    expect(customerTier({ ...p, memberLevel: 'silver', lifetimeSpendFen: 499_950 }, s)).toBe('regular');
    expect(customerTier({ ...p, tags: ['VIP'] }, s)).toBe('vip');
    expect(customerValue(p, 'new', s)).toBe(0);
    expect(customerValue({ ...p, lifetimeSpendFen: 2_000_000 }, 'vip', s)).toBe(1);
  });
});

describe('checkRoutingRule', () => {
  const known = { queueIds: new Set(['general']), userIds: new Set(['u1']) };
  const ok = {
    name: 'ok',
    enabled: true,
    conditions: [],
    actions: { target: null, priority: null, tags: ['x'], notify: null },
  };

  it('points at the field that is wrong', () => {
    expect(checkRoutingRule(ok, known)).toEqual([]);
    expect(checkRoutingRule({ ...ok, name: ' ' }, known)).toEqual([
      { path: 'name', message: expect.any(String) },
    ]);
    expect(
      checkRoutingRule(
        {
          ...ok,
          conditions: [
            { field: 'confidence', op: 'gte', value: 0.5 },
            { field: 'anger', op: 'gte', value: 2 },
          ],
        },
        known,
      ).map((p) => p.path),
    ).toEqual(['conditions/1/value']);
    expect(
      checkRoutingRule({ ...ok, conditions: [{ field: 'intent', op: 'in', values: [] }] }, known).map(
        (p) => p.path,
      ),
    ).toEqual(['conditions/0/values']);
    expect(
      checkRoutingRule(
        { ...ok, actions: { ...ok.actions, target: { kind: 'queue', queueId: 'nope' } } },
        known,
      ).map((p) => p.path),
    ).toEqual(['actions/target/queueId']);
    expect(
      checkRoutingRule(
        { ...ok, actions: { ...ok.actions, notify: { userIds: ['u1', 'u9'], supervisors: false } } },
        known,
      ).map((p) => p.path),
    ).toEqual(['actions/notify/userIds/1']);
    expect(
      checkRoutingRule(
        { ...ok, actions: { target: null, priority: null, tags: [], notify: null } },
        known,
      ).map((p) => p.path),
    ).toEqual(['actions']);
  });
});
