// The customer 360's recent orders through the shop's own order API (the bot's lookup path), on both
// backends: an order the customer named in a conversation and again in a ticket is asked about once per
// overview, and an order the API cannot answer for is counted as unavailable, not an error.
import { createServer, type Server } from 'node:http';
import type { CustomerOverview } from '@zhike/contracts';
import { type Backend, testBackends } from '@zhike/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, eventually, type TestApp, type TestSession } from './testing.ts';

const FOUND = 'ZK20261125901';
const BUSY = 'ZK20261125909';

describe.each(testBackends)('customer 360 orders through the connector on %s', (backend: Backend) => {
  let t: TestApp;
  let owner: TestSession;
  let merchant: Server;
  const hits: string[] = [];
  let customerId = '';

  beforeAll(async () => {
    merchant = createServer((req, res) => {
      const number = new URL(req.url ?? '/', 'http://x').pathname.split('/').at(-1) ?? '';
      hits.push(number);
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (number === BUSY) return json(503, { error: 'busy' });
      if (number !== FOUND) return json(404, { error: 'no such order' });
      return json(200, {
        data: { no: number, state: '运输中', amount: '89.00', lines: [{ name: '保温杯', qty: 1 }] },
      });
    });
    await new Promise<void>((r) => merchant.listen(0, '127.0.0.1', r));
    const port = (merchant.address() as { port: number }).port;

    t = await createTestApp(backend);
    owner = await t.login();
    const saved = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/connectors/order-lookup',
      headers: owner.headers,
      payload: {
        enabled: true,
        method: 'GET',
        urlTemplate: `http://127.0.0.1:${port}/orders/{{order_number}}`,
        headers: [],
        bodyTemplate: null,
        mapping: {
          number: '$.data.no',
          status: '$.data.state',
          carrier: null,
          trackingNumber: null,
          phone: null,
          items: '$.data.lines[*]',
          total: '$.data.amount',
        },
        notFoundPath: null,
        timeoutMs: 1000,
        retries: 0,
        allowedHosts: ['127.0.0.1'],
      },
    });
    expect(saved.statusCode).toBe(200);

    const key = await t.apiKey();
    const workspaceId = await t.demoWorkspaceId();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/inbound',
      headers: { authorization: `Bearer ${key}` },
      payload: { customer: { externalId: 'connector-orders' }, text: '你好', messageId: 'c360-orders-1' },
    });
    const { conversationId } = res.json() as { conversationId: string };
    const store = t.app.zhike.db.forWorkspace(workspaceId);
    // Let the bot's turn on "你好" finish before the dialogue state below is written over it.
    const state = await eventually(
      async () => (await store.botStates.get(conversationId)) ?? undefined,
      30_000,
    );
    const conversation = await store.conversations.get(conversationId);
    customerId = conversation!.customerId;
    // What the bot remembered from the customer, and a ticket naming the same order and one the API chokes on.
    await store.botStates.save({
      conversationId,
      state: { ...(state.state as object), memory: { order_number: FOUND } },
      lastMessageId: state.lastMessageId,
      expectedLastMessageId: state.lastMessageId,
      at: new Date().toISOString(),
    });
    for (const [i, number] of [FOUND, BUSY].entries())
      await store.tickets.create({
        type: 'refund',
        fields: { order_number: number },
        conversationId,
        customerId,
        sourceKey: `c360-orders-ticket-${i}`,
        createdAt: new Date(Date.now() + i).toISOString(),
      });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await new Promise<void>((r) => merchant?.close(() => r()));
  });

  it('asks the shop about each order once, and counts the ones it could not answer', async () => {
    hits.length = 0;
    const res = await t.app.inject({
      url: `/api/v1/customers/${customerId}/overview`,
      headers: owner.headers,
    });
    expect(res.statusCode).toBe(200);
    const { orders } = res.json() as CustomerOverview;
    expect(orders.source).toBe('connector');
    expect(orders.items).toEqual([
      {
        number: FOUND,
        status: '运输中',
        carrier: null,
        trackingNumber: null,
        items: [{ name: '保温杯', quantity: 1 }],
        total: '89.00',
        via: 'ticket',
      },
    ]);
    expect(orders.unavailable).toBe(1);
    expect(hits.sort()).toEqual([FOUND, BUSY].sort());
  });
});
