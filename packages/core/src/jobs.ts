// The catalogue of durable job names and their payloads. Jobs are rows; handlers are registered by name.
import type { SlaActivity } from './sla/trackTicketSla.ts';

export interface JobPayloads {
  /** The bot's turn after a customer message; written in the same transaction as the message. */
  'bot.reply': { workspaceId: string; conversationId: string; messageId: string };
  /** Deliver one outbound message to an API inbox's webhook; the delivery id is stable across retries. */
  'webhook.deliver': { workspaceId: string; messageId: string; deliveryId: string };
  /** Send one outbound message through its inbox's provider adapter (SMS, email, WeChat). */
  'channel.deliver': { workspaceId: string; messageId: string };
  /** Offer the workspace's waiting conversations to available agents, then tell customers where they stand. */
  'queue.dispatch': { workspaceId: string };
  /** An offer's pickup deadline: if still pending, it lapses, supervisors are alerted, the next agent gets it. */
  'queue.offer_expired': { workspaceId: string; offerId: string };
  /**
   * Apply the queue's overflow policy to a conversation still waiting since `waitingSince`: `due` when the
   * overflow delay has passed, `unstaffed` when nobody serving the queue was available.
   */
  'queue.overflow': {
    workspaceId: string;
    conversationId: string;
    waitingSince: string;
    reason: 'due' | 'unstaffed';
  };
  /** Marks an agent away if they have been idle for the workspace's auto-away minutes. */
  'queue.auto_away': { workspaceId: string; userId: string };
  /** Compute and store the hand-off card of a conversation just handed to people. */
  'handoff.card': { workspaceId: string; conversationId: string };
  /** Look at a running campaign: skip ineligible targets, dial what pace and concurrency allow, sleep. */
  'campaign.tick': { workspaceId: string; campaignId: string };
  /** Tell the customer, in the ticket's conversation, of the status the ticket has now (once per status). */
  'ticket.notify_customer': { workspaceId: string; ticketId: string };
  /** Move a ticket's SLA clocks on something that happened to it (see sla/trackTicketSla.ts). */
  'sla.track': {
    workspaceId: string;
    ticketId: string;
    activity: SlaActivity;
    at: string;
  };
  /** A ticket's SLA warning or deadline is due: warn, breach and escalate (each once). */
  'sla.check': { workspaceId: string; ticketId: string };
  /** A follow-up survey's time came: send it on the customer's channel (once). */
  'survey.send': { workspaceId: string; surveyId: string };
  /** An answered survey: judge it (score, comment) and open a complaint and follow-up ticket if negative. */
  'survey.review': { workspaceId: string; surveyId: string };
  /** Draw a re-engagement campaign's recipients from its segment and enqueue their send chunks. */
  'outreach.plan': { workspaceId: string; campaignId: string };
  /** Send one chunk of a re-engagement campaign (consent, cap and quiet hours checked per message). */
  'outreach.send': { workspaceId: string; campaignId: string; chunk: number };
  /** An inbound reply that may be an unsubscribe ("TD", "回T退订"): withdraw marketing consent. */
  'outreach.opt_out': { workspaceId: string; messageId: string };
  /** Translate a customer message into the agents' language when its conversation is translated. */
  'message.translate': { workspaceId: string; messageId: string };
  /** Score a conversation that was resolved or a call that ended against the quality ruleset. */
  'quality.inspect': {
    workspaceId: string;
    subject: 'conversation' | 'call';
    subjectId: string;
    endedAt: string;
  };
  /** Mail the weekly review of the week starting `week` (a Monday) to the workspace's owners (once). */
  'review.email': { workspaceId: string; week: string };
}
export type JobName = keyof JobPayloads;
export const jobNames = [
  'bot.reply',
  'webhook.deliver',
  'channel.deliver',
  'queue.dispatch',
  'queue.offer_expired',
  'queue.overflow',
  'queue.auto_away',
  'handoff.card',
  'campaign.tick',
  'ticket.notify_customer',
  'sla.track',
  'sla.check',
  'survey.send',
  'survey.review',
  'outreach.plan',
  'outreach.send',
  'outreach.opt_out',
  'message.translate',
  'quality.inspect',
  'review.email',
] as const satisfies readonly JobName[];

/** Exponential backoff with a ceiling: 2s, 4s, 8s … up to 10 minutes. */
export const retryDelayMs = (attempt: number): number => Math.min(600_000, 1000 * 2 ** Math.max(1, attempt));
