// Domain records → the contract shapes in @zhike/contracts. The only place that mapping is written.
import type * as C from '@zhike/contracts';
import {
  type ConversationSummary,
  type Customer,
  type Inbox,
  type Message,
  type Permission,
  permissions,
  type User,
  type Workspace,
  type WorkspaceStore,
} from '@zhike/core';

// The domain owns these vocabularies; the contracts must spell them identically.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const _vocabularies: [
  Same<C.Role, User['role']>,
  Same<C.ChannelType, Inbox['channel']>,
  Same<C.ConversationStatus, ConversationSummary['status']>,
  Same<C.Priority, ConversationSummary['priority']>,
  Same<C.MessageAuthor, Message['author']>,
  Same<C.Locale, Workspace['locale']>,
  Same<C.Permission, Permission>,
] = [true, true, true, true, true, true, true];
void _vocabularies;

export const userDto = (u: User): C.User => ({
  id: u.id,
  email: u.email,
  name: u.name,
  role: u.role,
  createdAt: u.createdAt,
});

export const workspaceDto = (w: Workspace): C.Workspace => ({
  id: w.id,
  slug: w.slug,
  name: w.name,
  locale: w.locale,
  createdAt: w.createdAt,
});

/** What login and GET /auth/me return. Permissions in catalogue order, so the output is stable. */
export const sessionInfoDto = (
  user: User,
  workspace: Workspace,
  csrfToken: string,
  granted: ReadonlySet<Permission>,
): C.SessionInfo => ({
  user: userDto(user),
  workspace: workspaceDto(workspace),
  csrfToken,
  permissions: permissions.filter((p) => granted.has(p)),
});

export const conversationDto = (c: ConversationSummary): C.Conversation => ({
  id: c.id,
  inboxId: c.inboxId,
  channel: c.channel,
  status: c.status,
  priority: c.priority,
  tags: c.tags,
  assignee: c.assigneeId ? { id: c.assigneeId, name: c.assigneeName ?? '' } : null,
  customer: { id: c.customerId, name: c.customerName, externalId: c.customerExternalId },
  handedOff: c.handedOff,
  lastMessage: c.lastMessage,
  createdAt: c.createdAt,
  updatedAt: c.updatedAt,
});

export type AuthorNames = ReadonlyMap<string, string>;

/** Names of the workspace's people, for agent message bylines. */
export async function authorNames(store: WorkspaceStore): Promise<Map<string, string>> {
  return new Map((await store.users.list()).map((u) => [u.id, u.name]));
}

export const messageDto = (m: Message, names: AuthorNames): C.Message => ({
  id: m.id,
  conversationId: m.conversationId,
  author: m.author,
  authorId: m.authorUserId,
  authorName: m.authorUserId ? (names.get(m.authorUserId) ?? null) : null,
  text: m.text,
  attachments: m.attachments,
  // For agents only: widgetMessageDto below never carries these.
  ...(m.metadata?.sources ? { sources: m.metadata.sources } : {}),
  ...(m.metadata?.generatedBy ? { generatedBy: m.metadata.generatedBy } : {}),
  createdAt: m.createdAt,
});

export const widgetMessageDto = (m: Message, names: AuthorNames): C.WidgetMessage => ({
  id: m.id,
  author: m.author,
  authorName: m.authorUserId ? (names.get(m.authorUserId) ?? null) : null,
  text: m.text,
  createdAt: m.createdAt,
  clientMessageId: m.author === 'customer' ? m.clientMessageId : null,
  ...(m.attachments.length > 0 ? { attachments: m.attachments } : {}),
});

export const customerDto = (c: Customer): C.Customer => ({
  id: c.id,
  name: c.name,
  email: c.email,
  phone: c.phone,
  identities: c.identities.map((i) => ({ channel: i.kind, value: i.value })),
  createdAt: c.createdAt,
});

export const inboxDto = (i: Inbox, showSecrets: boolean): C.Inbox => ({
  id: i.id,
  name: i.name,
  channel: i.channel,
  widgetToken: i.widgetToken,
  allowedOrigins: i.allowedOrigins,
  webhookUrl: i.webhookUrl,
  webhookSecret: showSecrets ? i.webhookSecret : null,
  greeting: i.greeting,
  createdAt: i.createdAt,
});
