// The SLA policy form's values and their mapping to the API body; target minutes shown as h / min.
import type { SlaPolicyBody, SlaPolicyView } from '@zhike/contracts';
import type { Translate } from '../i18n/catalogue.ts';

export interface PolicyFormValues {
  name: string;
  priority: SlaPolicyBody['conditions']['priority'] | 'any';
  category: string;
  customerTier: SlaPolicyBody['conditions']['customerTier'] | 'any';
  first_response: number | null;
  next_response: number | null;
  resolution: number | null;
  businessHours: boolean;
  notifySupervisors: boolean;
  raisePriority: boolean;
  reassignToUserId: string | null;
  enabled: boolean;
}

export const defaultPolicyValues: PolicyFormValues = {
  name: '',
  priority: 'any',
  category: '',
  customerTier: 'any',
  first_response: 60,
  next_response: 240,
  resolution: 1440,
  businessHours: true,
  notifySupervisors: true,
  raisePriority: true,
  reassignToUserId: null,
  enabled: true,
};

export function policyValues(p: SlaPolicyView): PolicyFormValues {
  return {
    name: p.name,
    priority: p.conditions.priority ?? 'any',
    category: p.conditions.category ?? '',
    customerTier: p.conditions.customerTier ?? 'any',
    ...p.targets,
    businessHours: p.businessHours,
    ...p.escalation,
    enabled: p.enabled,
  };
}

const minutes = (v: number | null | undefined): number | null => (v === null || v === undefined ? null : v);

export function policyBody(v: PolicyFormValues): SlaPolicyBody {
  return {
    name: v.name.trim(),
    conditions: {
      priority: v.priority === 'any' ? null : v.priority,
      category: v.category.trim() || null,
      customerTier: v.customerTier === 'any' ? null : v.customerTier,
    },
    targets: {
      first_response: minutes(v.first_response),
      next_response: minutes(v.next_response),
      resolution: minutes(v.resolution),
    },
    businessHours: v.businessHours,
    escalation: {
      notifySupervisors: v.notifySupervisors,
      raisePriority: v.raisePriority,
      reassignToUserId: v.reassignToUserId ?? null,
    },
    enabled: v.enabled,
  };
}

export function formatMinutes(n: number | null, t: Translate): string {
  if (n === null) return t('sla.policies.none');
  return n % 60 === 0 ? t('sla.policies.hours', { n: n / 60 }) : t('sla.policies.minutes', { n });
}
