// Rule conditions as the editor shows them: one "kind" per row (intent in / not in, confidence below /
// at least …) with a value widget each, converted to and from the API's conditions, and a one-line
// description for the rule list.
import type { RoutingCondition } from '@zhike/contracts';
import type { MessageKey } from '../i18n/catalogue.ts';

export type ConditionKind =
  | 'intent_in'
  | 'intent_not_in'
  | 'confidence_lt'
  | 'confidence_gte'
  | 'in_scope'
  | 'understood'
  | 'sentiment'
  | 'anger'
  | 'urgency_level'
  | 'urgency_signal'
  | 'language'
  | 'channel'
  | 'tier'
  | 'customer_tag'
  | 'business_hours'
  | 'handoff'
  | 'handoff_reason';

/** What a value widget edits: a list, a number (0..1), a yes/no, or one choice. */
export type ValueWidget = 'tags' | 'share' | 'boolean' | 'sentiment' | 'urgency' | 'tier' | 'hours';

export const CONDITION_KINDS: readonly { kind: ConditionKind; label: MessageKey; widget: ValueWidget }[] = [
  { kind: 'intent_in', label: 'routing.field.intent', widget: 'tags' },
  { kind: 'intent_not_in', label: 'routing.field.intentNot', widget: 'tags' },
  { kind: 'confidence_lt', label: 'routing.field.confidenceBelow', widget: 'share' },
  { kind: 'confidence_gte', label: 'routing.field.confidenceAtLeast', widget: 'share' },
  { kind: 'in_scope', label: 'routing.field.in_scope', widget: 'boolean' },
  { kind: 'understood', label: 'routing.field.understood', widget: 'boolean' },
  { kind: 'sentiment', label: 'routing.field.sentiment', widget: 'sentiment' },
  { kind: 'anger', label: 'routing.field.anger', widget: 'share' },
  { kind: 'urgency_level', label: 'routing.field.urgency_level', widget: 'urgency' },
  { kind: 'urgency_signal', label: 'routing.field.urgency_signal', widget: 'tags' },
  { kind: 'language', label: 'routing.field.language', widget: 'tags' },
  { kind: 'channel', label: 'routing.field.channel', widget: 'tags' },
  { kind: 'tier', label: 'routing.field.tier', widget: 'tier' },
  { kind: 'customer_tag', label: 'routing.field.customer_tag', widget: 'tags' },
  { kind: 'business_hours', label: 'routing.field.business_hours', widget: 'hours' },
  { kind: 'handoff', label: 'routing.field.handoff', widget: 'boolean' },
  { kind: 'handoff_reason', label: 'routing.field.handoff_reason', widget: 'tags' },
];

export const widgetOf = (kind: ConditionKind): ValueWidget =>
  CONDITION_KINDS.find((k) => k.kind === kind)?.widget ?? 'tags';

/** One editor row. */
export interface ConditionRow {
  kind: ConditionKind;
  values?: string[];
  share?: number;
  flag?: boolean;
  choice?: string;
}

export function toRow(c: RoutingCondition): ConditionRow {
  switch (c.field) {
    case 'intent':
      return { kind: c.op === 'in' ? 'intent_in' : 'intent_not_in', values: c.values };
    case 'confidence':
      return { kind: c.op === 'lt' ? 'confidence_lt' : 'confidence_gte', share: c.value };
    case 'anger':
      return { kind: 'anger', share: c.value };
    case 'in_scope':
    case 'understood':
    case 'handoff':
      return { kind: c.field, flag: c.value };
    case 'urgency_level':
      return { kind: 'urgency_level', choice: c.value };
    case 'business_hours':
      return { kind: 'business_hours', choice: c.value };
    case 'sentiment':
    case 'tier':
    case 'urgency_signal':
    case 'language':
    case 'channel':
    case 'customer_tag':
    case 'handoff_reason':
      return { kind: c.field, values: [...c.values] };
  }
}

export function fromRow(row: ConditionRow): RoutingCondition {
  const values = row.values ?? [];
  const share = row.share ?? 0;
  switch (row.kind) {
    case 'intent_in':
      return { field: 'intent', op: 'in', values };
    case 'intent_not_in':
      return { field: 'intent', op: 'not_in', values };
    case 'confidence_lt':
      return { field: 'confidence', op: 'lt', value: share };
    case 'confidence_gte':
      return { field: 'confidence', op: 'gte', value: share };
    case 'anger':
      return { field: 'anger', op: 'gte', value: share };
    case 'in_scope':
    case 'understood':
    case 'handoff':
      return { field: row.kind, value: row.flag ?? true };
    case 'urgency_level':
      return {
        field: 'urgency_level',
        op: 'gte',
        value: (row.choice ?? 'high') as 'low' | 'normal' | 'high' | 'critical',
      };
    case 'business_hours':
      return { field: 'business_hours', value: row.choice === 'outside' ? 'outside' : 'within' };
    case 'sentiment':
      return { field: 'sentiment', values: values as ('positive' | 'negative' | 'neutral')[] };
    case 'tier':
      return { field: 'tier', values: values as ('vip' | 'regular' | 'new')[] };
    case 'urgency_signal':
    case 'language':
    case 'channel':
    case 'customer_tag':
    case 'handoff_reason':
      return { field: row.kind, values };
  }
}

/** "客户等级: VIP" — a condition in a few words for the rule list. */
export function describeCondition(c: RoutingCondition, t: (key: MessageKey) => string): string {
  const row = toRow(c);
  const label = t(CONDITION_KINDS.find((k) => k.kind === row.kind)?.label ?? 'routing.field.intent');
  if (row.values) return `${label}: ${row.values.join(' / ')}`;
  if (row.share !== undefined) return `${label} ${row.share}`;
  if (row.flag !== undefined) return `${label}: ${t(row.flag ? 'routing.yes' : 'routing.no')}`;
  if (row.kind === 'business_hours')
    return t(row.choice === 'outside' ? 'routing.outside' : 'routing.within');
  return `${label} ${row.choice ?? ''}`;
}
