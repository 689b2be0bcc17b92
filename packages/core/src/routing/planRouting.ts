// Routing for one customer message in a conversation: on its first message, whenever the bot wants to
// hand off, and for every new conversation while the bot is off. Reads the rules and the customer's
// profile and decides on the analysis the bot already made (the NLU never runs twice).
import type { BotDecision, MessageAnalysis } from '../bot/bot.ts';
import type { Conversation, Priority } from '../model.ts';
import type { WorkspaceRepositories } from '../ports.ts';
import { decideRouting, type RoutingDecision, type RoutingFacts } from './decideRouting.ts';
import type { StoredCustomerProfile } from './routingStore.ts';
import { customerValue, type TierSettings } from './tiers.ts';

/** Whether this bot decision calls for a routing decision at all. */
export function needsRouting(conversation: Conversation, decision: BotDecision): boolean {
  if (decision.analysis === undefined && !decision.botOff) return false;
  return conversation.routing === null || decision.handoff !== null;
}

export async function planRouting(
  store: Pick<WorkspaceRepositories, 'routing' | 'customerProfiles'>,
  input: { conversation: Conversation; decision: BotDecision; now: Date },
): Promise<RoutingDecision> {
  const { conversation, decision } = input;
  const [rules, settings, profile] = await Promise.all([
    store.routing.listRules(),
    store.routing.settings(),
    store.customerProfiles.get(conversation.customerId),
  ]);
  return decideRouting(
    { rules, defaultQueueId: null },
    routingFacts(decision, { channel: conversation.channel, profile, tiers: settings.tiers }),
    input.now.toISOString(),
  );
}

/** Anger at or above this, with a negative reading, is what makes the bot hand off as a complaint. */
const ANGRY = 0.5;

/**
 * Why a message goes to people when the bot is off: what the bot would have escalated it for (urgency
 * from a complaint, threat or safety signal; clear anger), else just `bot_off`. Without this every
 * message of a switched-off bot had the same reason, so the rules that send complaints and threats to
 * their queue never matched and they waited in the general queue. Mirrors the bot's own escalation
 * rule (its dialogue turn) on the analysis the NLU already made.
 */
export function reasonWithoutBot(a: MessageAnalysis | null): { reason: string; priority: Priority | null } {
  if (a && (a.urgency.level === 'high' || a.urgency.level === 'critical'))
    return {
      reason: `urgency:${a.urgency.signals.join(',') || 'high'}`,
      priority: a.urgency.level === 'critical' ? 'urgent' : 'high',
    };
  if (a?.handoffKind === 'grave') return { reason: 'complaint:grave', priority: 'urgent' };
  if (a?.handoffKind === 'complaint') return { reason: 'complaint', priority: 'high' };
  // The hand-off model's reading, where there is one, has already weighed the anger against the words.
  if (a?.handoffKind === undefined && a && a.sentiment.polarity === 'negative' && a.sentiment.anger >= ANGRY)
    return { reason: 'negative_sentiment', priority: 'high' };
  return { reason: 'bot_off', priority: null };
}

/** The facts rules see: the bot's decision on the message and the customer's stored profile. */
export function routingFacts(
  decision: BotDecision,
  about: { channel: string; profile: StoredCustomerProfile | null; tiers: TierSettings },
): RoutingFacts {
  const { profile } = about;
  const tier = profile?.tier ?? 'new';
  const analysis = decision.analysis ?? null;
  const handoff = decision.handoff;
  // A switched-off bot's decision carries a stand-in hand-off (its notice to the customer), not a reason.
  const off = decision.botOff ? reasonWithoutBot(analysis) : null;
  return {
    analysis,
    channel: about.channel,
    tier,
    customerValue: profile ? customerValue(profile, tier, about.tiers) : 0,
    customerTags: profile?.tags ?? [],
    withinBusinessHours: decision.humansAvailable ?? true,
    // A bot that is off hands every message to people, for what the bot would have escalated it for.
    handoffReason: off ? off.reason : (handoff?.reason ?? null),
    handoffPriority: off ? off.priority : (handoff?.priority ?? null),
    botAvailable: !decision.botOff,
    repeatContact: analysis?.urgency.signals.includes('repeat_contact') ?? false,
  };
}
