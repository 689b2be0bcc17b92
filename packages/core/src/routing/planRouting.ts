// Routing for one customer message in a conversation: on its first message, whenever the bot wants to
// hand off, and for every new conversation while the bot is off. Reads the rules and the customer's
// profile and decides on the analysis the bot already made (the NLU never runs twice).
import type { BotDecision } from '../bot/bot.ts';
import type { Conversation } from '../model.ts';
import type { WorkspaceRepositories } from '../ports.ts';
import { decideRouting, type RoutingDecision } from './decideRouting.ts';
import { customerValue } from './tiers.ts';

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
  const tier = profile?.tier ?? 'new';
  const analysis = decision.analysis ?? null;
  const handoff = decision.handoff;
  return decideRouting(
    { rules, defaultQueueId: null },
    {
      analysis,
      channel: conversation.channel,
      tier,
      customerValue: profile ? customerValue(profile, tier, settings.tiers) : 0,
      customerTags: profile?.tags ?? [],
      withinBusinessHours: decision.humansAvailable ?? true,
      // A bot that is off hands every message to people; that is its reason.
      handoffReason: handoff ? handoff.reason : decision.botOff ? 'bot_off' : null,
      handoffPriority: handoff?.priority ?? null,
      botAvailable: !decision.botOff,
      repeatContact: analysis?.urgency.signals.includes('repeat_contact') ?? false,
    },
    input.now.toISOString(),
  );
}
