// A public reply (sent to the customer in the ticket's conversation, on their channel) or an internal note
// for colleagues; @mentioned users (by name or the part of their email before the @) are recorded so the
// notification listener can tell them.

import { postOutgoingMessage } from '../conversations/postOutgoingMessage.ts';
import { DomainError, notFound } from '../errors.ts';
import type { DomainEvent } from '../events.ts';
import type { User } from '../model.ts';
import type { UseCaseDeps } from '../ports.ts';
import type { TicketActor } from './openTicket.ts';
import { TICKET_LIMITS, type TicketEntry } from './ticket.ts';

export interface CommentOnTicketInput {
  ticketId: string;
  body: string;
  visibility: 'public' | 'internal';
  actor: TicketActor;
  /** Same key, same comment (a retried request). */
  sourceKey?: string | null;
}

/** Users named as @name or @emailLocalPart in the text (longest names first, so "@Li Lei" beats "@Li"). */
export function findMentions(text: string, users: readonly User[]): string[] {
  const lower = text.toLowerCase();
  const found = new Set<string>();
  const handles = users
    .flatMap((u) => [
      { id: u.id, handle: u.name.toLowerCase() },
      { id: u.id, handle: u.email.split('@')[0]?.toLowerCase() ?? '' },
    ])
    .filter((h) => h.handle.length > 0)
    .sort((a, b) => b.handle.length - a.handle.length);
  for (let at = lower.indexOf('@'); at !== -1; at = lower.indexOf('@', at + 1)) {
    const rest = lower.slice(at + 1);
    const hit = handles.find((h) => {
      if (!rest.startsWith(h.handle)) return false;
      const next = rest.charAt(h.handle.length);
      // The handle must end there: "@li" does not mention "lina".
      return next === '' || !/[\p{L}\p{N}_.-]/u.test(next) || /[\u4e00-\u9fff]/.test(h.handle.slice(-1));
    });
    if (hit) found.add(hit.id);
  }
  return [...found];
}

export async function commentOnTicket(
  deps: UseCaseDeps,
  input: CommentOnTicketInput,
): Promise<{ entry: TicketEntry; events: DomainEvent[] }> {
  const body = input.body.trim();
  if (!body) throw new DomainError('validation_failed', 'the comment is empty');
  if ([...body].length > TICKET_LIMITS.bodyLength)
    throw new DomainError('validation_failed', 'the comment is too long');
  const users = input.visibility === 'internal' ? await deps.store.users.list() : [];
  const mentions = findMentions(body, users).filter((id) => id !== input.actor.id);
  return deps.store.transaction(async (tx) => {
    const ticket = await tx.tickets.get(input.ticketId);
    if (!ticket) throw notFound('ticket');
    const now = deps.clock.now().toISOString();
    const events: DomainEvent[] = [];
    let messageId: string | null = null;
    if (input.visibility === 'public') {
      if (!ticket.conversationId)
        throw new DomainError('conflict', 'this ticket has no conversation to reply in');
      if (ticket.status === 'closed') throw new DomainError('conflict', 'a closed ticket takes no replies');
      const conversation = await tx.conversations.get(ticket.conversationId);
      const inbox = conversation && (await tx.inboxes.get(conversation.inboxId));
      if (!conversation || !inbox) throw notFound('conversation');
      const posted = await postOutgoingMessage(deps, tx, conversation, inbox, {
        author: input.actor.type === 'user' ? 'agent' : 'system',
        authorUserId: input.actor.type === 'user' ? input.actor.id : null,
        text: body,
        idempotencyKey: input.sourceKey ? `ticket:${ticket.id}:${input.sourceKey}` : null,
      });
      messageId = posted.message.id;
      events.push(posted.event);
    }
    const entry = await tx.tickets.addEntry({
      id: deps.newId(),
      ticketId: ticket.id,
      kind: input.visibility === 'public' ? 'reply' : 'note',
      authorType: input.actor.type,
      authorId: input.actor.id,
      body,
      data: {},
      mentions,
      messageId,
      sourceKey: input.sourceKey ? `comment:${input.sourceKey}` : null,
      createdAt: now,
    });
    await tx.tickets.update(ticket.id, { updatedAt: now });
    if (input.actor.type === 'user' && input.actor.id)
      await tx.tickets.watchers.add(ticket.id, input.actor.id, now);
    for (const id of mentions) await tx.tickets.watchers.add(ticket.id, id, now);
    events.push({
      name: 'ticket.commented',
      workspaceId: deps.store.workspaceId,
      occurredAt: now,
      ticketId: ticket.id,
      entryId: entry.id,
      visibility: input.visibility,
      authorType: input.actor.type,
      authorId: input.actor.id,
      mentions,
    });
    return { entry, events };
  });
}
