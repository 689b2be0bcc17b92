// Each customer's facts for segments and offers: their orders found by phone (the blind index, never in
// clear, as the profile computation matches them), when they last ordered and what, and when they were
// last in touch on any channel.

import type { Order } from '../model.ts';
import type { WorkspaceRepositories } from '../ports.ts';
import { totalToFen } from '../routing/profilesFromOrders.ts';
import type { CustomerFacts } from './segment.ts';

/** Orders read at most (newest first) for segments and attribution. */
export const MAX_ORDERS_READ = 200_000;

type Store = Pick<WorkspaceRepositories, 'orders' | 'customerProfiles' | 'outreach'>;

export interface MatchedOrder {
  order: Order;
  customerIds: string[];
}

/** The workspace's orders with the customers each belongs to (by the phone on the order). */
export async function ordersByCustomer(store: Store): Promise<MatchedOrder[]> {
  const owners = new Map<string, string[]>();
  for (const { customerId, phoneKey } of await store.customerProfiles.phoneKeys()) {
    const list = owners.get(phoneKey) ?? [];
    if (!list.includes(customerId)) list.push(customerId);
    owners.set(phoneKey, list);
  }
  const out: MatchedOrder[] = [];
  for (const order of await store.orders.list({ limit: MAX_ORDERS_READ })) {
    const key = order.phone ? await store.customerProfiles.phoneKey(order.phone) : null;
    out.push({ order, customerIds: (key !== null && owners.get(key)) || [] });
  }
  return out;
}

export async function customerFacts(store: Store): Promise<CustomerFacts[]> {
  const audience = await store.outreach.audience();
  const orders = await ordersByCustomer(store);
  const sums = new Map<string, { last: string; count: number; spend: number; product: string | null }>();
  for (const { order, customerIds } of orders)
    for (const id of customerIds) {
      const sum = sums.get(id) ?? { last: '', count: 0, spend: 0, product: null };
      sum.count++;
      sum.spend += totalToFen(order.total) ?? 0;
      if (order.createdAt > sum.last) {
        sum.last = order.createdAt;
        sum.product = order.items[0]?.name ?? null;
      }
      sums.set(id, sum);
    }
  return audience.map((a) => {
    const sum = sums.get(a.customerId);
    return {
      customerId: a.customerId,
      tier: a.tier,
      tags: a.tags,
      lastOrderAt: sum?.last || null,
      orderCount: sum?.count ?? 0,
      spendFen: sum?.spend ?? 0,
      lastProduct: sum?.product ?? null,
      lastContactAt: a.lastContactAt,
    };
  });
}
