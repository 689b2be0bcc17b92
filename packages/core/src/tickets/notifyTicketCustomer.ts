// Tells the customer their ticket moved (open, waiting on them, solved, closed) in the ticket's own
// conversation, so the message goes out on their channel through the usual outbox. Once per status: the
// ticket remembers what the customer was last told (compare-and-set), so a retried job sends nothing.
import { postOutgoingMessage } from '../conversations/postOutgoingMessage.ts';
import type { DomainEvent } from '../events.ts';
import type { Locale } from '../model.ts';
import type { UseCaseDeps } from '../ports.ts';
import type { TicketStatus } from './ticket.ts';

type Told = Exclude<TicketStatus, 'new'>;

export const ticketStatusTexts: Record<
  Locale,
  Record<Told, (n: string, pendingOnCustomer: boolean) => string>
> = {
  'zh-CN': {
    open: (n) => `您的工单 ${n} 已受理，正在处理中。`,
    pending: (n, onCustomer) =>
      onCustomer
        ? `您的工单 ${n} 需要您补充信息，请直接回复本消息。`
        : `您的工单 ${n} 正在等待第三方处理，有进展会第一时间通知您。`,
    solved: (n) => `您的工单 ${n} 已解决。如仍有问题，请直接回复本消息，我们会重新为您处理。`,
    closed: (n) => `您的工单 ${n} 已关闭，感谢您的耐心。`,
  },
  'en-US': {
    open: (n) => `Your ticket ${n} has been accepted and is being worked on.`,
    pending: (n, onCustomer) =>
      onCustomer
        ? `Your ticket ${n} needs more information from you: just reply to this message.`
        : `Your ticket ${n} is waiting on a third party; we'll let you know as soon as it moves.`,
    solved: (n) =>
      `Your ticket ${n} is solved. If anything is still wrong, reply to this message and we'll reopen it.`,
    closed: (n) => `Your ticket ${n} is closed. Thank you for your patience.`,
  },
};

export async function notifyTicketCustomer(
  deps: UseCaseDeps,
  input: { ticketId: string },
): Promise<{ sent: boolean; events: DomainEvent[] }> {
  const settings = await deps.store.tickets.settings.get();
  if (!settings.notifyCustomer) return { sent: false, events: [] };
  const locale = (await deps.store.workspace.get()).locale;
  return deps.store.transaction(async (tx) => {
    const ticket = await tx.tickets.get(input.ticketId);
    // Nothing to tell about a new ticket, nowhere to tell it without a conversation; merged duplicates
    // were closed on the customer's behalf by the survivor.
    if (!ticket || ticket.status === 'new' || !ticket.conversationId || ticket.mergedIntoId)
      return { sent: false, events: [] };
    const conversation = await tx.conversations.get(ticket.conversationId);
    const inbox = conversation && (await tx.inboxes.get(conversation.inboxId));
    if (!conversation || !inbox) return { sent: false, events: [] };
    if (!(await tx.tickets.markNotified(ticket.id, ticket.status))) return { sent: false, events: [] };
    const text = ticketStatusTexts[locale === 'en-US' ? 'en-US' : 'zh-CN'][ticket.status](
      ticket.number,
      ticket.pendingReason === 'customer',
    );
    // A notice like the survey's invitation, not the bot answering: it neither counts as the AI's first
    // response nor ends a customer's wait for a person.
    const { event } = await postOutgoingMessage(deps, tx, conversation, inbox, {
      author: 'system',
      authorUserId: null,
      text,
      idempotencyKey: `ticket:${ticket.id}:status:${ticket.status}:${ticket.updatedAt}`,
    });
    return { sent: true, events: [event] };
  });
}
