// The bot gives up: humans take over, the customer is told so in the workspace's language, and an urgent
// hand-off (complaint, threat, anger) raises the conversation's priority for the inbox.

import type { DomainEvent } from '../events.ts';
import { customerLocale } from '../languages/customerLocale.ts';
import type { Conversation, Inbox, Locale, Priority, RoutingRecord } from '../model.ts';
import type { UseCaseDeps, WorkspaceRepositories } from '../ports.ts';
import { awaitHuman } from '../queues/awaitHuman.ts';
import { postOutgoingMessage } from './postOutgoingMessage.ts';

const notice: Record<Locale, { no_answer: string; other: string }> = {
  'zh-CN': {
    no_answer: '这个问题我暂时回答不了，已为您转接人工客服，请稍候。',
    other: '好的，已为您转接人工客服，请稍候。',
  },
  'en-US': {
    no_answer: "I can't answer that yet, so I've passed you to our team. Someone will be with you shortly.",
    other: "Sure, I've passed you to our team. Someone will be with you shortly.",
  },
};

export const handOffNotice = (locale: Locale, reason: string): string =>
  reason === 'no_answer' ? notice[locale].no_answer : notice[locale].other;

export interface HandOffInput {
  conversation: Conversation;
  inbox: Inbox;
  locale: Locale;
  reason: string;
  priority?: Priority;
  /** Where routing sent it (null/absent: the workspace's default queue) and why. */
  queueId?: string | null;
  priorityScore?: number;
  routing?: RoutingRecord | null;
  /** The bot's own words for the hand-off; the default notice otherwise. */
  notice?: string;
}

export async function handOffConversation(
  deps: UseCaseDeps,
  tx: WorkspaceRepositories,
  input: HandOffInput,
): Promise<DomainEvent[]> {
  const { conversation } = input;
  const now = deps.clock.now().toISOString();
  const { event } = await postOutgoingMessage(deps, tx, conversation, input.inbox, {
    author: 'system',
    authorUserId: null,
    text:
      input.notice ||
      handOffNotice(await customerLocale(tx, conversation.customerId, input.locale), input.reason),
  });
  const queued = await awaitHuman(deps, tx, {
    conversation,
    queueId: input.queueId ?? null,
    priority: input.priority ?? 'normal',
    priorityScore: input.priorityScore ?? 0,
    routing: input.routing ?? null,
  });
  return [
    event,
    ...queued,
    {
      name: 'conversation.handed_off',
      workspaceId: conversation.workspaceId,
      occurredAt: now,
      conversationId: conversation.id,
      reason: input.reason,
    },
  ];
}
