import { describe, expect, it } from 'vitest';
import { keySentences, maskInText, summariseHandoff } from './summariseHandoff.ts';

const zhRefund = {
  language: 'zh' as const,
  customerMessages: [
    '你好',
    '我要申请退款',
    'ZK20261125003',
    '衣服收到就有破洞，质量太差了，我要退款',
    '我的手机是13812345678',
    '转人工',
  ],
  slots: { order_number: 'ZK20261125003', reason: '衣服有破洞' },
  intentLabel: '申请退款',
  reason: 'customer_request',
};

describe('extractive hand-off summary', () => {
  it('Chinese: key sentences, the slots and the reason, in 2–3 sentences', () => {
    const text = summariseHandoff(zhRefund);
    expect(text).toContain('顾客咨询「申请退款」');
    expect(text).toContain('衣服收到就有破洞');
    expect(text).toContain('订单号 ZK20261125003');
    expect(text).toContain('原因 衣服有破洞');
    expect(text).toContain('转人工原因：顾客要求人工服务');
    expect(text.split('。').filter(Boolean).length).toBeLessThanOrEqual(3);
    // Greetings and "转人工" are never picked as what the customer said.
    expect(keySentences(zhRefund)).not.toContain('转人工');
    expect(keySentences(zhRefund).join('')).not.toContain('你好');
  });

  it('is deterministic', () => {
    const runs = new Set(Array.from({ length: 5 }, () => summariseHandoff(zhRefund)));
    expect(runs.size).toBe(1);
  });

  it('masks a phone number the customer typed', () => {
    const text = summariseHandoff({
      ...zhRefund,
      customerMessages: ['我的手机13812345678打不通，快递一直没收到'],
    });
    expect(text).not.toContain('13812345678');
    expect(text).toContain('138****5678');
    expect(maskInText('mail me at jane.doe@example.com')).toBe('mail me at j***@example.com');
  });

  it('English: key sentences, slots and reason', () => {
    const input = {
      language: 'en' as const,
      customerMessages: [
        'Hi there',
        'My order arrived with a broken screen and I want a refund.',
        'The order number is ZK20261125003.',
        'agent',
      ],
      slots: { order_number: 'ZK20261125003', phone: '138****5678' },
      intentLabel: 'Refund',
      reason: 'complaint',
    };
    const text = summariseHandoff(input);
    expect(text).toMatch(
      /^The customer asked about "Refund": "My order arrived with a broken screen and I want a refund"/,
    );
    expect(text).toContain('They gave order number ZK20261125003, phone 138****5678.');
    expect(text).toContain('Handed off because the customer complained.');
    expect(text).not.toContain('"agent"');
    expect(summariseHandoff(input)).toBe(text);
  });

  it('picks the sentences that carry the conversation over small talk, in the order said', () => {
    const key = keySentences({
      language: 'en',
      customerMessages: [
        'The weather is nice today.',
        'I never received my parcel.',
        'It was due last week and the parcel is still missing.',
      ],
      slots: {},
      intentLabel: null,
      reason: null,
    });
    expect(key).toEqual([
      'I never received my parcel',
      'It was due last week and the parcel is still missing',
    ]);
  });

  it('says so when the customer gave nothing but a request for a person', () => {
    expect(
      summariseHandoff({
        language: 'zh',
        customerMessages: ['转人工'],
        slots: {},
        intentLabel: null,
        reason: 'customer_request',
      }),
    ).toBe('顾客，未留下具体描述。转人工原因：顾客要求人工服务。');
    expect(
      summariseHandoff({
        language: 'en',
        customerMessages: ['human'],
        slots: {},
        intentLabel: null,
        reason: 'urgency:regulator_threat',
      }),
    ).toBe(
      'The customer wrote without giving details. Handed off because it is urgent (the customer threatened to go to the regulator).',
    );
  });
});
