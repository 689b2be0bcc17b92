// The business vocabulary: workspaces, inboxes (one per channel), customers, conversations, messages.
export type Locale = 'zh-CN' | 'en-US';
export type Role = 'owner' | 'admin' | 'supervisor' | 'agent';
export type ChannelType = 'widget' | 'api';
export type ConversationStatus = 'open' | 'pending' | 'resolved';
export type Priority = 'low' | 'normal' | 'high' | 'urgent';
export type MessageAuthor = 'customer' | 'bot' | 'agent' | 'system';
/** How a customer is recognised on a channel. */
export type IdentityKind = 'visitor' | 'external' | 'phone' | 'email';

export interface Workspace {
  id: string;
  slug: string;
  name: string;
  locale: Locale;
  createdAt: string;
}

export interface User {
  id: string;
  workspaceId: string;
  email: string;
  name: string;
  role: Role;
  createdAt: string;
}

export interface Inbox {
  id: string;
  workspaceId: string;
  name: string;
  channel: ChannelType;
  widgetToken: string | null;
  allowedOrigins: string[];
  webhookUrl: string | null;
  webhookSecret: string | null;
  greeting: string | null;
  createdAt: string;
}

export interface CustomerIdentity {
  kind: IdentityKind;
  value: string;
}

export interface Customer {
  id: string;
  workspaceId: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  identities: CustomerIdentity[];
  createdAt: string;
}

export interface Conversation {
  id: string;
  workspaceId: string;
  inboxId: string;
  customerId: string;
  channel: ChannelType;
  status: ConversationStatus;
  priority: Priority;
  tags: string[];
  assigneeId: string | null;
  handedOff: boolean;
  /** Once false, the bot never speaks in this conversation again (hand-off, agent reply, assignment). */
  botActive: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface Attachment {
  name: string;
  mimeType: string;
  size: number;
  url?: string;
}

export interface Message {
  id: string;
  workspaceId: string;
  conversationId: string;
  inboxId: string;
  author: MessageAuthor;
  authorUserId: string | null;
  text: string;
  attachments: Attachment[];
  /** Unique per (workspace, inbox); set by the channel so a retried send is recognised. */
  idempotencyKey: string | null;
  clientMessageId: string | null;
  createdAt: string;
}

export interface Faq {
  id: string;
  question: string;
  similar: string[];
  answer: string;
  keywords: string[];
}
