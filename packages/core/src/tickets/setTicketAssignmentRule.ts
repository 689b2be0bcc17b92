// Adds or replaces one of the workspace's ticket assignment rules (see assignmentRules.ts for how they
// decide): conditions on category, type and priority; a team, a person and/or skills it routes to.
import { DomainError, notFound } from '../errors.ts';
import type { UseCaseDeps } from '../ports.ts';
import { TICKET_LIMITS, type TicketAssignmentRule, type TicketPriority } from './ticket.ts';

export interface SetTicketAssignmentRuleInput {
  /** Absent: a new rule, placed last unless a position is given. */
  id?: string;
  name: string;
  enabled: boolean;
  category: string | null;
  type: string | null;
  priority: TicketPriority | null;
  queueId: string | null;
  userId: string | null;
  skills: string[];
  position?: number;
}

const invalid = (message: string) => new DomainError('validation_failed', message);
const MAX_SKILLS = 20;

export async function setTicketAssignmentRule(
  deps: UseCaseDeps,
  input: SetTicketAssignmentRuleInput,
): Promise<TicketAssignmentRule> {
  const name = input.name.trim();
  if (!name) throw invalid('name is required');
  const skills = [...new Set(input.skills.map((s) => s.trim()).filter(Boolean))];
  if (skills.length > MAX_SKILLS) throw invalid(`a rule needs at most ${MAX_SKILLS} skills`);
  if (!input.queueId && !input.userId && skills.length === 0)
    throw invalid('a rule routes to a team, a person or agents with skills: name at least one');
  const store = deps.store;
  // The rule first: a rule of another workspace is not found, whatever the body says.
  const rules = await store.tickets.assignmentRules.list();
  const existing = input.id ? rules.find((r) => r.id === input.id) : undefined;
  if (input.id && !existing) throw notFound('assignment rule');
  // Ids in the body that name nothing are the request's mistake (400), not a missing resource (404).
  if (input.queueId && !(await store.queues.get(input.queueId)))
    throw invalid('queueId is not a team of this workspace');
  if (input.userId && !(await store.users.get(input.userId)))
    throw invalid('userId is not a user of this workspace');
  if (!existing && rules.length >= TICKET_LIMITS.assignmentRules)
    throw invalid(`a workspace has at most ${TICKET_LIMITS.assignmentRules} assignment rules`);
  const rule: TicketAssignmentRule = {
    id: existing?.id ?? deps.newId(),
    name,
    enabled: input.enabled,
    category: input.category?.trim() || null,
    type: input.type?.trim() || null,
    priority: input.priority,
    queueId: input.queueId,
    userId: input.userId,
    skills,
    position: input.position ?? existing?.position ?? Math.max(-1, ...rules.map((r) => r.position)) + 1,
    createdAt: existing?.createdAt ?? deps.clock.now().toISOString(),
  };
  await store.tickets.assignmentRules.save(rule);
  return rule;
}
