// The order.lookup action: find the order number (this message, or earlier in the conversation),
// check the customer owns the order, then answer from the order record with the intent's reply template.

import { normalise } from '../../nlu/src/index.ts';
import { customerValues, say, type TurnContext } from './context.ts';
import { escalate } from './escalation.ts';
import { fillPlaceholders } from './text.ts';
import { type Order, OrderLookupUnavailable } from './types.ts';

const MAX_ATTEMPTS = 2;

/**
 * The order, null when there is none, or undefined when the source could not answer: then the customer
 * has been told and handed to a human (or offered a callback), and the turn is over.
 */
async function findOrder(ctx: TurnContext, number: string): Promise<Order | null | undefined> {
  try {
    return await ctx.ports.lookupOrder(number);
  } catch (error) {
    if (!(error instanceof OrderLookupUnavailable)) throw error;
    say(ctx, ctx.bot.phrases.orderLookupUnavailable, 'info');
    await escalate(ctx, 'order_lookup_unavailable', 'normal');
    return undefined;
  }
}

export async function lookupOrder(ctx: TurnContext, intent: string): Promise<void> {
  const number = ctx.state.memory.order_number;
  if (!number) {
    ctx.state.pending = { kind: 'order_number', intent, attempts: 0 };
    say(ctx, ctx.bot.phrases.askOrderNumber, 'ask');
    return;
  }
  const order = await findOrder(ctx, number);
  if (order === undefined) return;
  if (!order) {
    const attempts = ctx.state.pending?.kind === 'order_number' ? ctx.state.pending.attempts + 1 : 1;
    if (attempts >= MAX_ATTEMPTS) {
      await escalate(ctx, 'order_not_found', 'normal');
      return;
    }
    delete ctx.state.memory.order_number;
    ctx.state.pending = { kind: 'order_number', intent, attempts };
    say(ctx, ctx.bot.phrases.orderNotFound(number), 'ask');
    return;
  }
  const handler = ctx.bot.intents.get(intent)?.handler;
  const mustVerify =
    handler?.type === 'action' &&
    handler.verify === 'phone_last4' &&
    !ctx.input.customer.verified &&
    !ctx.state.verifiedOrders.includes(order.number);
  if (mustVerify) {
    if (!order.phoneLast4) {
      // Nothing to check the customer against: a human decides what to reveal.
      await escalate(ctx, 'verification_unavailable', 'normal');
      return;
    }
    ctx.state.pending = { kind: 'verify', intent, orderNumber: order.number, attempts: 0 };
    say(ctx, ctx.bot.phrases.askPhoneLast4, 'ask');
    return;
  }
  reportOrder(ctx, intent, order);
}

/** Reads the customer's answer to the phone check: 4 digits, or a whole phone number. */
export async function checkVerification(ctx: TurnContext): Promise<void> {
  const pending = ctx.state.pending;
  if (pending?.kind !== 'verify') return;
  const order = await findOrder(ctx, pending.orderNumber);
  if (order === undefined) return;
  const digits = lastFourDigits(ctx);
  if (order && digits && digits === order.phoneLast4) {
    ctx.state.verifiedOrders.push(order.number);
    ctx.state.pending = null;
    reportOrder(ctx, pending.intent, order);
    return;
  }
  pending.attempts += 1;
  if (pending.attempts >= MAX_ATTEMPTS) {
    await escalate(ctx, 'verification_failed', 'normal');
    return;
  }
  say(ctx, ctx.bot.phrases.verifyFailed, 'ask');
}

export function lastFourDigits(ctx: TurnContext): string | null {
  const phone = ctx.analysis.entities.find((e) => e.type === 'phone');
  if (phone && typeof phone.value === 'string') return phone.value.slice(-4);
  const match = /(?<!\d)(\d{4})(?!\d)/.exec(normalise(ctx.input.text, { numerals: true }));
  return match?.[1] ?? null;
}

function reportOrder(ctx: TurnContext, intent: string, order: Order): void {
  ctx.state.pending = null;
  ctx.state.memory.order_number = order.number;
  const handler = ctx.bot.intents.get(intent)?.handler;
  const template =
    handler?.type === 'action' && handler.reply ? handler.reply : '{{order.number}}: {{order.status}}';
  const values = {
    ...customerValues(ctx),
    'order.number': order.number,
    'order.status': order.status,
    'order.carrier': order.carrier ?? undefined,
    'order.tracking_number': order.trackingNumber ?? undefined,
    'order.total': order.total === undefined || order.total === null ? undefined : String(order.total),
    'order.items': order.items?.map((i) => (i.quantity ? `${i.name} × ${i.quantity}` : i.name)).join('、'),
  };
  say(ctx, fillPlaceholders(template, values, ctx.bot.phrases.notAvailable), 'answer');
}
