// The catalogue of domain events. Names are resource + past tense. Payloads carry ids only (no personal
// data), because they travel over Redis between processes; listeners load what they need.
import type { DeliveryStatus } from './channels/deliveries.ts';
import type { ChannelType, ConversationStatus, MessageAuthor, Priority } from './model.ts';
import type { SlaMetric } from './sla/slaPolicy.ts';
import type {
  PendingReason,
  TicketAuthorType,
  TicketPriority,
  TicketSource,
  TicketStatus,
} from './tickets/ticket.ts';

interface Base {
  workspaceId: string;
  occurredAt: string;
}

export type DomainEvent =
  | (Base & {
      name: 'message.created';
      conversationId: string;
      messageId: string;
      customerId: string;
      inboxId: string;
      channel: ChannelType;
      author: MessageAuthor;
    })
  | (Base & { name: 'conversation.created'; conversationId: string; customerId: string; inboxId: string })
  | (Base & { name: 'conversation.assigned'; conversationId: string; assigneeId: string | null })
  | (Base & {
      name: 'conversation.status_changed';
      conversationId: string;
      from: ConversationStatus;
      to: ConversationStatus;
    })
  | (Base & { name: 'conversation.resolved'; conversationId: string })
  | (Base & { name: 'conversation.handed_off'; conversationId: string; reason: string })
  /** Waiting for a human in a queue (after routing or a hand-off); the dispatcher offers it to agents. */
  | (Base & {
      name: 'conversation.queued';
      conversationId: string;
      queueId: string | null;
      priority: Priority;
    })
  /** A routing rule asked for people to hear about a conversation (named users, the supervisors). */
  | (Base & {
      name: 'conversation.routing_notified';
      conversationId: string;
      ruleId: string | null;
      userIds: string[];
      supervisors: boolean;
    })
  /** The dispatcher offered a waiting conversation to an agent, who may accept until `expiresAt`. */
  | (Base & {
      name: 'conversation.offered';
      conversationId: string;
      offerId: string;
      userId: string;
      queueId: string | null;
      expiresAt: string;
    })
  /** An offer ended without pickup (declined, or no answer in time); the conversation is offered on. */
  | (Base & {
      name: 'conversation.offer_withdrawn';
      conversationId: string;
      offerId: string;
      userId: string;
      reason: 'declined' | 'expired' | 'picked_up_elsewhere';
    })
  /** Nobody picked up within the queue's pickup timeout: supervisors are alerted. */
  | (Base & {
      name: 'queue.pickup_missed';
      conversationId: string;
      offerId: string;
      userId: string;
      queueId: string | null;
    })
  /** The customer's place in line or estimated wait changed enough to tell them (widget bar). */
  | (Base & {
      name: 'queue.position_changed';
      conversationId: string;
      customerId: string;
      queueId: string | null;
      position: number;
      /** null: no estimate (nobody available). */
      waitSeconds: number | null;
    })
  /** Nobody could take the conversation: the queue's overflow policy applied (bot or call-back). */
  | (Base & {
      name: 'conversation.overflowed';
      conversationId: string;
      customerId: string;
      queueId: string | null;
      policy: 'bot' | 'callback';
    })
  /** An agent went online, away or offline (by choice, or away for idleness). */
  | (Base & { name: 'agent.status_changed'; userId: string; status: 'online' | 'away' | 'offline' })
  /**
   * A bot answer being written (streamed), before it is stored: `text` is the whole draft so far, `seq`
   * orders drafts of one `draftId`, which becomes the stored message's id. Not a committed fact: the
   * stored message (message.created) replaces it, and may differ. Unlike other events it carries text,
   * bot-written and checked, because the visitor must see it now; it is never persisted.
   */
  | (Base & {
      name: 'message.draft_updated';
      conversationId: string;
      customerId: string;
      inboxId: string;
      draftId: string;
      seq: number;
      text: string;
    })
  /** Two customers turned out to be one person; `absorbedId` now resolves to `survivorId`. */
  | (Base & {
      name: 'customer.merged';
      mergeId: string;
      survivorId: string;
      absorbedId: string;
      reason: 'verified_identity' | 'agent';
      /** A user id, or 'system' for a merge a verified identity proved. */
      mergedBy: string;
    })
  /** Two customers share an identity that is not proven on both sides; an agent decides. */
  | (Base & {
      name: 'customer.merge_suggested';
      suggestionId: string;
      customerId: string;
      candidateId: string;
    })
  /**
   * A provider channel reported on an outgoing message (sent, delivered, read, failed) or a send is
   * waiting for a retry; the console updates the message's status.
   */
  | (Base & {
      name: 'message.delivery_updated';
      conversationId: string;
      messageId: string;
      inboxId: string;
      status: DeliveryStatus;
    })
  /** A call ended and everything about it (transcript, trace, recording) is stored. */
  | (Base & { name: 'call.ended'; callId: string; conversationId: string; agentId: string | null })
  /** The month's spend reached an alert threshold of the workspace's budget (50, 80, 100 %). */
  | (Base & { name: 'budget.threshold_reached'; month: string; threshold: number; capped: boolean })
  /** A customer message got its translation into the agents' language (live translation). */
  | (Base & { name: 'message.translated'; conversationId: string; messageId: string })
  /** A survey result was recorded for the conversation (score 1–5); the comment stays in storage. */
  | (Base & { name: 'conversation.rated'; conversationId: string; score: number })
  /** An agent's verdict on the reply suggestions for a customer message (accepted, edited, ignored). */
  | (Base & {
      name: 'suggestion.feedback_recorded';
      conversationId: string;
      messageId: string;
      userId: string;
      action: 'accepted' | 'edited' | 'ignored';
    })
  /** A ticket was opened (by the bot, an agent, an email, the API, a survey). */
  | (Base & {
      name: 'ticket.created';
      ticketId: string;
      source: TicketSource;
      conversationId: string | null;
      customerId: string | null;
    })
  /** The ticket moved along its lifecycle (see tickets/ticket.ts for the allowed moves). */
  | (Base & {
      name: 'ticket.status_changed';
      ticketId: string;
      from: TicketStatus;
      to: TicketStatus;
      pendingReason: PendingReason | null;
      /** Who moved it: a user id, or the customer/system/bot/api. */
      actorType: TicketAuthorType;
      actorId: string | null;
    })
  /** The ticket went to a person and/or a team (null: taken away). */
  | (Base & {
      name: 'ticket.assigned';
      ticketId: string;
      assigneeId: string | null;
      queueId: string | null;
      /** The assignment rule that decided it, when a rule did. */
      ruleId: string | null;
    })
  /** A public reply (sent to the customer) or an internal note (with the users it @mentions). */
  | (Base & {
      name: 'ticket.commented';
      ticketId: string;
      entryId: string;
      visibility: 'public' | 'internal';
      authorType: TicketAuthorType;
      authorId: string | null;
      mentions: string[];
    })
  /** Subject, type, category, priority, custom fields or linked orders changed. */
  | (Base & {
      name: 'ticket.updated';
      ticketId: string;
      changed: string[];
      /** Set when the priority changed (SLA targets depend on it). */
      priority: { from: TicketPriority; to: TicketPriority } | null;
    })
  /** A duplicate was merged into another ticket (and closed). */
  | (Base & { name: 'ticket.merged'; ticketId: string; intoTicketId: string })
  /** A ticket's SLA target is 75 % used (see sla/slaClock.ts): its assignee is warned. */
  | (Base & {
      name: 'ticket.sla_warning';
      ticketId: string;
      clockId: string;
      metric: SlaMetric;
      dueAt: string;
      assigneeId: string | null;
    })
  /** A ticket's SLA target passed unmet: supervisors are told (when the policy says so), it escalates. */
  | (Base & {
      name: 'ticket.sla_breached';
      ticketId: string;
      clockId: string;
      metric: SlaMetric;
      dueAt: string;
      assigneeId: string | null;
      notifySupervisors: boolean;
    })
  /** A follow-up survey went out on the customer's channel. */
  | (Base & { name: 'survey.sent'; surveyId: string })
  /** The customer answered a follow-up survey (score 1–5); the comment stays in storage. */
  | (Base & { name: 'survey.answered'; surveyId: string; score: number })
  /** A complaint is tracked from now on (complaint intent, negative survey, agent's flag). */
  | (Base & {
      name: 'complaint.opened';
      complaintId: string;
      source: 'intent' | 'survey' | 'manual';
    })
  /** A complaint was closed, confirmed by the customer or by its follow-up ticket's closure. */
  | (Base & { name: 'complaint.closed'; complaintId: string; confirmation: 'customer' | 'ticket_closed' })
  /** Signed out elsewhere (revoked, password changed, user deactivated): open sockets of these close. */
  | (Base & { name: 'session.revoked'; userId: string; sessionIds: string[] });

