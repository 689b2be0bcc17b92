// Routing for one customer message in a conversation: on its first message, whenever the bot wants to
// hand off, and for every new conversation while the bot is off. Reads the rules and the customer's
// profile and decides on the analysis the bot already made (the NLU never runs twice).
import type { BotDecision } from '../bot/bot.ts';
import type { Conversation } from '../model.ts';
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

/** The facts rules see: the bot's decision on the message and the customer's stored profile. */
export function routingFacts(
  decision: BotDecision,
  about: { channel: string; profile: StoredCustomerProfile | null; tiers: TierSettings },
): RoutingFacts {
  const { profile } = about;
  const tier = profile?.tier ?? 'new';
  const analysis = decision.analysis ?? null;
  const handoff = decision.handoff;
  return {
    analysis,
    channel: about.channel,
    tier,
    customerValue: profile ? customerValue(profile, tier, about.tiers) : 0,
    customerTags: profile?.tags ?? [],
    withinBusinessHours: decision.humansAvailable ?? true,
    // A bot that is off hands every message to people; that is its reason.
    handoffReason: handoff ? handoff.reason : decision.botOff ? 'bot_off' : null,
    handoffPriority: handoff?.priority ?? null,
    botAvailable: !decision.botOff,
    repeatContact: analysis?.urgency.signals.includes('repeat_contact') ?? false,
  };
}
