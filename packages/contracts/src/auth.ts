import Type from 'typebox';
import { Id, Locale, Timestamp } from './common.ts';

export const Role = Type.Union([
  Type.Literal('owner'),
  Type.Literal('admin'),
  Type.Literal('supervisor'),
  Type.Literal('agent'),
]);
export type Role = Type.Static<typeof Role>;

export const User = Type.Object({
  id: Id,
  email: Type.String(),
  name: Type.String(),
  role: Role,
  createdAt: Timestamp,
});
export type User = Type.Static<typeof User>;

export const Workspace = Type.Object({
  id: Id,
  slug: Type.String(),
  name: Type.String(),
  locale: Locale,
  createdAt: Timestamp,
});
export type Workspace = Type.Static<typeof Workspace>;

export const LoginBody = Type.Object(
  {
    email: Type.String({ minLength: 3, maxLength: 254 }),
    password: Type.String({ minLength: 1, maxLength: 256 }),
  },
  { additionalProperties: false },
);
export type LoginBody = Type.Static<typeof LoginBody>;

/** The permission catalogue (packages/core/src/permissions.ts); the server checks the two stay equal. */
export const Permission = Type.Union([
  Type.Literal('knowledge.read'),
  Type.Literal('knowledge.manage'),
  Type.Literal('analytics.read'),
  Type.Literal('conversations.read'),
  Type.Literal('conversations.reply'),
  Type.Literal('conversations.assign_self'),
  Type.Literal('conversations.assign_others'),
  Type.Literal('conversations.set_status'),
  Type.Literal('customers.read'),
  Type.Literal('customers.merge'),
  Type.Literal('customers.export'),
  Type.Literal('customers.erase'),
  Type.Literal('privacy.manage'),
  Type.Literal('customers.reveal'),
  Type.Literal('customers.notes'),
  Type.Literal('customers.notes_manage'),
  Type.Literal('audit.read'),
  Type.Literal('users.read'),
  Type.Literal('users.manage'),
  Type.Literal('inboxes.read'),
  Type.Literal('inboxes.manage'),
  Type.Literal('inboxes.read_secrets'),
  Type.Literal('api_keys.manage'),
  Type.Literal('inbound.write'),
  Type.Literal('orders.read'),
  Type.Literal('orders.manage'),
  Type.Literal('tickets.read'),
  Type.Literal('tickets.manage'),
  Type.Literal('tickets.configure'),
  Type.Literal('connectors.manage'),
  Type.Literal('bot.manage'),
  Type.Literal('routing.read'),
  Type.Literal('routing.manage'),
  Type.Literal('customers.profile_write'),
  Type.Literal('queues.manage'),
  Type.Literal('replies.read'),
  Type.Literal('replies.manage'),
  Type.Literal('conversations.rate'),
  Type.Literal('metrics.read_own'),
  Type.Literal('metrics.read_team'),
  Type.Literal('calls.read'),
  Type.Literal('calls.listen'),
  Type.Literal('speech.manage'),
  Type.Literal('campaigns.read'),
  Type.Literal('campaigns.manage'),
  Type.Literal('sla.read'),
  Type.Literal('sla.manage'),
  Type.Literal('surveys.read'),
  Type.Literal('surveys.manage'),
  Type.Literal('complaints.read'),
  Type.Literal('complaints.flag'),
  Type.Literal('complaints.close'),
  Type.Literal('jobs.manage'),
  Type.Literal('quality.read_own'),
  Type.Literal('quality.read_team'),
  Type.Literal('quality.review'),
  Type.Literal('quality.manage'),
  Type.Literal('quality.appeal'),
]);
export type Permission = Type.Static<typeof Permission>;

/**
 * Returned by login and GET /auth/me. Send `csrfToken` as `x-csrf-token` on cookie-authenticated writes.
 * `permissions` is what the user's role grants; clients show or hide actions by it, never by role name.
 */
export const SessionInfo = Type.Object({
  user: User,
  workspace: Workspace,
  csrfToken: Type.String(),
  permissions: Type.Array(Permission),
});
export type SessionInfo = Type.Static<typeof SessionInfo>;

export const UserList = Type.Object({ users: Type.Array(User) });
export type UserList = Type.Static<typeof UserList>;

export const ApiKey = Type.Object({
  id: Id,
  name: Type.String(),
  prefix: Type.String({ description: 'First characters of the key, to recognise it' }),
  createdAt: Timestamp,
  lastUsedAt: Type.Union([Timestamp, Type.Null()]),
});
export type ApiKey = Type.Static<typeof ApiKey>;
export const ApiKeyList = Type.Object({ apiKeys: Type.Array(ApiKey) });
export const CreateApiKeyBody = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 100 }) },
  { additionalProperties: false },
);
/** The only time the secret is shown. */
export const CreatedApiKey = Type.Object({ apiKey: ApiKey, secret: Type.String() });
export type CreatedApiKey = Type.Static<typeof CreatedApiKey>;
