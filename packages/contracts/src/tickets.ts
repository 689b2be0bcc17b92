// Tickets: the ticket with its lifecycle, its timeline, and the requests that open and move it.
import Type from 'typebox';
import { Id, Limit, Timestamp } from './common.ts';
import { KnowledgeSearchHit } from './knowledgeSearch.ts';
import { SlaMetric } from './sla.ts';

const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const TicketStatus = Type.Union(
  [
    Type.Literal('new'),
    Type.Literal('open'),
    Type.Literal('pending'),
    Type.Literal('solved'),
    Type.Literal('closed'),
  ],
  { description: 'new → open → pending → solved → closed; solved reopens to open' },
);
export const PendingReason = Type.Union([Type.Literal('customer'), Type.Literal('third_party')]);
export const TicketPriority = Type.Union([
  Type.Literal('low'),
  Type.Literal('normal'),
  Type.Literal('high'),
  Type.Literal('urgent'),
]);
export const TicketSource = Type.Union([
  Type.Literal('bot'),
  Type.Literal('agent'),
  Type.Literal('email'),
  Type.Literal('api'),
  Type.Literal('survey'),
  Type.Literal('system'),
]);
export const CustomFieldValue = Type.Union([Type.String({ maxLength: 2000 }), Type.Number()]);
const CustomFields = Type.Record(Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$' }), CustomFieldValue);
const TicketType = Type.String({ minLength: 1, maxLength: 40, pattern: '^[a-z][a-z0-9_]*$' });
const Category = Type.String({ minLength: 1, maxLength: 60 });
const OrderNumbers = Type.Array(Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }), {
  maxItems: 20,
});

export const Ticket = Type.Object({
  id: Id,
  number: Type.String({ description: 'T + date + per-day sequence, e.g. T2026112500001' }),
  type: Type.String({ description: 'refund | return | exchange | fault | …' }),
  category: Nullable(Type.String()),
  subject: Type.String(),
  description: Nullable(Type.String()),
  fields: Type.Record(Type.String(), Type.String(), { description: "What the bot's form collected" }),
  customFields: Type.Record(Type.String(), CustomFieldValue),
  status: TicketStatus,
  pendingReason: Nullable(PendingReason),
  priority: TicketPriority,
  source: TicketSource,
  conversationId: Nullable(Id),
  customerId: Nullable(Id),
  assigneeId: Nullable(Id),
  queueId: Nullable(Type.String()),
  orderNumbers: Type.Array(Type.String()),
  mergedIntoId: Nullable(Id),
  createdBy: Nullable(Type.String()),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  solvedAt: Nullable(Timestamp),
  closedAt: Nullable(Timestamp),
});
export type Ticket = Type.Static<typeof Ticket>;

export const TicketEntry = Type.Object({
  id: Id,
  ticketId: Id,
  kind: Type.String({
    description: 'created | reply | note | status | assignment | priority | fields | merge | …',
  }),
  authorType: Type.Union([
    Type.Literal('user'),
    Type.Literal('customer'),
    Type.Literal('bot'),
    Type.Literal('system'),
    Type.Literal('api'),
  ]),
  authorId: Nullable(Type.String()),
  body: Nullable(Type.String()),
  data: Type.Record(Type.String(), Type.Unknown()),
  mentions: Type.Array(Type.String()),
  messageId: Nullable(Id),
  createdAt: Timestamp,
});
export type TicketEntry = Type.Static<typeof TicketEntry>;

/** Who the ticket is for, as lists show it (name and phone masked). */
export const TicketCustomer = Type.Object({
  id: Id,
  name: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  externalId: Nullable(Type.String({ description: "The integrator's id for API-channel customers" })),
});
export type TicketCustomer = Type.Static<typeof TicketCustomer>;

/** The SLA target that needs attention first: the most urgent open one, else whether all were kept. */
export const TicketSlaSummary = Type.Object({
  metric: SlaMetric,
  state: Type.Union(
    [
      Type.Literal('breached'),
      Type.Literal('warning'),
      Type.Literal('running'),
      Type.Literal('paused'),
      Type.Literal('met'),
    ],
    {
      description:
        'breached: a target missed (open or met late); warning: 75 % used; paused: pending on the customer; met: all kept',
    },
  ),
  dueAt: Nullable(Timestamp),
  breachedAt: Nullable(Timestamp),
});
export type TicketSlaSummary = Type.Static<typeof TicketSlaSummary>;

/** A ticket as the list shows it: with its customer and its SLA at the time of the request. */
export const TicketListItem = Type.Object({
  ...Ticket.properties,
  customer: Nullable(TicketCustomer),
  sla: Nullable(TicketSlaSummary),
});
export type TicketListItem = Type.Static<typeof TicketListItem>;

export const TicketList = Type.Object({
  tickets: Type.Array(TicketListItem),
  /** Pass as `before` for the next page; null on the last. */
  nextCursor: Nullable(Id),
});
export type TicketList = Type.Static<typeof TicketList>;

export const TicketQuery = Type.Object(
  {
    limit: Type.Optional(Limit),
    status: Type.Optional(TicketStatus),
    priority: Type.Optional(TicketPriority),
    /** A user id, or `none` for unassigned, or `me`. */
    assignee: Type.Optional(Type.Union([Id, Type.Literal('none'), Type.Literal('me')])),
    category: Type.Optional(Category),
    type: Type.Optional(TicketType),
    queueId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    customerId: Type.Optional(Id),
    conversationId: Type.Optional(Id),
    before: Type.Optional(Id),
  },
  { additionalProperties: false },
);
export type TicketQuery = Type.Static<typeof TicketQuery>;

