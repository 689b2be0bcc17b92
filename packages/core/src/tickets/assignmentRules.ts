// Who a new ticket goes to: the first enabled rule (by position) whose conditions match decides the team
// and the person — a fixed person, or the least-loaded agent having every required skill (the rule's and
// the team's), among the team's members when it lists any.
import type { AgentProfile, Queue } from '../queues/queues.ts';
import type { Ticket, TicketAssignmentRule } from './ticket.ts';

export interface AssignmentDecision {
  ruleId: string;
  assigneeId: string | null;
  queueId: string | null;
}

export const ticketRuleMatches = (
  rule: TicketAssignmentRule,
  ticket: Pick<Ticket, 'category' | 'type' | 'priority'>,
): boolean =>
  rule.enabled &&
  (rule.category === null || rule.category === ticket.category) &&
  (rule.type === null || rule.type === ticket.type) &&
  (rule.priority === null || rule.priority === ticket.priority);

export function decideTicketAssignment(input: {
  ticket: Pick<Ticket, 'category' | 'type' | 'priority'>;
  rules: readonly TicketAssignmentRule[];
  queues: readonly Queue[];
  agents: readonly AgentProfile[];
  /** Active tickets each agent holds. */
  load: Readonly<Record<string, number>>;
  /** Users of the workspace (a rule naming a removed user assigns nobody). */
  userIds: ReadonlySet<string>;
}): AssignmentDecision | null {
  const rule = [...input.rules]
    .sort((a, b) => a.position - b.position)
    .find((r) => ticketRuleMatches(r, input.ticket));
  if (!rule) return null;
  const queue = rule.queueId ? (input.queues.find((q) => q.id === rule.queueId) ?? null) : null;
  const queueId = queue?.id ?? null;
  if (rule.userId)
    return { ruleId: rule.id, assigneeId: input.userIds.has(rule.userId) ? rule.userId : null, queueId };
  const skills = [...new Set([...rule.skills, ...(queue?.requiredSkills ?? [])])];
  if (skills.length === 0 && !queue) return { ruleId: rule.id, assigneeId: null, queueId };
  const members = queue && queue.memberIds.length > 0 ? new Set(queue.memberIds) : null;
  const candidates = input.agents
    .filter((a) => input.userIds.has(a.userId))
    .filter((a) => !members || members.has(a.userId))
    .filter((a) => skills.every((s) => a.skills.includes(s)))
    // Least loaded first; people at work before those offline; then a stable order.
    .sort(
      (a, b) =>
        (input.load[a.userId] ?? 0) - (input.load[b.userId] ?? 0) ||
        Number(a.status === 'offline') - Number(b.status === 'offline') ||
        a.userId.localeCompare(b.userId),
    );
  return { ruleId: rule.id, assigneeId: candidates[0]?.userId ?? null, queueId };
}
