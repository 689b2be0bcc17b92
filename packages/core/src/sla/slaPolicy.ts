// SLA policies: response and resolution targets a workspace promises, chosen per ticket by its priority,
// category and the customer's tier (the most specific matching policy wins).
import type { Priority } from '../model.ts';
import type { CustomerTier } from '../routing/rules.ts';

/** What an SLA clock measures: time to the first agent reply, to each next reply, to a solution. */
export type SlaMetric = 'first_response' | 'next_response' | 'resolution';
export const slaMetrics = [
  'first_response',
  'next_response',
  'resolution',
] as const satisfies readonly SlaMetric[];

/** Minutes per metric; null = no target for it. */
export type SlaTargets = Record<SlaMetric, number | null>;

/** What happens when a target is breached (besides the `ticket.sla_breached` event). */
export interface SlaEscalation {
  /** Tell supervisors (console notification). */
  notifySupervisors: boolean;
  /** Raise the ticket's priority one step (low → normal → high → urgent). */
  raisePriority: boolean;
  /** Hand the ticket to this agent; null leaves the assignee alone. */
  reassignToUserId: string | null;
}

export interface SlaConditions {
  /** null = any. */
  priority: Priority | null;
  category: string | null;
  customerTier: CustomerTier | null;
}

export interface SlaPolicy {
  id: string;
  name: string;
  conditions: SlaConditions;
  targets: SlaTargets;
  /** true: counted on the workspace's business calendar; false: around the clock (24×7). */
  businessHours: boolean;
  escalation: SlaEscalation;
  enabled: boolean;
  /** Breaks ties between equally specific policies: lower first. */
  position: number;
  createdAt: string;
  updatedAt: string;
}

/** The facts of a ticket a policy is matched on. */
export interface SlaFacts {
  priority: Priority;
  category: string | null;
  customerTier: CustomerTier | null;
}

const specificity = (c: SlaConditions): number =>
  (c.priority === null ? 0 : 1) + (c.category === null ? 0 : 1) + (c.customerTier === null ? 0 : 1);

export const matchesSla = (c: SlaConditions, facts: SlaFacts): boolean =>
  (c.priority === null || c.priority === facts.priority) &&
  (c.category === null || c.category === facts.category) &&
  (c.customerTier === null || c.customerTier === facts.customerTier);

/** The enabled policy that applies to a ticket: the most conditions met, then the lowest position. */
export function matchSlaPolicy(policies: readonly SlaPolicy[], facts: SlaFacts): SlaPolicy | null {
  let best: SlaPolicy | null = null;
  for (const p of policies) {
    if (!p.enabled || !matchesSla(p.conditions, facts)) continue;
    if (
      !best ||
      specificity(p.conditions) > specificity(best.conditions) ||
      (specificity(p.conditions) === specificity(best.conditions) && p.position < best.position)
    )
      best = p;
  }
  return best;
}

const priorities: readonly Priority[] = ['low', 'normal', 'high', 'urgent'];

/** One step up; urgent stays urgent. */
export const raisedPriority = (p: Priority): Priority =>
  priorities[Math.min(priorities.length - 1, priorities.indexOf(p) + 1)] ?? 'urgent';
