import { describe, expect, it } from 'vitest';
import {
  customerChoices,
  defaultFormValues,
  defaultTimeZone,
  fieldOfProblemDetail,
  fieldOfProblemPath,
  parsePhoneList,
  toCampaignBody,
} from './campaignForm.ts';

describe('parsePhoneList', () => {
  it('takes one number per line, strips phone punctuation and drops duplicates in order', () => {
    expect(parsePhoneList(' 138 0013 8000 \n\n+86 (139) 0013-9000\r\n13800138000\n')).toEqual({
      phones: ['13800138000', '+8613900139000'],
      skippedLines: 0,
    });
  });

  it('reads CSV rows: a header and a name column are skipped, the first phone-like cell is kept', () => {
    const csv = 'name,phone,note\n"Wang Li","13800138000",vip\nZhang;13900139000\nno number here\n';
    expect(parsePhoneList(csv)).toEqual({ phones: ['13800138000', '13900139000'], skippedLines: 2 });
  });

  it('skips cells with too few digits or too long to be a number', () => {
    expect(parsePhoneList('12\n1234567890123456789012345678901234\n110')).toEqual({
      phones: ['110'],
      skippedLines: 2,
    });
  });
});

describe('toCampaignBody', () => {
  it('maps the form to the API body: trimmed text, quiet hours on or off, customers with their conversation', () => {
    const values = {
      ...defaultFormValues('zh-CN'),
      name: '  双十一回访 ',
      inboxId: 'inbox-1',
      script: ' {{customer.name}}您好，请为本次服务打分 ',
      timeZone: 'Asia/Shanghai',
      customers: [
        { customerId: 'c1', conversationId: 'v1' },
        { customerId: 'c2', conversationId: null },
      ],
      phonesText: '13800138000\n13800138000\n13900139000',
    };
    expect(toCampaignBody(values)).toEqual({
      name: '双十一回访',
      kind: 'survey',
      purpose: 'service',
      inboxId: 'inbox-1',
      script: '{{customer.name}}您好，请为本次服务打分',
      language: 'zh-CN',
      timeZone: 'Asia/Shanghai',
      quietHours: { start: '21:00', end: '09:00' },
      callsPerMinute: 10,
      maxConcurrent: 2,
      maxAttempts: 2,
      retryDelayMinutes: 60,
      customers: [{ customerId: 'c1', conversationId: 'v1' }, { customerId: 'c2' }],
      phones: ['13800138000', '13900139000'],
    });
    expect(toCampaignBody({ ...values, quietHoursOn: false }).quietHours).toBeNull();
  });
});

describe('defaultTimeZone', () => {
  it('uses the browser’s IANA zone, else Asia/Shanghai', () => {
    expect(defaultTimeZone('Europe/Berlin')).toBe('Europe/Berlin');
    expect(defaultTimeZone('UTC')).toBe('Asia/Shanghai');
    expect(defaultTimeZone(undefined)).toBe('Asia/Shanghai');
  });
});

describe('server problems on fields', () => {
  it('maps schema paths and core details to the form field', () => {
    expect(fieldOfProblemPath('/body/script')).toBe('script');
    expect(fieldOfProblemPath('body/quietHours/end')).toBe('quietEnd');
    expect(fieldOfProblemPath('/body/phones/3')).toBe('phonesText');
    expect(fieldOfProblemPath('/body/customers/0/customerId')).toBe('customers');
    expect(fieldOfProblemPath('/body/unknown')).toBeNull();
    expect(fieldOfProblemDetail('timeZone is not an IANA time zone')).toBe('timeZone');
    expect(fieldOfProblemDetail('the inbox is not a voice line')).toBe('inboxId');
    expect(fieldOfProblemDetail('something else broke')).toBeNull();
  });
});

describe('customerChoices', () => {
  it('lists each customer once with their newest conversation, newest first', () => {
    const at = (d: number) => `2026-11-2${d}T10:00:00.000Z`;
    expect(
      customerChoices([
        { id: 'v1', updatedAt: at(1), customer: { id: 'a', name: 'Ann' } },
        { id: 'v2', updatedAt: at(3), customer: { id: 'a', name: 'Ann' } },
        { id: 'v3', updatedAt: at(2), customer: { id: 'b', name: null } },
      ]),
    ).toEqual([
      { customerId: 'a', name: 'Ann', conversationId: 'v2' },
      { customerId: 'b', name: null, conversationId: 'v3' },
    ]);
  });
});
