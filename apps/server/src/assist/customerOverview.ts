// The customer 360 an agent sees beside a conversation, in one call: who the customer is on every channel
// (masked), what they are worth, their recent orders, past conversations and tickets with how they ended,
// their last CSAT and the team's notes. A merged-away id answers for the customer it became.
import { OrderLookupUnavailable } from '@zhike/bot';
import type {
  ConversationOutcome,
  CustomerOverview,
  OverviewConversation,
  OverviewOrder,
} from '@zhike/contracts';
import {
  type Conversation,
  type ConversationTurn,
  type Customer,
  normaliseIdentity,
  type Ticket,
  type WorkspaceStore,
} from '@zhike/core';
import { lookupOrderFor } from '../bot/orderLookup.ts';
import type { TargetNames } from '../bot/targetNames.ts';
import { authorNames, identityDto, maskedPii, noteDto } from '../http/presenters.ts';

const RECENT_CONVERSATIONS = 20;
const RECENT_TICKETS = 20;
const RECENT_ORDERS = 5;
const NOTES = 50;
/** Orders table rows scanned for the customer's phone (the newest; a small shop's recent history). */
const ORDERS_SCANNED = 2000;

const phoneOf = (value: string): string | null => {
  try {
    return normaliseIdentity('phone', value);
  } catch {
    return null;
  }
};

/** Order numbers the customer gave (tickets, then the bot's memory of each conversation), newest first. */
async function mentionedOrders(
  store: WorkspaceStore,
  conversations: readonly Conversation[],
  tickets: readonly Ticket[],
): Promise<{ number: string; via: OverviewOrder['via'] }[]> {
  const found: { number: string; via: OverviewOrder['via'] }[] = [];
  for (const t of tickets) {
    const number = t.fields.order_number;
    if (number) found.push({ number, via: 'ticket' });
  }
  for (const c of conversations) {
    const state = (await store.botStates.get(c.id))?.state as
      | { memory?: Record<string, unknown> }
      | undefined;
    const number = state?.memory?.order_number;
    if (typeof number === 'string' && number !== '') found.push({ number, via: 'conversation' });
  }
  return found;
}

/** Recent orders through the bot's own lookup (orders table or the shop's connector), each asked once. */
async function recentOrders(
  store: WorkspaceStore,
  customer: Customer,
  conversations: readonly Conversation[],
  tickets: readonly Ticket[],
): Promise<CustomerOverview['orders']> {
  const connector = await store.connectors.getOrderLookup();
  const source = connector?.enabled ? 'connector' : 'orders';
  const wanted: { number: string; via: OverviewOrder['via'] }[] = [];
  if (source === 'orders') {
    // The orders table knows the phone on each order: the customer's phones find orders they never named.
    const phones = new Set(
      [customer.phone, ...customer.identities.filter((i) => i.kind === 'phone').map((i) => i.value)]
        .flatMap((p) => (p ? [phoneOf(p)] : []))
        .filter((p): p is string => p !== null),
    );
    if (phones.size > 0)
      for (const order of await store.orders.list({ limit: ORDERS_SCANNED })) {
        const phone = order.phone ? phoneOf(order.phone) : null;
        if (phone && phones.has(phone)) wanted.push({ number: order.number, via: 'phone' });
      }
  }
  wanted.push(...(await mentionedOrders(store, conversations, tickets)));
  const lookup = lookupOrderFor(store, { customerId: customer.id });
  // One call per order number, however often it was mentioned: the shop's API is not ours to hammer.
  const asked = new Set<string>();
  const items: OverviewOrder[] = [];
  let unavailable = 0;
  for (const { number, via } of wanted) {
    const key = number.trim().toUpperCase();
    if (asked.has(key)) continue;
    if (items.length + unavailable >= RECENT_ORDERS) break;
    asked.add(key);
    try {
      const order = await lookup(number);
      if (!order) continue;
      items.push({
        number: order.number,
        status: order.status,
        carrier: order.carrier ?? null,
        trackingNumber: order.trackingNumber ?? null,
        items: (order.items ?? []).map((i) => ({
          name: i.name,
          ...(typeof i.quantity === 'number' && Number.isInteger(i.quantity) ? { quantity: i.quantity } : {}),
        })),
        total: order.total === null || order.total === undefined ? null : String(order.total),
        via,
      });
    } catch (error) {
      if (!(error instanceof OrderLookupUnavailable)) throw error;
      unavailable++;
    }
  }
  return { source, items, unavailable };
}