export type EventName = DomainEvent['name'];
export const eventNames = [
  'message.created',
  'conversation.created',
  'conversation.assigned',
  'conversation.status_changed',
  'conversation.resolved',
  'conversation.handed_off',
  'conversation.queued',
  'conversation.routing_notified',
  'conversation.offered',
  'conversation.offer_withdrawn',
  'queue.pickup_missed',
  'queue.position_changed',
  'conversation.overflowed',
  'agent.status_changed',
  'message.draft_updated',
  'message.delivery_updated',
  'customer.merged',
  'customer.merge_suggested',
  'conversation.rated',
  'suggestion.feedback_recorded',
  'ticket.created',
  'ticket.status_changed',
  'ticket.assigned',
  'ticket.commented',
  'ticket.updated',
  'ticket.merged',
  'ticket.sla_warning',
  'ticket.sla_breached',
  'session.revoked',
  'call.ended',
  'survey.sent',
  'survey.answered',
  'complaint.opened',
  'complaint.closed',
] as const satisfies readonly EventName[];

export type EventOf<N extends EventName> = Extract<DomainEvent, { name: N }>;
export type EventHandler = (event: DomainEvent) => void | Promise<void>;

/** Publishes committed facts. In-process by default; Redis pub/sub across processes. */
export interface EventBus {
  publish(events: readonly DomainEvent[]): Promise<void>;
  /** Returns an unsubscribe function. */
  subscribe(handler: EventHandler): () => void;
  close(): Promise<void>;
}

export const isConversationEvent = (e: DomainEvent): e is Exclude<DomainEvent, { name: 'message.created' }> =>
  e.name.startsWith('conversation.');

export const isTicketEvent = (e: DomainEvent): e is Extract<DomainEvent, { name: `ticket.${string}` }> =>
  e.name.startsWith('ticket.');
