// What happened to an outgoing message on a provider channel (SMS, email, WeChat): one delivery per part
// sent (a long text goes out as several provider messages), with the provider's id so its status
// callbacks find it. Also the thread references that keep an email thread in one conversation.

import type { ChannelType, IdentityKind } from '../model.ts';

/** The customer's address a provider channel sends to: a phone for SMS, an email, a WeChat OpenID. */
export const recipientKindOf: Partial<Record<ChannelType, IdentityKind>> = {
  sms: 'phone',
  email: 'email',
  wechat: 'wechat',
};

/** queued → sent → delivered → read; failed may come instead of any step after queued. */
export type DeliveryStatus = 'queued' | 'sent' | 'delivered' | 'read' | 'failed';

export interface MessageDelivery {
  id: string;
  messageId: string;
  inboxId: string;
  part: number;
  providerMessageId: string | null;
  status: DeliveryStatus;
  error: string | null;
  attempts: number;
  /** Answered inside the provider's own request (WeChat's passive reply), not through its send API. */
  passive: boolean;
  /**
   * When the part was last handed to the provider without a definite answer recorded since (the process
   * died mid-call, or the call timed out): the provider may or may not have it, so the next attempt asks
   * the provider first where it can. Null once the provider's answer is recorded.
   */
  sendingAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export type NewMessageDelivery = Omit<MessageDelivery, 'id' | 'createdAt' | 'updatedAt' | 'sendingAt'> & {
  at: string;
  /** Default null: the provider's answer is known. */
  sendingAt?: string | null;
};

const rank: Record<DeliveryStatus, number> = { queued: 0, sent: 1, delivered: 2, read: 3, failed: 1 };

/**
 * Whether a provider's report moves a delivery on. Callbacks arrive late, twice and out of order: a
 * `delivered` must not turn back into `sent`, and a failure reported after the customer read the message
 * is the provider's noise. A failure of something only sent (or queued) counts, and a later success
 * report (some providers retry on their side) wins over an earlier failure.
 */
export function advancesDelivery(current: DeliveryStatus, next: DeliveryStatus): boolean {
  if (current === next) return false;
  if (next === 'failed') return current === 'queued' || current === 'sent';
  if (current === 'failed') return next === 'delivered' || next === 'read';
  return rank[next] > rank[current];
}

/** One status for a message sent in parts: the least advanced part, a failed part above all. */
export function overallDelivery(parts: readonly MessageDelivery[]): MessageDelivery | null {
  if (parts.length === 0) return null;
  const failed = parts.find((p) => p.status === 'failed');
  if (failed) return failed;
  return [...parts].sort((a, b) => rank[a.status] - rank[b.status])[0] ?? null;
}

/** The channel tables of one workspace (see ports.ts WorkspaceRepositories). */
export interface ChannelsRepository {
  deliveries: {
    /** By message id, oldest part first; messages without deliveries are absent. */
    forMessages(messageIds: readonly string[]): Promise<Map<string, MessageDelivery[]>>;
    /** Creates or replaces the delivery of one message part. */
    record(delivery: NewMessageDelivery): Promise<MessageDelivery>;
    /**
     * Notes, before the provider is called, that the part is being handed over (sets `sendingAt`, keeps
     * everything else); written first so a crash during the call leaves the doubt on record.
     */
    markSending(input: { messageId: string; inboxId: string; part: number; at: string }): Promise<void>;
    /**
     * Applies a provider's status report to the delivery it names; the delivery as it is now, or null
     * when no delivery has that provider id in the inbox or the report does not move it on
     * (see advancesDelivery).
     */
    applyStatus(input: {
      inboxId: string;
      providerMessageId: string;
      status: DeliveryStatus;
      error: string | null;
      at: string;
    }): Promise<MessageDelivery | null>;
  };
  threads: {
    /** The conversation the newest known of these references belongs to (refs oldest first). */
    find(inboxId: string, refs: readonly string[]): Promise<string | null>;
    /** Remembers the references as belonging to the conversation; known ones keep their conversation. */
    remember(inboxId: string, refs: readonly string[], conversationId: string, at: string): Promise<void>;
  };
  /** What the latest customer message left for replies (email subject, Message-ID …), sealed at rest. */
  conversationMeta: {
    get(conversationId: string): Promise<Record<string, string> | null>;
    set(conversationId: string, meta: Record<string, string>): Promise<void>;
  };
}
