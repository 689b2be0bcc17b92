// Routing rules, the routing simulator, tier settings and customers' value profiles (issue 6).
import Type from 'typebox';
import { Id, Timestamp } from './common.ts';
import { Priority, RoutingRecord } from './conversations.ts';

const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Word = Type.String({ minLength: 1, maxLength: 64 });
const Words = Type.Array(Word, { minItems: 1, maxItems: 50 });
const Share = Type.Number({ minimum: 0, maximum: 1 });
const Tier = Type.Union([Type.Literal('vip'), Type.Literal('regular'), Type.Literal('new')]);
const closed = { additionalProperties: false } as const;

export const RoutingCondition = Type.Union([
  Type.Object(
    {
      field: Type.Literal('intent'),
      op: Type.Union([Type.Literal('in'), Type.Literal('not_in')]),
      values: Words,
    },
    closed,
  ),
  Type.Object(
    {
      field: Type.Literal('confidence'),
      op: Type.Union([Type.Literal('lt'), Type.Literal('gte')]),
      value: Share,
    },
    closed,
  ),
  Type.Object({ field: Type.Literal('in_scope'), value: Type.Boolean() }, closed),
  Type.Object({ field: Type.Literal('understood'), value: Type.Boolean() }, closed),
  Type.Object(
    {
      field: Type.Literal('sentiment'),
      values: Type.Array(
        Type.Union([Type.Literal('positive'), Type.Literal('negative'), Type.Literal('neutral')]),
        { minItems: 1, maxItems: 3 },
      ),
    },
    closed,
  ),
  Type.Object({ field: Type.Literal('anger'), op: Type.Literal('gte'), value: Share }, closed),
  Type.Object(
    {
      field: Type.Literal('urgency_level'),
      op: Type.Literal('gte'),
      value: Type.Union([
        Type.Literal('low'),
        Type.Literal('normal'),
        Type.Literal('high'),
        Type.Literal('critical'),
      ]),
    },
    closed,
  ),
  Type.Object({ field: Type.Literal('urgency_signal'), values: Words }, closed),
  Type.Object({ field: Type.Literal('language'), values: Words }, closed),
  Type.Object({ field: Type.Literal('channel'), values: Words }, closed),
  Type.Object(
    { field: Type.Literal('tier'), values: Type.Array(Tier, { minItems: 1, maxItems: 3 }) },
    closed,
  ),
  Type.Object({ field: Type.Literal('customer_tag'), values: Words }, closed),
  Type.Object(
    {
      field: Type.Literal('business_hours'),
      value: Type.Union([Type.Literal('within'), Type.Literal('outside')]),
    },
    closed,
  ),
  Type.Object({ field: Type.Literal('handoff'), value: Type.Boolean() }, closed),
  Type.Object({ field: Type.Literal('handoff_reason'), values: Words }, closed),
]);
export type RoutingCondition = Type.Static<typeof RoutingCondition>;

export const RoutingActions = Type.Object(
  {
    target: Nullable(
      Type.Union([
        Type.Object({ kind: Type.Literal('bot') }, closed),
        Type.Object(
          { kind: Type.Literal('queue'), queueId: Type.String({ minLength: 1, maxLength: 64 }) },
          closed,
        ),
      ]),
    ),
    priority: Nullable(Priority),
    tags: Type.Array(Word, { maxItems: 20 }),
    notify: Nullable(
      Type.Object({ userIds: Type.Array(Id, { maxItems: 50 }), supervisors: Type.Boolean() }, closed),
    ),
  },
  closed,
);
export type RoutingActions = Type.Static<typeof RoutingActions>;

export const RoutingRuleBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    enabled: Type.Boolean(),
    conditions: Type.Array(RoutingCondition, { maxItems: 20 }),
    actions: RoutingActions,
  },
  closed,
);
export type RoutingRuleBody = Type.Static<typeof RoutingRuleBody>;

