import type { WaitingConversation } from '@zhike/contracts';
import { describe, expect, it } from 'vitest';
import { offerDetails, secondsLeft } from './offers.ts';

describe('secondsLeft', () => {
  const now = Date.parse('2026-01-01T00:00:00.000Z');
  it('rounds up partial seconds and stops at zero', () => {
    expect(secondsLeft('2026-01-01T00:00:30.000Z', now)).toBe(30);
    expect(secondsLeft('2026-01-01T00:00:00.200Z', now)).toBe(1);
    expect(secondsLeft('2025-12-31T23:59:50.000Z', now)).toBe(0);
    expect(secondsLeft('not a date', now)).toBe(0);
  });
});

describe('offerDetails', () => {
  const row = (conversationId: string, over: Partial<WaitingConversation> = {}): WaitingConversation => ({
    conversationId,
    customerName: null,
    queue: null,
    priority: 'normal',
    priorityScore: 0,
    waitingSince: '2026-01-01T00:00:00.000Z',
    position: 1,
    estimatedWaitSeconds: null,
    offeredTo: null,
    ...over,
  });
  it('takes the customer, queue and priority of the offered conversation', () => {
    const waiting = [
      row('c1', { customerName: '王芳', priority: 'low' }),
      row('c2', {
        customerName: '李雷',
        queue: { id: 'q1', key: 'vip', name: 'VIP 专席' },
        priority: 'urgent',
      }),
    ];
    expect(offerDetails(waiting, 'c2')).toEqual({
      customerName: '李雷',
      queueName: 'VIP 专席',
      priority: 'urgent',
    });
  });
  it('has nothing to say about a conversation no longer waiting', () => {
    expect(offerDetails([row('c1')], 'c9')).toEqual({ customerName: null, queueName: null, priority: null });
  });
});
