// A ticket's priority or category changed: its open SLA clocks count on against the targets of the policy
// that matches it now. Run by trackTicketSla on a `facts_changed` activity, inside its transaction.
import type { WorkspaceRepositories } from '../ports.ts';
import type { Ticket } from '../tickets/ticket.ts';
import type { BusinessClock } from './businessCalendar.ts';
import { retargetClock, type SlaClock } from './slaClock.ts';
import { matchSlaPolicy, type SlaFacts } from './slaPolicy.ts';

/** What a policy is matched on: the ticket's priority and category, its customer's tier. */
export async function slaFactsOf(tx: WorkspaceRepositories, ticket: Ticket): Promise<SlaFacts> {
  const tier = ticket.customerId ? ((await tx.customerProfiles.get(ticket.customerId))?.tier ?? null) : null;
  return { priority: ticket.priority, category: ticket.category, customerTier: tier };
}

/**
 * The clocks with new targets where the matching policy now says otherwise (unchanged ones are returned
 * as they were, so callers write only what moved). With no matching policy, or no target for a clock's
 * metric, the clock keeps the promise it was started with: a reclassification never withdraws a target.
 */
export async function recomputeSlaTargets(
  tx: WorkspaceRepositories,
  ticket: Ticket,
  clocks: readonly SlaClock[],
  clockFor: (businessHours: boolean) => BusinessClock,
  at: Date,
): Promise<SlaClock[]> {
  const facts = await slaFactsOf(tx, ticket);
  const policy = matchSlaPolicy(await tx.sla.policies.list(), facts);
  if (!policy) return [...clocks];
  return clocks.map((c) => {
    const targetMinutes = policy.targets[c.metric];
    if (targetMinutes === null) return c;
    return retargetClock(
      c,
      { policyId: policy.id, targetMinutes, businessHours: policy.businessHours, ...facts },
      { from: clockFor(c.businessHours), to: clockFor(policy.businessHours) },
      at,
    );
  });
}
