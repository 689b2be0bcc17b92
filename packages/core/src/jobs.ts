// The catalogue of durable job names and their payloads. Jobs are rows; handlers are registered by name.
export interface JobPayloads {
  /** The bot's turn after a customer message; written in the same transaction as the message. */
  'bot.reply': { workspaceId: string; conversationId: string; messageId: string };
  /** Deliver one outbound message to an API inbox's webhook; the delivery id is stable across retries. */
  'webhook.deliver': { workspaceId: string; messageId: string; deliveryId: string };
  /** Send one outbound message through its inbox's provider adapter (SMS, email, WeChat). */
  'channel.deliver': { workspaceId: string; messageId: string };
}
export type JobName = keyof JobPayloads;
export const jobNames = [
  'bot.reply',
  'webhook.deliver',
  'channel.deliver',
] as const satisfies readonly JobName[];

/** Exponential backoff with a ceiling: 2s, 4s, 8s … up to 10 minutes. */
export const retryDelayMs = (attempt: number): number => Math.min(600_000, 1000 * 2 ** Math.max(1, attempt));
