import { describe, expect, it } from 'vitest';
import {
  fillBody,
  fillUrl,
  mapOrderResponse,
  type OrderLookupConnectorSettings,
  OrderMappingError,
  validateConnectorSettings,
} from './orderLookupConnector.ts';

const mapping = {
  number: '$.data.no',
  status: '$.data.state',
  carrier: '$.data.shipments[0].carrier',
  trackingNumber: '$.data.shipments[0].waybill',
  phone: '$.data.buyer.mobile',
  items: '$.data.lines[*]',
  total: '$.data.amount',
};

const settings = (over: Partial<OrderLookupConnectorSettings> = {}): OrderLookupConnectorSettings => ({
  enabled: true,
  method: 'GET',
  urlTemplate: 'https://shop.example.com/api/orders/{{order_number}}?phone={{phone}}',
  headers: [],
  bodyTemplate: null,
  mapping,
  notFoundPath: null,
  timeoutMs: 3000,
  retries: 2,
  allowedHosts: [],
  ...over,
});

describe('filling the request templates', () => {
  const values = { orderNumber: 'ZK 1/../admin?x=1#', phone: '+86 138' };
  it('URL-encodes placeholders so a number cannot add path segments or query keys', () => {
    expect(fillUrl('https://a.example/o/{{order_number}}?p={{ phone }}', values)).toBe(
      'https://a.example/o/ZK%201%2F..%2Fadmin%3Fx%3D1%23?p=%2B86%20138',
    );
  });
  it('JSON-escapes placeholders in the body', () => {
    const body = fillBody('{"no":"{{order_number}}"}', { orderNumber: 'a"}, "x": "y', phone: '' });
    expect(JSON.parse(body)).toEqual({ no: 'a"}, "x": "y' });
  });
});

describe('mapping a merchant answer', () => {
  const answer = {
    data: {
      no: 'ZK20261125009',
      state: '已发货',
      shipments: [{ carrier: '顺丰速运', waybill: 'SF99' }],
      buyer: { mobile: '139-0000-1234' },
      lines: [{ name: 'T恤', qty: 2 }, { title: '帽子' }, '袜子', { nope: 1 }],
      amount: 199.5,
    },
  };

  it('maps nested paths, reduces the phone to its last 4 digits and reads item lists', () => {
    expect(mapOrderResponse(settings(), answer, 'zk20261125009')).toEqual({
      found: true,
      order: {
        number: 'ZK20261125009',
        status: '已发货',
        carrier: '顺丰速运',
        trackingNumber: 'SF99',
        phoneLast4: '1234',
        items: [{ name: 'T恤', quantity: 2 }, { name: '帽子' }, { name: '袜子' }],
        total: '199.5',
      },
    });
  });

  it('falls back to the requested number and nulls for unmapped fields', () => {
    const result = mapOrderResponse(
      settings({
        mapping: { ...mapping, number: null, carrier: null, phone: '$.nope', items: null, total: null },
      }),
      answer,
      'ZK1',
    );
    expect(result).toEqual({
      found: true,
      order: {
        number: 'ZK1',
        status: '已发货',
        carrier: null,
        trackingNumber: 'SF99',
        phoneLast4: null,
        items: [],
        total: null,
      },
    });
  });

  it.each([
    [{ ok: false }, '$.ok'],
    [{ data: null }, '$.data'],
    [{ data: [] }, '$.data'],
    [{ data: {} }, '$.data'],
    [{}, '$.data'],
  ])('%j with not-found path %s is "not found"', (doc, notFoundPath) => {
    expect(mapOrderResponse(settings({ notFoundPath }), doc, 'ZK1')).toEqual({ found: false });
  });

  it('a missing status is a broken mapping, not a missing order', () => {
    expect(() => mapOrderResponse(settings(), { data: { no: 'x' } }, 'ZK1')).toThrow(OrderMappingError);
    expect(() => mapOrderResponse(settings(), { data: { state: { a: 1 } } }, 'ZK1')).toThrow(
      OrderMappingError,
    );
  });
});

describe('validating settings', () => {
  it('accepts a sound connector', () => {
    expect(validateConnectorSettings(settings())).toEqual([]);
  });
  it.each([
    [{ urlTemplate: 'not a url {{order_number}}' }, 'urlTemplate'],
    [{ urlTemplate: 'ftp://x.example/{{order_number}}' }, 'urlTemplate'],
    [{ urlTemplate: 'https://u:p@x.example/{{order_number}}' }, 'urlTemplate'],
    [{ urlTemplate: 'https://x.example/orders' }, 'urlTemplate'],
    [{ bodyTemplate: '{"a":1}' }, 'bodyTemplate'],
    [{ mapping: { ...mapping, status: 'data.state' } }, 'mapping/status'],
    [{ mapping: { ...mapping, items: '$..name' } }, 'mapping/items'],
    [{ notFoundPath: '$[?(@)]' }, 'notFoundPath'],
    [
      {
        headers: [
          { name: 'X-Key', secret: true, value: 'a' },
          { name: 'x-key', secret: false, value: 'b' },
        ],
      },
      'headers/1/name',
    ],
    [{ headers: [{ name: 'Host', secret: false, value: 'evil' }] }, 'headers/0/name'],
    [{ urlTemplate: 'https://{{order_number}}.shop.example/o' }, 'urlTemplate'],
    [{ urlTemplate: 'https://shop.example:{{phone}}/o/{{order_number}}' }, 'urlTemplate'],
    [{ timeoutMs: 20_000 }, 'timeoutMs'],
    [{ timeoutMs: 50 }, 'timeoutMs'],
    [{ retries: 6 }, 'retries'],
  ])('%j is refused at %s', (over, path) => {
    expect(validateConnectorSettings(settings(over)).map((p) => p.path)).toContain(path);
  });
});
