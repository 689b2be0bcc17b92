// Filling a reply's `{{variables}}` for one conversation. Unlike the bot, which says "n/a" for a value it
// lacks, an agent completes the reply: what could not be filled stays visible as written and is reported,
// so the console can point at `{{order.number}}` instead of a hole being sent.
import type { ReplyContext } from './buildReplyContext.ts';

/** The placeholder syntax the bot's templates use (packages/bot text.ts): `{{ key }}`. */
const PLACEHOLDER = /\{\{\s*([\w.-]+)\s*\}\}/g;

/**
 * Variables every reply may name besides the shop's own (the bot template's `variables`: shop.name,
 * shop.hours…). Order fields carry the bot's names too (`order.tracking_number`), so a reply copied from
 * a bot answer fills the same way.
 */
export const REPLY_VARIABLES = [
  'customer.name',
  'agent.name',
  'order.number',
  'order.status',
  'order.carrier',
  'order.trackingNumber',
  'order.tracking_number',
  'order.total',
  'order.items',
] as const;

export function placeholdersIn(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1] ?? '');
}

/** Every variable's value in this context; absent when the context does not know it. */
export function replyVariableValues(context: ReplyContext): Record<string, string> {
  const values: Record<string, string> = { ...context.variables };
  const set = (key: string, value: string | null | undefined) => {
    if (value != null && value.trim() !== '') values[key] = value;
  };
  set('customer.name', context.customer?.name);
  set('agent.name', context.agent?.name);
  const order = context.order;
  if (order) {
    set('order.number', order.number);
    set('order.status', order.status);
    set('order.carrier', order.carrier);
    set('order.trackingNumber', order.trackingNumber);
    set('order.tracking_number', order.trackingNumber);
    set('order.total', order.total);
    set('order.items', order.items);
  }
  return values;
}

/**
 * A value is the customer's or the shop's words: braces in it are broken apart, so a name such as
 * `{{agent.name}}` can never read as a placeholder in the filled text (nor be filled by a later pass).
 */
const inert = (value: string) => value.replace(/\{(?=\{)/g, '{ ').replace(/\}(?=\})/g, '} ');

export interface FilledReply {
  text: string;
  /** Variables left as written (unknown here, or named but not known), each once, in order of appearance. */
  missing: string[];
}

export function fillReplyVariables(body: string, context: ReplyContext): FilledReply {
  const values = replyVariableValues(context);
  const missing: string[] = [];
  const text = body.replace(PLACEHOLDER, (whole, key: string) => {
    const value = values[key];
    if (value !== undefined) return inert(value);
    if (!missing.includes(key)) missing.push(key);
    return whole;
  });
  return { text, missing };
}
