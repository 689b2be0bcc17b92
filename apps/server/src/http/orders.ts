// The shop's orders table over REST (the bot's order lookup reads it).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  type Order as OrderDto,
  OrderImportResult,
  OrderList,
  OrderQuery,
  UpsertedOrder,
  UpsertOrderBody,
} from '@zhike/contracts';
import type { Order } from '@zhike/core';
import Type from 'typebox';
import { principalOf } from '../auth/authenticate.ts';
import type { AppContext } from '../context.ts';
import { parseOrderCsv } from './orderCsv.ts';
import { maskedPii } from './presenters.ts';
import { HttpProblem } from './problems.ts';
import { problems } from './schemas.ts';

const orderDto = (o: Order): OrderDto => ({ ...o, phone: maskedPii.phone(o.phone) });

export const orderRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    // Only the import route reads CSV; this parser stays inside this plugin.
    app.addContentTypeParser('text/csv', { parseAs: 'string' }, (_request, body, done) => done(null, body));
    const store = (request: Parameters<typeof principalOf>[0]) =>
      ctx.db.forWorkspace(principalOf(request).workspaceId);

    app.get(
      '/api/v1/orders',
      {
        config: { auth: 'sessionOrApiKey', permission: 'orders.read' },
        schema: {
          tags: ['orders'],
          summary: 'Find an order by number, or list the latest orders',
          querystring: OrderQuery,
          response: { 200: OrderList, ...problems },
        },
      },
      async (request) => {
        const orders = store(request).orders;
        const { number, limit = 50 } = request.query;
        if (number !== undefined) {
          const order = await orders.get(number);
          return { orders: order ? [orderDto(order)] : [] };
        }
        return { orders: (await orders.list({ limit })).map(orderDto) };
      },
    );

    app.post(
      '/api/v1/orders',
      {
        config: { auth: 'sessionOrApiKey', permission: 'orders.manage' },
        schema: {
          tags: ['orders'],
          summary: 'Create an order, or replace the one with the same number',
          body: UpsertOrderBody,
          response: { 200: UpsertedOrder, 201: UpsertedOrder, ...problems },
        },
      },
      async (request, reply) => {
        const orders = store(request).orders;
        const b = request.body;
        const created = await orders.upsert(
          {
            number: b.number,
            status: b.status,
            carrier: b.carrier ?? null,
            trackingNumber: b.trackingNumber ?? null,
            phone: b.phone ?? null,
            items: b.items ?? [],
            total: b.total ?? null,
            ...(b.couponCode !== undefined ? { couponCode: b.couponCode } : {}),
          },
          ctx.clock.now().toISOString(),
        );
        const order = await orders.get(b.number);
        if (!order) throw new HttpProblem('conflict', 'The order changed while it was being saved');
        return reply.code(created ? 201 : 200).send({ order: orderDto(order), created });
      },
    );

    app.post(
      '/api/v1/orders/import',
      {
        config: { auth: 'sessionOrApiKey', permission: 'orders.manage' },
        schema: {
          tags: ['orders'],
          summary:
            'Import orders from CSV (text/csv; header number,status,carrier,tracking_number,phone,total)',
          description:
            'All or nothing: any malformed line fails the import with every problem listed in `errors` (path `line N`).',
          consumes: ['text/csv'],
          body: Type.String({ description: 'CSV text' }),
          response: { 200: OrderImportResult, ...problems },
        },
      },
      async (request) => {
        if (request.headers['content-type']?.split(';')[0]?.trim().toLowerCase() !== 'text/csv')
          throw new HttpProblem('unsupported_media_type', 'Send the file as text/csv');
        const parsed = parseOrderCsv(request.body);
        if ('errors' in parsed)
          throw new HttpProblem(
            'validation_failed',
            'The CSV file has errors; nothing was imported',
            parsed.errors.map((e) => ({ path: `line ${e.line}`, message: e.message })),
          );
        const at = ctx.clock.now().toISOString();
        let created = 0;
        await store(request).transaction(async (tx) => {
          for (const order of parsed.orders) if (await tx.orders.upsert(order, at)) created++;
        });
        return { imported: parsed.orders.length, created, updated: parsed.orders.length - created };
      },
    );
  };
