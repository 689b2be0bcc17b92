import { describe, expect, it } from 'vitest';
import { advancesDelivery, type MessageDelivery, overallDelivery } from './deliveries.ts';

const part = (p: number, status: MessageDelivery['status']): MessageDelivery => ({
  id: `d${p}`,
  messageId: 'm',
  inboxId: 'i',
  part: p,
  providerMessageId: `p${p}`,
  status,
  error: status === 'failed' ? 'refused' : null,
  attempts: 1,
  passive: false,
  sendingAt: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
});

describe('delivery status', () => {
  it('only moves forward: late, repeated and out-of-order reports do not undo progress', () => {
    expect(advancesDelivery('sent', 'delivered')).toBe(true);
    expect(advancesDelivery('delivered', 'read')).toBe(true);
    expect(advancesDelivery('delivered', 'sent')).toBe(false);
    expect(advancesDelivery('read', 'delivered')).toBe(false);
    expect(advancesDelivery('sent', 'sent')).toBe(false);
    expect(advancesDelivery('queued', 'sent')).toBe(true);
  });

  it('takes a failure of something not yet delivered, and a later success over a failure', () => {
    expect(advancesDelivery('sent', 'failed')).toBe(true);
    expect(advancesDelivery('queued', 'failed')).toBe(true);
    expect(advancesDelivery('delivered', 'failed')).toBe(false);
    expect(advancesDelivery('failed', 'delivered')).toBe(true);
    expect(advancesDelivery('failed', 'sent')).toBe(false);
  });

  it('summarises a message sent in parts by its least advanced part, a failed one first', () => {
    expect(overallDelivery([])).toBeNull();
    expect(overallDelivery([part(0, 'delivered'), part(1, 'sent')])?.status).toBe('sent');
    expect(overallDelivery([part(0, 'read'), part(1, 'failed'), part(2, 'queued')])?.status).toBe('failed');
    expect(overallDelivery([part(0, 'read'), part(1, 'delivered')])?.status).toBe('delivered');
  });
});
