// What routing needs from storage: the workspace's rules and tier settings, and customers' profiles.
import type { RoutingRule, RoutingRuleInput } from './rules.ts';
import type { CustomerProfile, TierSettings } from './tiers.ts';

export interface RoutingSettings {
  tiers: TierSettings;
  /** The template (`<id>/<locale>`) whose default rules were seeded last; null before the first seed. */
  seededTemplate: string | null;
  updatedAt: string | null;
}

export interface RoutingRepository {
  /** In evaluation order. */
  listRules(): Promise<RoutingRule[]>;
  getRule(id: string): Promise<RoutingRule | null>;
  /** Appends the rule at the end of the order. */
  createRule(rule: Omit<RoutingRule, 'position'>): Promise<RoutingRule>;
  /** Replaces what an owner edits; the rule becomes the owner's (`origin: owner`). Null when unknown. */
  updateRule(id: string, input: RoutingRuleInput, at: string): Promise<RoutingRule | null>;
  deleteRule(id: string): Promise<boolean>;
  /** `ids` must name every rule exactly once; false otherwise (nothing changes). */
  reorder(ids: readonly string[], at: string): Promise<boolean>;
  settings(): Promise<RoutingSettings>;
  saveTierSettings(tiers: TierSettings, at: string): Promise<RoutingSettings>;
  /**
   * Puts a template's default rules in place of the previous template's unedited ones (the owner's own
   * and edited rules stay, first), and remembers the template. Idempotent per template key.
   */
  seedTemplateRules(
    templateKey: string,
    rules: readonly Omit<RoutingRule, 'position'>[],
    at: string,
  ): Promise<boolean>;
}

export interface StoredCustomerProfile extends CustomerProfile {
  tier: 'vip' | 'regular' | 'new';
  /** When the profile last changed; null when the shop never told us anything about the customer. */
  updatedAt: string | null;
}

export interface CustomerProfilesRepository {
  /** Null when there is no such customer. */
  get(customerId: string): Promise<StoredCustomerProfile | null>;
  /** False when there is no such customer. */
  save(
    customerId: string,
    profile: CustomerProfile & { tier: StoredCustomerProfile['tier'] },
    at: string,
  ): Promise<boolean>;
  /** Every customer's id and phone lookup key (blind index), for matching orders by phone. */
  phoneKeys(): Promise<{ customerId: string; phoneKey: string }[]>;
  /** The blind-index form of a phone, as phoneKeys returns it; null when it is not a phone number. */
  phoneKey(phone: string): Promise<string | null>;
  /** Every customer's stored profile, for recomputing tiers when thresholds change. */
  all(): Promise<(StoredCustomerProfile & { customerId: string })[]>;
}
