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

/**
 * Variables whose values are the customer's personal data. Agents see customers' names masked (an
 * unmasked one takes the audited reveal), so a preview or suggestion leaves these as written and the
 * server fills them only when the agent's message is sent (fillOnSend); the customer gets their name,
 * nobody reads it beforehand.
 */
export const PERSONAL_REPLY_VARIABLES: readonly string[] = ['customer.name'];
// The console reads the same list from @zhike/contracts/protocol (FILLED_ON_SEND); a test keeps them equal.

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
  /** Personal variables left as written because the server fills them when the message is sent. */
  deferred: string[];
}

/**
 * Fills what the context knows. Personal variables (PERSONAL_REPLY_VARIABLES) are deferred to the send
 * unless `personal: 'fill'` says the reader may see them (the bot, speaking to the customer itself).
 */
export function fillReplyVariables(
  body: string,
  context: ReplyContext,
  options: { personal?: 'fill' | 'defer' } = {},
): FilledReply {
  const values = replyVariableValues(context);
  const defer = (options.personal ?? 'defer') === 'defer';
  const missing: string[] = [];
  const deferred: string[] = [];
  const text = body.replace(PLACEHOLDER, (whole, key: string) => {
    if (defer && PERSONAL_REPLY_VARIABLES.includes(key)) {
      if (!deferred.includes(key)) deferred.push(key);
      return whole;
    }
    const value = values[key];
    if (value !== undefined) return inert(value);
    if (!missing.includes(key)) missing.push(key);
    return whole;
  });
  return { text, missing, deferred };
}

/**
 * What the server does to an agent's message as it is sent: personal variables get the customer's value;
 * one the shop does not know is dropped with the space before it (`您好 {{customer.name}}，` → `您好，`,
 * `Hi {{customer.name}},` → `Hi,`), so the customer never reads a placeholder.
 */
export function fillOnSend(text: string, customer: { name: string | null } | null): string {
  if (!text.includes('{{')) return text;
  const name = customer?.name?.trim() ? customer.name.trim() : null;
  return text.replace(/(\s*)\{\{\s*customer\.name\s*\}\}/g, (_whole, space: string) =>
    name === null ? '' : `${space}${inert(name)}`,
  );
}
