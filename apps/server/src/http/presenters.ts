// Domain records → the contract shapes in @zhike/contracts. The only place that mapping is written.
// Customer personal data leaves masked (138****5678): clear values only come from the audited reveal
// route (http/reveal.ts), through `revealedCustomerDto`.
import type * as C from '@zhike/contracts';
import {
  type ConversationSummary,
  type Customer,
  type CustomerIdentity,
  type CustomerNote,
  type Inbox,
  type Message,
  type MessageDelivery,
  overallDelivery,
  type Permission,
  permissions,
  type User,
  type Workspace,
  type WorkspaceStore,
} from '@zhike/core';
import type { SessionListing } from '@zhike/db';
import { maskAddress, maskEmail, maskName, maskPhone } from '@zhike/security';

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

/** The one masking function for customer personal data in API responses. */
export const maskedPii = {
  name: (v: string | null) => (v === null ? null : maskName(v)),
  email: (v: string | null) => (v === null ? null : maskEmail(v)),
  phone: (v: string | null) => (v === null ? null : maskPhone(v)),
  /** Visitor and external ids are opaque handles, not personal data; phones and emails are. */
  identity: (kind: string, value: string) =>
    kind === 'phone' ? maskPhone(value) : kind === 'email' ? maskEmail(value) : value,
  /**
   * Form fields the bot collected (templates name them phone, patient_name, pickup_address…): personal
   * ones by their name; the rest (order numbers, reasons, times) stay readable for whoever handles it.
   */
  formFields: (fields: Readonly<Record<string, string>>): Record<string, string> =>
    Object.fromEntries(
      Object.entries(fields).map(([key, value]) => {
        if (/phone|mobile|tel$/.test(key)) return [key, maskPhone(value)];
        if (/email/.test(key)) return [key, maskEmail(value)];
        if (/address/.test(key)) return [key, maskAddress(value)];
        if (/(^|_)name$/.test(key)) return [key, maskName(value)];
        return [key, value];
      }),
    ),
};

export const conversationDto = (c: ConversationSummary): C.Conversation => ({
  id: c.id,
  inboxId: c.inboxId,
  channel: c.channel,
  status: c.status,
  priority: c.priority,
  tags: c.tags,
  assignee: c.assigneeId ? { id: c.assigneeId, name: c.assigneeName ?? '' } : null,
  customer: {
    id: c.customerId,
    name: maskedPii.name(c.customerName),
    externalId: c.customerExternalId,
    phone: maskedPii.phone(c.customerPhone),
  },
  handedOff: c.handedOff,
  routing: c.routing,
  lastMessage: c.lastMessage,
  createdAt: c.createdAt,
  updatedAt: c.updatedAt,
});

export type AuthorNames = ReadonlyMap<string, string>;

/** Names of the workspace's people, for agent message bylines. */
export async function authorNames(store: WorkspaceStore): Promise<Map<string, string>> {
  return new Map((await store.users.list()).map((u) => [u.id, u.name]));
}

/** The delivery of a message sent in parts, as one status (see overallDelivery). */
export function deliveryDto(parts: readonly MessageDelivery[] | undefined): C.MessageDelivery | undefined {
  const overall = parts ? overallDelivery(parts) : null;
  if (!parts || !overall) return undefined;
  return {
    status: overall.status,
    error: overall.error,
    parts: parts.length,
    passive: parts.some((p) => p.passive),
    updatedAt: parts.reduce((at, p) => (p.updatedAt > at ? p.updatedAt : at), overall.updatedAt),
  };
}

export const messageDto = (
  m: Message,
  names: AuthorNames,
  deliveries?: ReadonlyMap<string, MessageDelivery[]>,
): C.Message => ({
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
  ...(deliveries?.has(m.id) ? { delivery: deliveryDto(deliveries.get(m.id)) } : {}),
  ...(m.language ? { language: m.language } : {}),
  ...(m.translation ? { translation: m.translation } : {}),
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

export const identityDto = (i: CustomerIdentity): C.Customer['identities'][number] => ({
  channel: i.kind,
  value: maskedPii.identity(i.kind, i.value),
  verified: i.verified,
  source: i.source,
});

export const customerDto = (c: Customer): C.Customer => ({
  id: c.id,
  name: maskedPii.name(c.name),
  email: maskedPii.email(c.email),
  phone: maskedPii.phone(c.phone),
  identities: c.identities.map(identityDto),
  createdAt: c.createdAt,
});

/** Only for POST /customers/:id/reveal, after the permission check and with its audit entry. */
export const revealedCustomerDto = (c: Customer, fields: readonly C.RevealField[]): C.RevealedCustomer => ({
  id: c.id,
  ...(fields.includes('name') ? { name: c.name } : {}),
  ...(fields.includes('email') ? { email: c.email } : {}),
  ...(fields.includes('phone') ? { phone: c.phone } : {}),
  ...(fields.includes('identities')
    ? { identities: c.identities.map((i) => ({ channel: i.kind, value: i.value })) }
    : {}),
});

/** 203.0.113.7 → 203.0.*.*; 2001:db8:1:2::7 → 2001:db8:*: enough to tell networks apart. */
export function maskIp(ip: string): string {
  const v4 = /^(?:::ffff:)?(\d+)\.(\d+)\.\d+\.\d+$/.exec(ip);
  if (v4) return `${v4[1]}.${v4[2]}.*.*`;
  const groups = ip.split(':').filter(Boolean);
  return groups.length > 0 ? `${groups.slice(0, 2).join(':')}:*` : '*';
}

export const sessionSummaryDto = (s: SessionListing, currentId: string): C.SessionSummary => ({
  id: s.id,
  current: s.id === currentId,
  userAgent: s.client?.userAgent || null,
  ip: s.client ? maskIp(s.client.ip) : null,
  createdAt: s.createdAt,
  lastSeenAt: s.lastSeenAt,
  expiresAt: s.expiresAt,
});

/** `publicUrl` makes a channel inbox's webhook address (`/hooks/<hookId>`). */
export const inboxDto = (i: Inbox, showSecrets: boolean, publicUrl: string): C.Inbox => ({
  id: i.id,
  name: i.name,
  channel: i.channel,
  widgetToken: i.widgetToken,
  allowedOrigins: i.allowedOrigins,
  webhookUrl: i.webhookUrl,
  webhookSecret: showSecrets ? i.webhookSecret : null,
  greeting: i.greeting,
  adapter: i.adapter,
  hookUrl: i.hookId ? `${publicUrl}/hooks/${i.hookId}` : null,
  config: i.channelConfig,
  secretsSet: i.secretsSet,
  enabled: i.enabled,
  createdAt: i.createdAt,
});

/** A customer note as agents (and the customer's own export) see it: in full, with its author's name. */
export const noteDto = (n: CustomerNote, names: AuthorNames): C.CustomerNote => ({
  id: n.id,
  customerId: n.customerId,
  authorUserId: n.authorUserId,
  authorName: names.get(n.authorUserId) ?? null,
  body: n.body,
  createdAt: n.createdAt,
});
