import { describe, expect, it } from 'vitest';
import type { BotDecision, MessageAnalysis } from '../bot/bot.ts';
import { decideRouting } from './decideRouting.ts';
import { reasonWithoutBot, routingFacts } from './planRouting.ts';
import type { RoutingCondition, RoutingRule } from './rules.ts';
import { defaultTierSettings } from './tiers.ts';

const AT = '2026-11-25T06:00:00.000Z';

const analysis = (patch: Partial<MessageAnalysis> = {}): MessageAnalysis => ({
  intent: null,
  confidence: 0.2,
  inScope: true,
  sentiment: { polarity: 'neutral', anger: 0 },
  urgency: { level: 'normal', signals: [] },
  language: 'zh-Hans',
  ...patch,
});

/** What the server hands routing for a switched-off bot: a stand-in hand-off and the NLU's reading. */
const offDecision = (a: MessageAnalysis): BotDecision => ({
  replies: [],
  handoff: { reason: 'no_answer', priority: 'normal' },
  state: null,
  turn: null,
  botOff: true,
  humansAvailable: true,
  analysis: a,
});

const rule = (id: string, conditions: RoutingCondition[], queueId: string): RoutingRule => ({
  id,
  name: id,
  enabled: true,
  conditions,
  actions: { target: { kind: 'queue', queueId }, priority: null, tags: [], notify: null },
  origin: 'template',
  position: 0,
  createdAt: AT,
  updatedAt: AT,
});

// The retail template's shape: complaints by the hand-off reason, then anyone handed off to general.
const policy = {
  rules: [
    rule(
      'complaints',
      [{ field: 'handoff_reason', values: ['complaint', 'negative_sentiment', 'urgency'] }],
      'q-complaints',
    ),
    rule('general', [{ field: 'handoff', value: true }], 'q-general'),
  ],
  defaultQueueId: null,
};

const route = (a: MessageAnalysis) =>
  decideRouting(
    policy,
    routingFacts(offDecision(a), { channel: 'widget', profile: null, tiers: defaultTierSettings }),
    AT,
  ).record;

describe('routing while the bot is switched off', () => {
  it('sends a complaint, threat or safety issue to the complaints queue, not the general one', () => {
    const complaint = route(analysis({ urgency: { level: 'high', signals: ['complaint'] } }));
    expect(complaint.queueId).toBe('q-complaints');
    expect(complaint.priority).toBe('high');
    expect(complaint.inputs.handoffReason).toBe('urgency:complaint');
    const safety = route(analysis({ urgency: { level: 'critical', signals: ['safety'] } }));
    expect([safety.queueId, safety.priority]).toEqual(['q-complaints', 'urgent']);
  });

  it('sends clear anger to complaints, as the bot would', () => {
    const angry = route(analysis({ sentiment: { polarity: 'negative', anger: 0.7 } }));
    expect([angry.queueId, angry.inputs.handoffReason]).toEqual(['q-complaints', 'negative_sentiment']);
    // Negative but not angry is no complaint.
    const sour = route(analysis({ sentiment: { polarity: 'negative', anger: 0.2 } }));
    expect([sour.queueId, sour.inputs.handoffReason]).toEqual(['q-general', 'bot_off']);
  });

  it('follows the bot’s hand-off reading where it has one: a complaint without cues, anger it weighed', () => {
    const quiet = route(analysis({ handoffKind: 'complaint' }));
    expect([quiet.queueId, quiet.priority, quiet.inputs.handoffReason]).toEqual([
      'q-complaints',
      'high',
      'complaint',
    ]);
    const grave = route(analysis({ handoffKind: 'grave' }));
    expect([grave.queueId, grave.priority, grave.inputs.handoffReason]).toEqual([
      'q-complaints',
      'urgent',
      'complaint:grave',
    ]);
    // The anger lexicon fired, but the bot read an impatient routine question.
    const impatient = route(
      analysis({ sentiment: { polarity: 'negative', anger: 0.7 }, handoffKind: 'routine' }),
    );
    expect([impatient.queueId, impatient.inputs.handoffReason]).toEqual(['q-general', 'bot_off']);
    // A threat stays a threat whatever the reading.
    const threat = route(
      analysis({ urgency: { level: 'critical', signals: ['media_threat'] }, handoffKind: 'routine' }),
    );
    expect([threat.queueId, threat.priority]).toEqual(['q-complaints', 'urgent']);
  });

  it('sends everything else to the general queue with the bot_off reason', () => {
    const plain = route(analysis());
    expect([plain.target, plain.queueId, plain.inputs.handoffReason]).toEqual([
      'queue',
      'q-general',
      'bot_off',
    ]);
    expect(reasonWithoutBot(null)).toEqual({ reason: 'bot_off', priority: null });
  });

  it('keeps the bot’s own reason when the bot is on', () => {
    const facts = routingFacts(
      {
        ...offDecision(analysis()),
        botOff: false,
        handoff: { reason: 'customer_request', priority: 'normal' },
      },
      { channel: 'widget', profile: null, tiers: defaultTierSettings },
    );
    expect([facts.handoffReason, facts.botAvailable]).toEqual(['customer_request', true]);
  });
});
