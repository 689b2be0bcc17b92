// "Compute from the orders table": each customer's lifetime spend and order count are the sums over the
// shop's orders carrying one of their phones (matched by the phone's blind index, never in clear).
// Member level and tags stay as the shop set them; cancelled orders count like any other row, because
// the orders table does not say which statuses the shop treats as void.
import type { WorkspaceRepositories } from '../ports.ts';
import { setCustomerProfile } from './setCustomerProfile.ts';

/** "158.00" → 15800 fen; null for a missing or unreadable total. */
export function totalToFen(total: string | null): number | null {
  if (total === null) return null;
  const m = /^\s*(\d+)(?:\.(\d{1,2}))?\s*$/.exec(total);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

export async function profilesFromOrders(
  deps: { store: Pick<WorkspaceRepositories, 'orders' | 'customerProfiles' | 'routing'>; at: string },
  options: { maxOrders: number },
): Promise<{ orders: number; matchedOrders: number; customers: number }> {
  const { store } = deps;
  const orders = await store.orders.list({ limit: options.maxOrders });
  const owners = new Map<string, Set<string>>();
  for (const { customerId, phoneKey } of await store.customerProfiles.phoneKeys()) {
    const set = owners.get(phoneKey) ?? new Set<string>();
    set.add(customerId);
    owners.set(phoneKey, set);
  }
  const sums = new Map<string, { spend: number; count: number }>();
  let matchedOrders = 0;
  for (const order of orders) {
    if (!order.phone) continue;
    const key = await store.customerProfiles.phoneKey(order.phone);
    const customers = key === null ? undefined : owners.get(key);
    if (!customers) continue;
    matchedOrders++;
    for (const id of customers) {
      const sum = sums.get(id) ?? { spend: 0, count: 0 };
      sum.spend += totalToFen(order.total) ?? 0;
      sum.count += 1;
      sums.set(id, sum);
    }
  }
  const { tiers } = await store.routing.settings();
  for (const [customerId, sum] of sums) {
    const current = await store.customerProfiles.get(customerId);
    await setCustomerProfile(store, {
      customerId,
      profile: {
        memberLevel: current?.memberLevel ?? null,
        tags: current?.tags ?? [],
        lifetimeSpendFen: sum.spend,
        orderCount: sum.count,
      },
      tiers,
      at: deps.at,
    });
  }
  return { orders: orders.length, matchedOrders, customers: sums.size };
}
