// Each workspace's ticket configuration: custom field definitions, assignment rules and the
// reopen window with the customer-notification switch. (The stored close window is not offered: nothing
// closes solved tickets on a timer yet.)
import Type from 'typebox';
import { Id, Timestamp } from './common.ts';
import { TicketPriority } from './tickets.ts';

const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const CustomFieldKind = Type.Union([
  Type.Literal('text'),
  Type.Literal('number'),
  Type.Literal('select'),
  Type.Literal('date'),
]);
const FieldKey = Type.String({
  pattern: '^[a-z][a-z0-9_]{0,39}$',
  description: 'Tickets store values under it: lower-case letters, digits, underscores',
});
const Label = Type.String({ minLength: 1, maxLength: 60 });
const Options = Type.Array(Type.String({ minLength: 1, maxLength: 100 }), {
  maxItems: 50,
  description: "A select's choices",
});
const Position = Type.Integer({ minimum: 0, maximum: 10_000 });

export const TicketFieldDefinition = Type.Object({
  id: Id,
  key: Type.String(),
  label: Type.String({ description: "The workspace's own label (usually Chinese)" }),
  labelEn: Nullable(Type.String({ description: 'English label; null: `label` serves both' })),
  kind: CustomFieldKind,
  options: Type.Array(Type.String()),
  required: Type.Boolean({ description: 'People opening a ticket (agents, the API) must fill it' }),
  position: Type.Integer(),
  archived: Type.Boolean({ description: 'Kept on old tickets, offered on none' }),
  createdAt: Timestamp,
});
export type TicketFieldDefinition = Type.Static<typeof TicketFieldDefinition>;

export const TicketFieldList = Type.Object({ fields: Type.Array(TicketFieldDefinition) });
export type TicketFieldList = Type.Static<typeof TicketFieldList>;

export const TicketFieldBody = Type.Object(
  {
    key: FieldKey,
    label: Label,
    labelEn: Type.Optional(Nullable(Type.String({ maxLength: 60 }))),
    kind: CustomFieldKind,
    options: Type.Optional(Options),
    required: Type.Optional(Type.Boolean()),
    position: Type.Optional(Position),
  },
  { additionalProperties: false },
);
export type TicketFieldBody = Type.Static<typeof TicketFieldBody>;

/** Key and kind are fixed once a field exists: tickets hold values under them. */
export const TicketFieldPatchBody = Type.Object(
  {
    label: Type.Optional(Label),
    labelEn: Type.Optional(Nullable(Type.String({ maxLength: 60 }))),
    options: Type.Optional(Options),
    required: Type.Optional(Type.Boolean()),
    position: Type.Optional(Position),
    archived: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type TicketFieldPatchBody = Type.Static<typeof TicketFieldPatchBody>;

export const TicketFieldView = Type.Object({ field: TicketFieldDefinition });
export type TicketFieldView = Type.Static<typeof TicketFieldView>;

export const TicketAssignmentRule = Type.Object({
  id: Id,
  name: Type.String(),
  position: Type.Integer(),
  enabled: Type.Boolean(),
  category: Nullable(Type.String()),
  type: Nullable(Type.String()),
  priority: Nullable(TicketPriority),
  queueId: Nullable(Type.String()),
  userId: Nullable(Type.String()),
  skills: Type.Array(Type.String()),
  createdAt: Timestamp,
});
export type TicketAssignmentRule = Type.Static<typeof TicketAssignmentRule>;

export const TicketAssignmentRuleList = Type.Object({
  rules: Type.Array(TicketAssignmentRule, { description: 'By position: the first enabled match decides' }),
});
export type TicketAssignmentRuleList = Type.Static<typeof TicketAssignmentRuleList>;

export const TicketAssignmentRuleBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 80 }),
    enabled: Type.Boolean(),
    /** Conditions; null matches any ticket. */
    category: Nullable(Type.String({ maxLength: 60 })),
    type: Nullable(Type.String({ maxLength: 40, pattern: '^([a-z][a-z0-9_]*)?$' })),
    priority: Nullable(TicketPriority),
    /** Where it goes: a team (its members), a person, and/or the least-loaded agent with these skills. */
    queueId: Nullable(Type.String({ minLength: 1, maxLength: 100 })),
    userId: Nullable(Id),
    skills: Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { maxItems: 20 }),
    position: Type.Optional(Position),
  },
  { additionalProperties: false },
);
export type TicketAssignmentRuleBody = Type.Static<typeof TicketAssignmentRuleBody>;

export const TicketAssignmentRuleView = Type.Object({ rule: TicketAssignmentRule });
export type TicketAssignmentRuleView = Type.Static<typeof TicketAssignmentRuleView>;

export const TicketSettings = Type.Object(
  {
    reopenDays: Type.Integer({
      minimum: 0,
      maximum: 365,
      description: 'A customer reply within this many days of solving reopens the ticket (0: never)',
    }),
    notifyCustomer: Type.Boolean({ description: 'Tell the customer of status changes on their channel' }),
  },
  { additionalProperties: false },
);
export type TicketSettings = Type.Static<typeof TicketSettings>;