export const RoutingRule = Type.Object({
  id: Id,
  name: Type.String(),
  enabled: Type.Boolean(),
  conditions: Type.Array(RoutingCondition),
  actions: RoutingActions,
  origin: Type.Union([Type.Literal('template'), Type.Literal('owner')]),
  position: Type.Integer(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type RoutingRule = Type.Static<typeof RoutingRule>;

export const RoutingRuleList = Type.Object({ rules: Type.Array(RoutingRule) });
export type RoutingRuleList = Type.Static<typeof RoutingRuleList>;

export const RuleIdParams = Type.Object({ ruleId: Id });
export type RuleIdParams = Type.Static<typeof RuleIdParams>;

export const ReorderRulesBody = Type.Object({ ids: Type.Array(Id, { maxItems: 500 }) }, closed);
export type ReorderRulesBody = Type.Static<typeof ReorderRulesBody>;

export const SimulateRoutingBody = Type.Object(
  {
    text: Type.String({ minLength: 1, maxLength: 2000 }),
    channel: Type.Optional(Word),
    /** A stored customer's profile, or the tier and tags given here. */
    customerId: Type.Optional(Id),
    tier: Type.Optional(Tier),
    tags: Type.Optional(Type.Array(Word, { maxItems: 20 })),
  },
  closed,
);
export type SimulateRoutingBody = Type.Static<typeof SimulateRoutingBody>;

export const SimulatedRouting = Type.Object({
  decision: RoutingRecord,
  /** What the bot would have said (its first-turn replies), when it keeps the conversation. */
  botReplies: Type.Array(Type.String()),
  /** Every enabled rule and whether it matched, in order (the one that decided is `ruleId`). */
  matched: Type.Array(Type.Object({ ruleId: Id, name: Type.String(), matched: Type.Boolean() })),
});
export type SimulatedRouting = Type.Static<typeof SimulatedRouting>;

export const TierSettings = Type.Object(
  {
    vipMemberLevels: Type.Array(Word, { maxItems: 50 }),
    /** Fen (1 CNY = 100 fen). */
    vipSpendFen: Type.Integer({ minimum: 0, maximum: 1e13 }),
    vipTags: Type.Array(Word, { maxItems: 50 }),
    regularOrderCount: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
  },
  closed,
);
export type TierSettings = Type.Static<typeof TierSettings>;

export const CustomerProfileBody = Type.Object(
  {
    memberLevel: Nullable(Type.String({ maxLength: 64 })),
    /** Fen (1 CNY = 100 fen). */
    lifetimeSpendFen: Type.Integer({ minimum: 0, maximum: 1e13 }),
    orderCount: Type.Integer({ minimum: 0, maximum: 10_000_000 }),
    tags: Type.Array(Word, { maxItems: 50 }),
  },
  closed,
);
export type CustomerProfileBody = Type.Static<typeof CustomerProfileBody>;

export const CustomerProfile = Type.Object({
  customerId: Id,
  memberLevel: Nullable(Type.String()),
  lifetimeSpendFen: Type.Integer(),
  orderCount: Type.Integer(),
  tags: Type.Array(Type.String()),
  tier: Tier,
  updatedAt: Nullable(Timestamp),
});
export type CustomerProfile = Type.Static<typeof CustomerProfile>;

export const CustomerIdParams = Type.Object({ customerId: Id });
export type CustomerIdParams = Type.Static<typeof CustomerIdParams>;

/** A profile for a customer the integrator knows by its external id, phone or email. */
export const BulkProfileEntry = Type.Object(
  {
    externalId: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    phone: Type.Optional(Type.String({ maxLength: 32, pattern: '^\\+?[0-9 -]{4,31}$' })),
    email: Type.Optional(Type.String({ maxLength: 254, format: 'email' })),
    ...CustomerProfileBody.properties,
  },
  closed,
);
export const BulkProfilesBody = Type.Object(
  { profiles: Type.Array(BulkProfileEntry, { minItems: 1, maxItems: 1000 }) },
  closed,
);
export type BulkProfilesBody = Type.Static<typeof BulkProfilesBody>;

export const ProfilesApplied = Type.Object({
  updated: Type.Integer(),
  /** Line or entry numbers (1-based) whose customer is not known here, with why. */
  unmatched: Type.Array(Type.Object({ line: Type.Integer(), reason: Type.String() })),
});
export type ProfilesApplied = Type.Static<typeof ProfilesApplied>;

/** CSV columns of the profile import (first line); a row names its customer by one of the first three. */
export const PROFILE_CSV_HEADER = 'external_id,phone,email,member_level,lifetime_spend,order_count,tags';

export const ProfileImportQuery = Type.Object(
  { commit: Type.Optional(Type.Boolean({ description: 'false (default): preview only' })) },
  closed,
);
export type ProfileImportQuery = Type.Static<typeof ProfileImportQuery>;

export const ProfileImportResult = Type.Object({
  committed: Type.Boolean(),
  rows: Type.Integer(),
  matched: Type.Integer(),
  /** Rows the import would change (preview) or changed, with the tier each customer gets. */
  tiers: Type.Object({ vip: Type.Integer(), regular: Type.Integer(), new: Type.Integer() }),
  problems: Type.Array(Type.Object({ line: Type.Integer(), message: Type.String() })),
});
export type ProfileImportResult = Type.Static<typeof ProfileImportResult>;
