import { describe, expect, it } from 'vitest';
import { isTicketNews, RECENTLY_SOLVED_DAYS } from './customerTicketProgress.ts';
import type { Ticket } from './ticket.ts';

const ticket = (fields: Partial<Ticket>): Ticket => ({
  id: 't1',
  number: 'T2026112500001',
  type: 'fault',
  category: null,
  subject: '洗衣机漏水',
  description: null,
  fields: {},
  customFields: {},
  status: 'open',
  pendingReason: null,
  priority: 'normal',
  source: 'bot',
  conversationId: null,
  customerId: 'c1',
  assigneeId: null,
  queueId: null,
  orderNumbers: [],
  mergedIntoId: null,
  createdBy: null,
  createdAt: '2026-11-01T00:00:00.000Z',
  updatedAt: '2026-11-01T00:00:00.000Z',
  solvedAt: null,
  closedAt: null,
  ...fields,
});

describe('isTicketNews', () => {
  const now = new Date('2026-11-25T00:00:00.000Z');
  const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000).toISOString();

  it('keeps active tickets and those solved or closed within the window', () => {
    for (const status of ['new', 'open', 'pending'] as const)
      expect(isTicketNews(ticket({ status }), now)).toBe(true);
    expect(isTicketNews(ticket({ status: 'solved', solvedAt: daysAgo(RECENTLY_SOLVED_DAYS) }), now)).toBe(
      true,
    );
    expect(isTicketNews(ticket({ status: 'closed', solvedAt: null, closedAt: daysAgo(2) }), now)).toBe(true);
  });

  it('drops old solutions and duplicates merged away', () => {
    expect(isTicketNews(ticket({ status: 'solved', solvedAt: daysAgo(RECENTLY_SOLVED_DAYS + 1) }), now)).toBe(
      false,
    );
    expect(isTicketNews(ticket({ status: 'closed', solvedAt: daysAgo(20), closedAt: daysAgo(1) }), now)).toBe(
      false,
    );
    expect(isTicketNews(ticket({ status: 'closed', mergedIntoId: 't2', closedAt: daysAgo(1) }), now)).toBe(
      false,
    );
  });
});
