import type { OrderLookupConnector } from '@zhike/contracts';
import { describe, expect, it } from 'vitest';
import { bodyFromForm, emptyConnectorForm, formFromConnector } from './connectorForm.ts';

const saved: OrderLookupConnector = {
  id: '01936f3e-0000-7000-8000-000000000000',
  enabled: true,
  method: 'GET',
  urlTemplate: 'https://shop.example.com/o/{{order_number}}',
  headers: [
    { name: 'Authorization', secret: true, value: null, set: true },
    { name: 'X-Shop', secret: false, value: 'demo', set: true },
  ],
  bodyTemplate: null,
  mapping: {
    number: null,
    status: '$.status',
    carrier: null,
    trackingNumber: '$.waybill',
    phone: null,
    items: null,
    total: null,
  },
  notFoundPath: null,
  timeoutMs: 3000,
  retries: 2,
  allowedHosts: ['erp.lan'],
  version: 3,
  updatedAt: '2026-11-25T00:00:00.000Z',
};

describe('connector form', () => {
  it('round-trips a saved connector, sending an untouched secret back as null (kept)', () => {
    const body = bodyFromForm(formFromConnector(saved));
    expect(body.headers).toEqual([
      { name: 'Authorization', secret: true, value: null },
      { name: 'X-Shop', secret: false, value: 'demo' },
    ]);
    expect(body.mapping).toEqual(saved.mapping);
    expect(body).toMatchObject({ notFoundPath: null, bodyTemplate: null, allowedHosts: ['erp.lan'] });
  });

  it('sends a newly typed secret, blanks as null, and drops the body of a GET', () => {
    const form = formFromConnector(saved);
    form.headers[0] = { ...form.headers[0]!, value: 'Bearer new' };
    form.headers.push({ name: '  ', secret: false, value: 'ignored', set: false });
    form.mapping.carrier = '  ';
    form.bodyTemplate = '{"a":1}';
    form.allowedHosts = [' ERP.lan ', ''];
    const body = bodyFromForm(form);
    expect(body.headers[0]).toEqual({ name: 'Authorization', secret: true, value: 'Bearer new' });
    expect(body.headers).toHaveLength(2);
    expect(body.mapping.carrier).toBeNull();
    expect(body.bodyTemplate).toBeNull();
    expect(body.allowedHosts).toEqual(['erp.lan']);
  });

  it('starts disabled with the documented defaults', () => {
    expect(bodyFromForm(emptyConnectorForm())).toMatchObject({ enabled: false, timeoutMs: 3000, retries: 2 });
  });
});
