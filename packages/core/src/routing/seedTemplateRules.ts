// An industry template's default routing rules become the workspace's on the bot's first compile for that
// template (like its knowledge base): queue keys resolve to the workspace's queues, names take the
// workspace's language, and rules the owner wrote or edited stay.
import type { Locale } from '../model.ts';
import type { WorkspaceRepositories } from '../ports.ts';
import type { RoutingActions, RoutingCondition, RoutingRule } from './rules.ts';

/** A default rule as a template writes it: a queue by key (`general`, `complaints`, `vip`). */
export interface TemplateRoutingRule {
  name: Record<Locale, string>;
  enabled?: boolean;
  conditions: RoutingCondition[];
  actions: Omit<RoutingActions, 'target'> & {
    target: { kind: 'bot' } | { kind: 'queue'; queue: string } | null;
  };
}

export interface TemplateRouting {
  rules: TemplateRoutingRule[];
}

export async function seedTemplateRules(
  deps: { store: Pick<WorkspaceRepositories, 'routing'>; newId: () => string },
  input: {
    templateId: string;
    locale: Locale;
    routing: TemplateRouting;
    /** The workspace's queue id for a template queue key (created if the workspace lacks it). */
    queueIdFor: (key: string) => Promise<string>;
    at: string;
  },
): Promise<boolean> {
  const key = `${input.templateId}/${input.locale}`;
  if ((await deps.store.routing.settings()).seededTemplate === key) return false;
  const rules: Omit<RoutingRule, 'position'>[] = [];
  for (const rule of input.routing.rules) {
    const target = rule.actions.target;
    rules.push({
      id: deps.newId(),
      name: rule.name[input.locale],
      enabled: rule.enabled ?? true,
      conditions: rule.conditions,
      actions: {
        ...rule.actions,
        target:
          target?.kind === 'queue'
            ? { kind: 'queue', queueId: await input.queueIdFor(target.queue) }
            : target,
      },
      origin: 'template',
      createdAt: input.at,
      updatedAt: input.at,
    });
  }
  return deps.store.routing.seedTemplateRules(key, rules, input.at);
}
