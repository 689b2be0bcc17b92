// Routing rules: an owner's ordered list of "when these facts hold, do this" for first messages and
// hand-offs. Plain JSON, stored per workspace, edited in the console, evaluated by decideRouting.
import type { Priority } from '../model.ts';

export type CustomerTier = 'vip' | 'regular' | 'new';
export const customerTiers: readonly CustomerTier[] = ['vip', 'regular', 'new'];
export const urgencyLevels = ['low', 'normal', 'high', 'critical'] as const;
export type UrgencyLevel = (typeof urgencyLevels)[number];
export const polarities = ['positive', 'negative', 'neutral'] as const;
export const priorities: readonly Priority[] = ['low', 'normal', 'high', 'urgent'];

/** One fact test; every condition of a rule must hold. */
export type RoutingCondition =
  /** The understood intent (`faq:<id>` or an intent name); `not_in` also holds when nothing was understood. */
  | { field: 'intent'; op: 'in' | 'not_in'; values: string[] }
  | { field: 'confidence'; op: 'lt' | 'gte'; value: number }
  /** Whether the message is something the bot knows about at all (false: out of scope). */
  | { field: 'in_scope'; value: boolean }
  /** Whether the bot understood it well enough to act (false: it would ask to rephrase or clarify). */
  | { field: 'understood'; value: boolean }
  | { field: 'sentiment'; values: ('positive' | 'negative' | 'neutral')[] }
  | { field: 'anger'; op: 'gte'; value: number }
  | { field: 'urgency_level'; op: 'gte'; value: UrgencyLevel }
  /** Any of these urgency signals present (complaint, safety, regulator_threat …). */
  | { field: 'urgency_signal'; values: string[] }
  | { field: 'language'; values: string[] }
  | { field: 'channel'; values: string[] }
  | { field: 'tier'; values: CustomerTier[] }
  /** The customer carries any of these tags. */
  | { field: 'customer_tag'; values: string[] }
  | { field: 'business_hours'; value: 'within' | 'outside' }
  /** The bot wants to hand off (true) or answered (false). */
  | { field: 'handoff'; value: boolean }
  /** The bot's hand-off reason starts with one of these (`urgency` matches `urgency:complaint`). */
  | { field: 'handoff_reason'; values: string[] };

export type RoutingConditionField = RoutingCondition['field'];

export interface RoutingActions {
  /** Who takes the conversation; null: this rule only tags or notifies, and evaluation continues. */
  target: { kind: 'bot' } | { kind: 'queue'; queueId: string } | null;
  /** The band the conversation carries; null: from the priority score. */
  priority: Priority | null;
  /** Added to the conversation's tags. */
  tags: string[];
  /** Who hears about it in the console: named users and/or the workspace's supervisors. */
  notify: { userIds: string[]; supervisors: boolean } | null;
}

export interface RoutingRule {
  id: string;
  name: string;
  enabled: boolean;
  conditions: RoutingCondition[];
  actions: RoutingActions;
  /** Seeded from the industry template and not edited since (replaced when the template changes). */
  origin: 'template' | 'owner';
  position: number;
  createdAt: string;
  updatedAt: string;
}

/** What an owner writes; ids, order and timestamps are the store's. */
export type RoutingRuleInput = Pick<RoutingRule, 'name' | 'enabled' | 'conditions' | 'actions'>;

/** A problem with a rule, pointing at the field (`conditions/2/value`, `actions/target/queueId`). */
export interface RuleProblem {
  path: string;
  message: string;
}

const stringList = (v: unknown): v is string[] =>
  Array.isArray(v) && v.length > 0 && v.every((s) => typeof s === 'string' && s.trim() !== '');

/**
 * Checks a rule beyond its JSON shape: lists non-empty, numbers in range, known values, a queue that
 * exists (`queueIds` null: queues cannot be checked here).
 */
export function checkRoutingRule(
  rule: RoutingRuleInput,
  known: { queueIds: ReadonlySet<string> | null; userIds: ReadonlySet<string> },
): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });
  if (rule.name.trim() === '') add('name', 'must not be empty');
  rule.conditions.forEach((c, i) => {
    const at = `conditions/${i}`;
    switch (c.field) {
      case 'confidence':
      case 'anger':
        if (!(c.value >= 0 && c.value <= 1)) add(`${at}/value`, 'must be between 0 and 1');
        break;
      case 'urgency_level':
        if (!urgencyLevels.includes(c.value))
          add(`${at}/value`, `must be one of ${urgencyLevels.join(', ')}`);
        break;
      case 'sentiment':
        if (!stringList(c.values) || c.values.some((v) => !polarities.includes(v)))
          add(`${at}/values`, `must list some of ${polarities.join(', ')}`);
        break;
      case 'tier':
        if (!stringList(c.values) || c.values.some((v) => !customerTiers.includes(v)))
          add(`${at}/values`, `must list some of ${customerTiers.join(', ')}`);
        break;
      case 'intent':
      case 'urgency_signal':
      case 'language':
      case 'channel':
      case 'customer_tag':
      case 'handoff_reason':
        if (!stringList(c.values)) add(`${at}/values`, 'must list at least one non-empty value');
        break;
      case 'in_scope':
      case 'understood':
      case 'business_hours':
      case 'handoff':
        break;
    }
  });
  const { target, notify, tags } = rule.actions;
  if (target?.kind === 'queue' && known.queueIds && !known.queueIds.has(target.queueId))
    add('actions/target/queueId', 'no such queue');
  if (tags.some((t) => t.trim() === '')) add('actions/tags', 'tags must not be empty');
  notify?.userIds.forEach((id, i) => {
    if (!known.userIds.has(id)) add(`actions/notify/userIds/${i}`, 'no such user');
  });
  if (notify && notify.userIds.length === 0 && !notify.supervisors)
    add('actions/notify', 'name at least one user or the supervisors');
  if (!target && !notify && tags.length === 0 && rule.actions.priority === null)
    add('actions', 'a rule must route, tag, notify or set a priority');
  return problems;
}
