// An owner creates or edits a routing rule: checked field by field (queues, users, values) before it is
// stored; an edited template rule becomes the owner's and survives a template switch.
import type { WorkspaceRepositories } from '../ports.ts';
import { checkRoutingRule, type RoutingRule, type RoutingRuleInput, type RuleProblem } from './rules.ts';

export type SaveRoutingRuleResult =
  | { ok: true; rule: RoutingRule }
  | { ok: false; problems: RuleProblem[] }
  | { ok: false; notFound: true };

export async function saveRoutingRule(
  deps: {
    store: Pick<WorkspaceRepositories, 'routing' | 'users' | 'queues'>;
    newId: () => string;
    at: string;
  },
  input: { id: string | null; rule: RoutingRuleInput },
): Promise<SaveRoutingRuleResult> {
  // An unknown rule is not found whatever its body says.
  if (input.id !== null && !(await deps.store.routing.getRule(input.id)))
    return { ok: false, notFound: true };
  const users = await deps.store.users.list();
  // A queue is named by its id, or by its key (`complaints`) as templates and integrators write it.
  const target = input.rule.actions.target;
  const queue =
    target?.kind === 'queue'
      ? ((await deps.store.queues.get(target.queueId)) ?? (await deps.store.queues.findByKey(target.queueId)))
      : null;
  const problems = checkRoutingRule(input.rule, {
    queueIds: new Set(queue ? [target?.kind === 'queue' ? target.queueId : ''] : []),
    userIds: new Set(users.map((u) => u.id)),
  });
  if (problems.length > 0) return { ok: false, problems };
  const rule = {
    ...input.rule,
    name: input.rule.name.trim(),
    actions: {
      ...input.rule.actions,
      target: queue ? { kind: 'queue' as const, queueId: queue.id } : target,
    },
  };
  if (input.id === null) {
    const created = await deps.store.routing.createRule({
      ...rule,
      id: deps.newId(),
      origin: 'owner',
      createdAt: deps.at,
      updatedAt: deps.at,
    });
    return { ok: true, rule: created };
  }
  const updated = await deps.store.routing.updateRule(input.id, rule, deps.at);
  return updated ? { ok: true, rule: updated } : { ok: false, notFound: true };
}