export const TicketBody = Type.Object(
  {
    subject: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.Optional(Type.String({ maxLength: 10_000 })),
    type: Type.Optional(TicketType),
    category: Type.Optional(Category),
    priority: Type.Optional(TicketPriority),
    /** Open it from a conversation: the customer and the transcript come with it. */
    conversationId: Type.Optional(Id),
    customerId: Type.Optional(Id),
    customFields: Type.Optional(CustomFields),
    orderNumbers: Type.Optional(OrderNumbers),
    /** Assign explicitly instead of by the assignment rules. */
    assigneeId: Type.Optional(Id),
    /** Same key, same ticket: a retried request does not open a second one. */
    idempotencyKey: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type TicketBody = Type.Static<typeof TicketBody>;

export const TicketStatusBody = Type.Object(
  {
    status: TicketStatus,
    pendingReason: Type.Optional(PendingReason),
    /** Why (e.g. how it was solved): kept as an internal note on the timeline. */
    note: Type.Optional(Type.String({ minLength: 1, maxLength: 10_000 })),
  },
  { additionalProperties: false },
);
export type TicketStatusBody = Type.Static<typeof TicketStatusBody>;

export const TicketAssignBody = Type.Object(
  {
    assigneeId: Nullable(Id),
    queueId: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 100 }))),
  },
  { additionalProperties: false },
);
export type TicketAssignBody = Type.Static<typeof TicketAssignBody>;

export const TicketPatchBody = Type.Object(
  {
    subject: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    type: Type.Optional(TicketType),
    category: Type.Optional(Nullable(Category)),
    priority: Type.Optional(TicketPriority),
    customFields: Type.Optional(CustomFields),
    orderNumbers: Type.Optional(OrderNumbers),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type TicketPatchBody = Type.Static<typeof TicketPatchBody>;

export const TicketCommentBody = Type.Object(
  {
    body: Type.String({ minLength: 1, maxLength: 10_000 }),
    /** internal: a note for colleagues (mentions notify them); public: a reply sent to the customer. */
    visibility: Type.Union([Type.Literal('internal'), Type.Literal('public')]),
  },
  { additionalProperties: false },
);
export type TicketCommentBody = Type.Static<typeof TicketCommentBody>;

export const TicketMergeBody = Type.Object(
  {
    /** The ticket that carries on; this one is closed as its duplicate. */
    intoId: Id,
    /** Merge even when the tickets are for different customers (refused otherwise). */
    force: Type.Optional(Type.Boolean()),
    /** Why: kept on the duplicate's timeline. */
    note: Type.Optional(Type.String({ minLength: 1, maxLength: 10_000 })),
  },
  { additionalProperties: false },
);
export type TicketMergeBody = Type.Static<typeof TicketMergeBody>;

export const TicketMergeView = Type.Object({
  /** The duplicate, now closed with `mergedIntoId`. */
  ticket: Ticket,
  into: Ticket,
});
export type TicketMergeView = Type.Static<typeof TicketMergeView>;

/** A duplicate merged into a ticket: its timeline stays on it, one click away. */
export const MergedTicket = Type.Object({ id: Id, number: Type.String(), subject: Type.String() });

export const TicketDetail = Type.Object({
  ticket: TicketListItem,
  /** The statuses the lifecycle allows from the current one, in lifecycle order. */
  moves: Type.Array(TicketStatus),
  entries: Type.Array(TicketEntry),
  watchers: Type.Array(Type.String()),
  attachmentIds: Type.Array(Id),
  /** Duplicates merged into this ticket. */
  merged: Type.Array(MergedTicket),
});
export type TicketDetail = Type.Static<typeof TicketDetail>;

export const TicketView = Type.Object({ ticket: Ticket });
export type TicketView = Type.Static<typeof TicketView>;

/** What the assignee sees on a ticket: knowledge the bot would answer from, and similar solved tickets. */
export const TicketSolutions = Type.Object({
  /** The ticket these are for. */
  ticketId: Id,
  articles: Type.Array(KnowledgeSearchHit),
  tickets: Type.Array(
    Type.Object({
      id: Id,
      number: Type.String(),
      subject: Type.String(),
      type: Type.String(),
      category: Nullable(Type.String()),
      solvedAt: Nullable(Timestamp),
      score: Type.Number(),
      /** The agent's note when solving it, else the last public reply; null when nobody wrote it down. */
      solution: Nullable(Type.String()),
    }),
  ),
});
export type TicketSolutions = Type.Static<typeof TicketSolutions>;

export const TicketWatchers = Type.Object({
  /** User ids, in the order they started watching. */
  watchers: Type.Array(Type.String()),
});
export type TicketWatchers = Type.Static<typeof TicketWatchers>;

export const TicketWatchBody = Type.Object(
  {
    /** Whom to add; absent: the signed-in user (an API key must name one). */
    userId: Type.Optional(Id),
  },
  { additionalProperties: false },
);
export type TicketWatchBody = Type.Static<typeof TicketWatchBody>;

export const TicketWatcherParams = Type.Object({ id: Id, userId: Id });
export type TicketWatcherParams = Type.Static<typeof TicketWatcherParams>;

/** An internal note that @mentions the signed-in user, with the ticket it is on. */
export const TicketMention = Type.Object({
  entry: TicketEntry,
  ticket: Type.Object({ id: Id, number: Type.String(), subject: Type.String(), status: TicketStatus }),
});
export type TicketMention = Type.Static<typeof TicketMention>;

export const MyMentions = Type.Object({ mentions: Type.Array(TicketMention) });
export type MyMentions = Type.Static<typeof MyMentions>;

export const MyMentionsQuery = Type.Object({ limit: Type.Optional(Limit) }, { additionalProperties: false });
export type MyMentionsQuery = Type.Static<typeof MyMentionsQuery>;
