import { describe, expect, it } from 'vitest';
import { cleanOrderNumbers } from './TicketOrders.tsx';

describe('cleanOrderNumbers', () => {
  it('trims and upper-cases, keeps each once, drops what is not an order number, keeps at most 20', () => {
    expect(cleanOrderNumbers([' zk1001 ', 'ZK1001', 'zk-1002', 'not a number', ''])).toEqual([
      'ZK1001',
      'ZK-1002',
    ]);
    expect(cleanOrderNumbers(Array.from({ length: 25 }, (_, i) => `ZK${i}`))).toHaveLength(20);
  });
});
