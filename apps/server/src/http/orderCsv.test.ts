import { describe, expect, it } from 'vitest';
import { parseOrderCsv } from './orderCsv.ts';

const header = 'number,status,carrier,tracking_number,phone,total';

describe('order CSV', () => {
  it('reads quoted fields with commas, quotes and line breaks, a BOM and blank lines', () => {
    const text = `\uFEFF${header}\n"ZK1","已发货，今天","顺丰 ""特快""",SF1,13800138000,1.5\n\n"ZK2",待发货,,,,\n`;
    expect(parseOrderCsv(text)).toEqual({
      orders: [
        {
          number: 'ZK1',
          status: '已发货，今天',
          carrier: '顺丰 "特快"',
          trackingNumber: 'SF1',
          phone: '13800138000',
          items: [],
          total: '1.5',
        },
        {
          number: 'ZK2',
          status: '待发货',
          carrier: null,
          trackingNumber: null,
          phone: null,
          items: [],
          total: null,
        },
      ],
    });
  });

  it('reports every bad line with its number, including duplicates and broken quoting', () => {
    expect(parseOrderCsv(`${header}\nZK1,ok,,,,\nzk1,ok,,,,\nZK3,ok,,,abc,\nZK4,ok`)).toEqual({
      errors: [
        { line: 3, message: 'order zk1 already appears on line 2' },
        { line: 4, message: 'phone is not a phone number' },
        { line: 5, message: 'expected 6 fields, found 2' },
      ],
    });
    expect(parseOrderCsv(`${header}\n"ZK1,ok,,,,`)).toEqual({
      errors: [{ line: 2, message: 'an unterminated quoted field' }],
    });
    expect(parseOrderCsv('number,status\nZK1,ok')).toMatchObject({ errors: [{ line: 1 }] });
    expect(parseOrderCsv(header)).toMatchObject({ errors: [{ message: 'no orders in the file' }] });
  });
});
