// The ticket.lookup action: the customer asks how their tickets stand ("我的工单进度"); the bot lists
// theirs (the host reads them by the conversation's customer, never by a number the customer types),
// each with its status in words, who handles it and when it is due; with none, it says so and offers a
// person.
import { customerValues, say, type TurnContext } from './context.ts';
import { escalate } from './escalation.ts';
import { acceptsOffer, declinesOffer, fillPlaceholders, type Phrases } from './text.ts';
import type { CustomerTickets } from './types.ts';

/** What the intent's reply says when the template gives none. */
const DEFAULT_REPLY = '{{tickets.list}}';

export async function reportTickets(ctx: TurnContext, intent: string): Promise<void> {
  const found = await ctx.ports.lookupTickets(ctx.input.customer.id);
  if (found.tickets.length === 0) {
    ctx.state.pending = { kind: 'offer_handoff', reason: 'customer_request' };
    say(ctx, ctx.bot.phrases.noTickets, 'ask');
    return;
  }
  const handler = ctx.bot.intents.get(intent)?.handler;
  const reply = handler?.type === 'action' && handler.reply ? handler.reply : DEFAULT_REPLY;
  const list = ticketList(ctx.bot.phrases, found);
  // A reply without the list (an owner's edit) still carries it: the list is the answer.
  const text = fillPlaceholders(reply.includes('{{tickets.list}}') ? reply : `${reply}\n{{tickets.list}}`, {
    ...customerValues(ctx),
    'tickets.count': String(found.tickets.length + found.more),
    'tickets.list': list,
  });
  say(ctx, text, 'answer');
}

export function ticketList(phrases: Phrases, found: CustomerTickets): string {
  const lines = found.tickets.map((t) =>
    phrases.ticketLine(
      t,
      phrases.ticketStatus(t),
      t.due ? phrases.dueTime(localParts(new Date(t.due.at), found.timeZone)) : null,
    ),
  );
  if (found.more > 0) lines.push(phrases.moreTickets(found.more));
  return lines.join('\n');
}

/** The customer's answer to an offered person: yes hands off, no closes politely, else it moves on. */
export async function answerOffer(
  ctx: TurnContext,
  pending: { reason: string },
  moveOn: () => Promise<void>,
): Promise<void> {
  ctx.state.pending = null;
  if (acceptsOffer(ctx.input.text)) return escalate(ctx, pending.reason, 'normal');
  if (declinesOffer(ctx.input.text)) {
    say(ctx, ctx.bot.phrases.anythingElse, 'answer');
    return;
  }
  await moveOn();
}

/** Month, day and HH:mm of an instant in a time zone (the shop's; Shanghai if the host sent a bad one). */
function localParts(at: Date, timeZone: string): { month: number; day: number; time: string } {
  const format = (zone: string) =>
    new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      month: 'numeric',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).formatToParts(at);
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = format(timeZone);
  } catch {
    parts = format('Asia/Shanghai');
  }
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return {
    month: Number(part('month')),
    day: Number(part('day')),
    time: `${part('hour')}:${part('minute')}`,
  };
}
