// Where the bot's order lookup reads from: the workspace's enabled order-lookup connector (the shop's
// own system) when there is one, else the orders table. A connector that cannot answer becomes the
// engine's OrderLookupUnavailable, so the turn tells the customer and hands off instead of failing.
import { type Order, OrderLookupUnavailable } from '@zhike/bot';
import { usesPhone, type WorkspaceStore } from '@zhike/core';
import { callOrderApi } from '../connectors/callOrderApi.ts';
import { botOrder } from './templateBot.ts';

export interface OrderLookupContext {
  /** The customer asking: their phone fills `{{phone}}` in the connector's request. */
  customerId: string;
}

export function lookupOrderFor(
  store: WorkspaceStore,
  context: OrderLookupContext,
): (number: string) => Promise<Order | null> {
  return async (number) => {
    const connector = await store.connectors.getOrderLookup();
    if (!connector?.enabled) {
      const order = await store.orders.get(number);
      return order ? botOrder(order) : null;
    }
    const phone = usesPhone(connector) ? ((await store.customers.get(context.customerId))?.phone ?? '') : '';
    const call = await callOrderApi(connector, { orderNumber: number, phone });
    if (!call.outcome.ok)
      throw new OrderLookupUnavailable(`order connector ${call.outcome.kind}: ${call.outcome.message}`);
    return call.outcome.result.found ? call.outcome.result.order : null;
  };
}
