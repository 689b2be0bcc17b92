// Handing off to a human, or, outside business hours, taking contact details and a question for a
// callback instead of promising a human who is not there.

import { entityValue, humansAvailable, say, type TurnContext } from './context.ts';

export async function escalate(ctx: TurnContext, reason: string, priority: 'normal' | 'high'): Promise<void> {
  if (humansAvailable(ctx.input.businessHours, ctx.input.now)) {
    say(ctx, priority === 'high' ? ctx.bot.phrases.handoffUrgent : ctx.bot.phrases.handoff, 'handoff');
    ctx.handoff = { reason, priority };
    ctx.state.handedOff = true;
    ctx.state.pending = null;
    return;
  }
  say(ctx, ctx.bot.phrases.outOfHours, 'info');
  // The message that led here is the question, unless it only asked for a human.
  const question = ctx.analysis.asksForHuman ? null : ctx.input.text.trim() || null;
  ctx.state.pending = { kind: 'callback', reason, phone: knownPhone(ctx), question };
  await continueCallback(ctx);
}

function knownPhone(ctx: TurnContext): string | null {
  return ctx.state.memory.phone ?? ctx.input.customer.phone ?? null;
}

/** Fills in whatever the callback still lacks from this message, asks for the next thing or files it. */
export async function continueCallback(ctx: TurnContext, answer?: string): Promise<void> {
  const pending = ctx.state.pending;
  if (pending?.kind !== 'callback') return;
  if (answer !== undefined) {
    const phone = entityValue(ctx, 'phone');
    if (!pending.phone && phone) {
      pending.phone = phone;
      ctx.state.memory.phone = pending.phone;
    } else if (pending.phone && !pending.question) pending.question = answer.trim();
  }
  if (!pending.phone) {
    say(ctx, ctx.bot.phrases.askCallbackPhone, 'ask');
    return;
  }
  if (!pending.question) {
    say(ctx, ctx.bot.phrases.askCallbackQuestion, 'ask');
    return;
  }
  const { number } = await ctx.ports.createCallback({
    phone: pending.phone,
    note: `[${pending.reason}] ${pending.question}`,
    customerId: ctx.input.customer.id,
  });
  ctx.state.pending = null;
  say(ctx, ctx.bot.phrases.callbackCreated(number), 'info');
}
