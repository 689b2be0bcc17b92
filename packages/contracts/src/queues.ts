// Human queues (issue 6): queues with their strategy, pickup timeout, overflow and members; agents' skills,
// languages, capacity and presence; offers; the waiting line as the inbox shows it.
import Type from 'typebox';
import { Id, Locale, Timestamp } from './common.ts';

const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const strict = { additionalProperties: false } as const;

export const QueueKey = Type.String({
  pattern: '^[a-z0-9][a-z0-9_-]{0,39}$',
  description: 'Slug rules name',
});
const Skill = Type.String({ minLength: 1, maxLength: 40, pattern: '^[^\\s,]+$' });
const Skills = Type.Array(Skill, { maxItems: 30 });
export const QueueStrategy = Type.Union([
  Type.Literal('round_robin'),
  Type.Literal('least_busy'),
  Type.Literal('sticky'),
]);
export const OverflowPolicy = Type.Union([
  Type.Literal('wait'),
  Type.Literal('bot'),
  Type.Literal('callback'),
]);
export const AgentStatus = Type.Union([
  Type.Literal('online'),
  Type.Literal('away'),
  Type.Literal('offline'),
]);
export type AgentStatus = Type.Static<typeof AgentStatus>;

export const Queue = Type.Object({
  id: Id,
  key: Type.String(),
  name: Type.String(),
  requiredSkills: Type.Array(Type.String()),
  language: Nullable(Locale),
  strategy: QueueStrategy,
  pickupTimeoutSeconds: Type.Integer(),
  overflowPolicy: OverflowPolicy,
  overflowAfterSeconds: Type.Integer(),
  position: Type.Integer(),
  memberIds: Type.Array(Id, { description: 'Empty: every agent whose skills and languages fit' }),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Queue = Type.Static<typeof Queue>;
export const QueueList = Type.Object({ queues: Type.Array(Queue) });
export type QueueList = Type.Static<typeof QueueList>;

const queueFields = {
  key: QueueKey,
  name: Type.String({ minLength: 1, maxLength: 60 }),
  requiredSkills: Skills,
  language: Nullable(Locale),
  strategy: QueueStrategy,
  pickupTimeoutSeconds: Type.Integer({ minimum: 5, maximum: 600 }),
  overflowPolicy: OverflowPolicy,
  overflowAfterSeconds: Type.Integer({ minimum: 0, maximum: 86_400 }),
  position: Type.Integer({ minimum: 0, maximum: 1000 }),
  memberIds: Type.Array(Id, { maxItems: 500 }),
};
export const CreateQueueBody = Type.Object(
  {
    key: queueFields.key,
    name: queueFields.name,
    requiredSkills: Type.Optional(queueFields.requiredSkills),
    language: Type.Optional(queueFields.language),
    strategy: Type.Optional(queueFields.strategy),
    pickupTimeoutSeconds: Type.Optional(queueFields.pickupTimeoutSeconds),
    overflowPolicy: Type.Optional(queueFields.overflowPolicy),
    overflowAfterSeconds: Type.Optional(queueFields.overflowAfterSeconds),
    position: Type.Optional(queueFields.position),
    memberIds: Type.Optional(queueFields.memberIds),
  },
  strict,
);
export type CreateQueueBody = Type.Static<typeof CreateQueueBody>;
export const UpdateQueueBody = Type.Partial(Type.Object(queueFields), strict);
export type UpdateQueueBody = Type.Static<typeof UpdateQueueBody>;

export const Agent = Type.Object({
  userId: Id,
  name: Type.String(),
  role: Type.String(),
  skills: Type.Array(Type.String()),
  languages: Type.Array(Locale),
  capacity: Type.Integer(),
  status: AgentStatus,
  /** online but idle past the auto-away minutes counts as unavailable until the job marks them away. */
  available: Type.Boolean(),
  statusChangedAt: Timestamp,
  lastActivityAt: Timestamp,
  /** Conversations held (not resolved) plus outstanding offers. */
  load: Type.Integer(),
});
export type Agent = Type.Static<typeof Agent>;
export const AgentList = Type.Object({ agents: Type.Array(Agent), autoAwayMinutes: Type.Integer() });
export type AgentList = Type.Static<typeof AgentList>;

export const UpdateAgentBody = Type.Object(
  {
    skills: Type.Optional(Skills),
    languages: Type.Optional(Type.Array(Locale, { maxItems: 2 })),
    capacity: Type.Optional(Type.Integer({ minimum: 0, maximum: 50 })),
  },
  strict,
);
export type UpdateAgentBody = Type.Static<typeof UpdateAgentBody>;

export const AgentStatusBody = Type.Object({ status: AgentStatus }, strict);
export type AgentStatusBody = Type.Static<typeof AgentStatusBody>;

export const QueueSettings = Type.Object(
  { autoAwayMinutes: Type.Integer({ minimum: 1, maximum: 240 }) },
  strict,
);
export type QueueSettings = Type.Static<typeof QueueSettings>;

export const Offer = Type.Object({
  id: Id,
  conversationId: Id,
  userId: Id,
  queueId: Nullable(Id),
  offeredAt: Timestamp,
  expiresAt: Timestamp,
});
export type Offer = Type.Static<typeof Offer>;
export const OfferList = Type.Object({ offers: Type.Array(Offer) });
export type OfferList = Type.Static<typeof OfferList>;
export const AcceptedOffer = Type.Object({ conversationId: Id });

export const WaitingConversation = Type.Object({
  conversationId: Id,
  customerName: Nullable(Type.String()),
  queue: Nullable(Type.Object({ id: Id, key: Type.String(), name: Type.String() })),
  priority: Type.Union([
    Type.Literal('low'),
    Type.Literal('normal'),
    Type.Literal('high'),
    Type.Literal('urgent'),
  ]),
  priorityScore: Type.Integer(),
  waitingSince: Timestamp,
  /** 1 = next in its queue. */
  position: Type.Integer(),
  estimatedWaitSeconds: Nullable(Type.Integer()),
  offeredTo: Nullable(Type.Object({ userId: Id, expiresAt: Timestamp })),
});
export type WaitingConversation = Type.Static<typeof WaitingConversation>;
export const WaitingList = Type.Object({ waiting: Type.Array(WaitingConversation) });
export type WaitingList = Type.Static<typeof WaitingList>;
