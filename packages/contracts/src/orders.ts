// The shop's orders (the bot's order lookup reads them).
import Type from 'typebox';
import { Id, Limit, Timestamp } from './common.ts';

export const OrderNumber = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' });

export const OrderItem = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    quantity: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
  },
  { additionalProperties: false },
);

const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const Order = Type.Object({
  number: Type.String(),
  status: Type.String(),
  carrier: Nullable(Type.String()),
  trackingNumber: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  items: Type.Array(OrderItem),
  total: Nullable(Type.String()),
  couponCode: Type.Optional(Nullable(Type.String())),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Order = Type.Static<typeof Order>;

export const OrderList = Type.Object({ orders: Type.Array(Order) });
export type OrderList = Type.Static<typeof OrderList>;

export const OrderQuery = Type.Object(
  {
    number: Type.Optional(OrderNumber),
    limit: Type.Optional(Limit),
  },
  { additionalProperties: false },
);
export type OrderQuery = Type.Static<typeof OrderQuery>;

export const UpsertOrderBody = Type.Object(
  {
    number: OrderNumber,
    status: Type.String({ minLength: 1, maxLength: 64 }),
    carrier: Type.Optional(Nullable(Type.String({ maxLength: 64 }))),
    trackingNumber: Type.Optional(Nullable(Type.String({ maxLength: 64 }))),
    phone: Type.Optional(Nullable(Type.String({ maxLength: 32, pattern: '^\\+?[0-9 -]{4,31}$' }))),
    items: Type.Optional(Type.Array(OrderItem, { maxItems: 200 })),
    total: Type.Optional(Nullable(Type.String({ maxLength: 32, pattern: '^[0-9]+(\\.[0-9]{1,2})?$' }))),
    couponCode: Type.Optional(
      Nullable(Type.String({ maxLength: 40, description: 'The coupon used (re-engagement attribution)' })),
    ),
  },
  { additionalProperties: false },
);
export type UpsertOrderBody = Type.Static<typeof UpsertOrderBody>;

export const UpsertedOrder = Type.Object({ order: Order, created: Type.Boolean() });

/** CSV columns of `POST /api/v1/orders/import`, in this order, as the first line. */
export const ORDER_CSV_HEADER = 'number,status,carrier,tracking_number,phone,total';

export const OrderImportResult = Type.Object({
  imported: Type.Integer({ description: 'Orders created or updated' }),
  created: Type.Integer(),
  updated: Type.Integer(),
});
export type OrderImportResult = Type.Static<typeof OrderImportResult>;
