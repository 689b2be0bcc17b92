// What a reply's variables are filled from in one conversation: the customer, the order it is about, the
// agent writing, and the shop's own variables. Used by the reply preview and by live recommendations.
import { normaliseIdentity } from '../customers/normaliseIdentity.ts';
import type { Customer, Order } from '../model.ts';
import type { WorkspaceRepositories } from '../ports.ts';

export interface ReplyContext {
  customer: { name: string | null } | null;
  /**
   * The order the conversation is about: the number the customer gave the bot (`dialogue`), else the
   * customer's latest order in the orders table (`latest`). Fields the lookup could not give are null.
   */
  order: {
    number: string;
    status: string | null;
    carrier: string | null;
    trackingNumber: string | null;
    total: string | null;
    /** `name × quantity` joined as the bot lists them. */
    items: string | null;
    source: 'dialogue' | 'latest';
  } | null;
  agent: { name: string } | null;
  /** The shop's variables as the bot fills them: the template's defaults overridden by the owner's values. */
  variables: Readonly<Record<string, string>>;
}

/** What a reply names of an order; the shop's table and its connector (the bot's view) both give it. */
export interface ReplyOrderFacts {
  number: string;
  status: string;
  carrier?: string | null;
  trackingNumber?: string | null;
  items?: { name: string; quantity?: number }[];
  total?: string | number | null;
}

export interface ReplyContextDeps {
  store: Pick<WorkspaceRepositories, 'conversations' | 'customers' | 'botStates' | 'orders' | 'users'>;
  /**
   * Looks an order up where the bot does (the shop's connector, else the orders table); null when it is
   * unknown or the lookup cannot answer now (the reply then shows the order's fields as missing).
   */
  findOrder: (number: string, customerId: string) => Promise<ReplyOrderFacts | null>;
  /** The shop's variables (shop.name, shop.hours…); empty when the workspace has no bot set up. */
  shopVariables: () => Promise<Record<string, string>>;
}

/** How many of the newest orders are searched for the customer's phone when the bot learned no number. */
export const LATEST_ORDER_SCAN = 200;

/** The order number the bot's dialogue collected: remembered, being verified, or a form's slot. */
export function dialogueOrderNumber(state: unknown): string | null {
  if (typeof state !== 'object' || state === null) return null;
  const s = state as { memory?: unknown; pending?: unknown };
  const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null);
  const memory =
    typeof s.memory === 'object' && s.memory !== null ? (s.memory as Record<string, unknown>) : {};
  const pending =
    typeof s.pending === 'object' && s.pending !== null ? (s.pending as Record<string, unknown>) : {};
  const values =
    typeof pending.values === 'object' && pending.values !== null
      ? (pending.values as Record<string, unknown>)
      : {};
  return text(memory.order_number) ?? text(pending.orderNumber) ?? text(values.order_number);
}

const phoneOf = (phone: string | null): string | null => {
  if (!phone) return null;
  try {
    return normaliseIdentity('phone', phone);
  } catch {
    return null;
  }
};

/** The customer's newest order among the shop's recent ones, matched by phone. */
async function latestOrderOf(
  store: Pick<WorkspaceRepositories, 'orders'>,
  customer: Customer,
): Promise<Order | null> {
  const phone = phoneOf(customer.phone);
  if (!phone) return null;
  // Newest first, so the first match is the latest order.
  for (const order of await store.orders.list({ limit: LATEST_ORDER_SCAN }))
    if (phoneOf(order.phone) === phone) return order;
  return null;
}

const orderView = (
  order: ReplyOrderFacts,
  source: 'dialogue' | 'latest',
): NonNullable<ReplyContext['order']> => ({
  number: order.number,
  status: order.status,
  carrier: order.carrier ?? null,
  trackingNumber: order.trackingNumber ?? null,
  total: order.total == null ? null : String(order.total),
  items: order.items?.length
    ? order.items.map((i) => (i.quantity ? `${i.name} × ${i.quantity}` : i.name)).join('、')
    : null,
  source,
});

/** Null when the workspace has no such conversation. */
export async function buildReplyContext(
  deps: ReplyContextDeps,
  input: { conversationId: string; agentId: string | null },
): Promise<ReplyContext | null> {
  const { store } = deps;
  const conversation = await store.conversations.get(input.conversationId);
  if (!conversation) return null;
  const [customer, agent, botState, variables] = await Promise.all([
    store.customers.get(conversation.customerId),
    input.agentId ? store.users.get(input.agentId) : Promise.resolve(null),
    store.botStates.get(conversation.id),
    deps.shopVariables(),
  ]);
  let order: ReplyContext['order'] = null;
  const number = dialogueOrderNumber(botState?.state);
  if (number) {
    const found = await deps.findOrder(number, conversation.customerId);
    order = found
      ? orderView(found, 'dialogue')
      : {
          number,
          status: null,
          carrier: null,
          trackingNumber: null,
          total: null,
          items: null,
          source: 'dialogue',
        };
  } else if (customer) {
    const latest = await latestOrderOf(store, customer);
    if (latest) order = orderView(latest, 'latest');
  }
  return {
    customer: customer ? { name: customer.name } : null,
    order,
    agent: agent ? { name: agent.name } : null,
    variables,
  };
}
