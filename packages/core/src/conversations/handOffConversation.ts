// The bot gives up: humans take over, the customer is told so in the workspace's language.
import type { DomainEvent } from '../events.ts';
import type { Conversation, Inbox, Locale } from '../model.ts';
import type { UseCaseDeps, WorkspaceRepositories } from '../ports.ts';
import { postOutgoingMessage } from './postOutgoingMessage.ts';

export type HandOffReason = 'no_answer' | 'customer_asked';

const notice: Record<Locale, Record<HandOffReason, string>> = {
  'zh-CN': {
    no_answer: '这个问题我暂时回答不了，已为您转接人工客服，请稍候。',
    customer_asked: '好的，已为您转接人工客服，请稍候。',
  },
  'en-US': {
    no_answer: "I can't answer that yet, so I've passed you to our team. Someone will be with you shortly.",
    customer_asked: "Sure, I've passed you to our team. Someone will be with you shortly.",
  },
};

export const handOffNotice = (locale: Locale, reason: HandOffReason): string => notice[locale][reason];

export async function handOffConversation(
  deps: UseCaseDeps,
  tx: WorkspaceRepositories,
  input: { conversation: Conversation; inbox: Inbox; locale: Locale; reason: HandOffReason },
): Promise<DomainEvent[]> {
  const { conversation } = input;
  const now = deps.clock.now().toISOString();
  const { event } = await postOutgoingMessage(deps, tx, conversation, input.inbox, {
    author: 'system',
    authorUserId: null,
    text: handOffNotice(input.locale, input.reason),
  });
  await tx.conversations.update(conversation.id, { handedOff: true, botActive: false, updatedAt: now });
  return [
    event,
    {
      name: 'conversation.handed_off',
      workspaceId: conversation.workspaceId,
      occurredAt: now,
      conversationId: conversation.id,
      reason: input.reason,
    },
  ];
}