function outcomeOf(conversation: Conversation, turns: readonly ConversationTurn[]): ConversationOutcome {
  if (conversation.status === 'resolved') return 'resolved';
  if (conversation.handedOff || turns.some((t) => t.outcome === 'handed_off')) return 'handed_off';
  if (turns.some((t) => t.outcome === 'answered')) return 'bot_answered';
  return 'open';
}

export async function customerOverview(
  store: WorkspaceStore,
  requestedId: string,
  nameOf: TargetNames = () => null,
): Promise<CustomerOverview | null> {
  const customer = await store.customers.get(requestedId);
  if (!customer) return null;
  const all = await store.conversations.listByCustomer(customer.id);
  const conversations = all.slice(-RECENT_CONVERSATIONS).reverse();
  const [tickets, profile, notes, names, inboxes, turns] = await Promise.all([
    store.tickets.forCustomer(customer.id, RECENT_TICKETS),
    store.customerProfiles.get(customer.id),
    store.customerNotes.list(customer.id, NOTES),
    authorNames(store),
    store.inboxes.list(),
    store.botTurns.forConversations(conversations.map((c) => c.id)),
  ]);
  const ratings = new Map(
    await Promise.all(conversations.map(async (c) => [c.id, await store.assist.rating(c.id)] as const)),
  );
  const inboxName = new Map(inboxes.map((i) => [i.id, i.name]));
  const turnsOf = new Map<string, ConversationTurn[]>();
  for (const t of turns) turnsOf.set(t.conversationId, [...(turnsOf.get(t.conversationId) ?? []), t]);
  const history: OverviewConversation[] = conversations.map((c) => {
    const own = turnsOf.get(c.id) ?? [];
    const understood = [...own]
      .reverse()
      .find((t): t is ConversationTurn & { target: string } => t.target !== null);
    return {
      id: c.id,
      channel: c.channel,
      inboxName: inboxName.get(c.inboxId) ?? '',
      status: c.status,
      outcome: outcomeOf(c, own),
      // Today's name first (a label added since shows on old conversations), then the one stored with the turn.
      intent: understood ? (nameOf(understood.target) ?? understood.targetLabel ?? understood.target) : null,
      csat: ratings.get(c.id)?.score ?? null,
      createdAt: c.createdAt,
      updatedAt: c.updatedAt,
    };
  });
  // The latest rating of any of these conversations, by when it was given.
  const lastRated = conversations
    .flatMap((c) => {
      const rating = ratings.get(c.id);
      return rating ? [{ conversationId: c.id, ...rating }] : [];
    })
    .sort((a, b) => b.ratedAt.localeCompare(a.ratedAt))[0];
  return {
    customer: {
      id: customer.id,
      name: maskedPii.name(customer.name),
      email: maskedPii.email(customer.email),
      phone: maskedPii.phone(customer.phone),
      createdAt: customer.createdAt,
    },
    requestedId,
    identities: customer.identities.map(identityDto),
    value: profile
      ? {
          customerId: customer.id,
          memberLevel: profile.memberLevel,
          lifetimeSpendFen: profile.lifetimeSpendFen,
          orderCount: profile.orderCount,
          tags: profile.tags,
          tier: profile.tier,
          updatedAt: profile.updatedAt,
        }
      : null,
    orders: await recentOrders(store, customer, conversations, tickets),
    conversations: history,
    tickets: tickets.map((t) => ({
      id: t.id,
      number: t.number,
      type: t.type,
      status: t.status,
      conversationId: t.conversationId,
      createdAt: t.createdAt,
    })),
    lastCsat: lastRated
      ? {
          conversationId: lastRated.conversationId,
          score: lastRated.score,
          comment: lastRated.comment,
          at: lastRated.ratedAt,
        }
      : null,
    notes: notes.map((n) => noteDto(n, names)),
  };
}
