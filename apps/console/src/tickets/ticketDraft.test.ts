import { describe, expect, it } from 'vitest';
import { SUBJECT_PREFILL_LENGTH, suggestTicketSubject } from './ticketDraft.ts';

const customer = (text: string) => ({ author: 'customer' as const, text });
const bot = (text: string) => ({ author: 'bot' as const, text });

describe('suggestTicketSubject', () => {
  it("takes the customer's most telling recent message, not a bare request for a person", () => {
    expect(
      suggestTicketSubject(
        [
          customer('你好'),
          bot('您好，请问有什么可以帮您？'),
          customer('咖啡机通电后不加热，  指示灯一直闪'),
          customer('转人工'),
        ],
        '转人工',
      ),
    ).toBe('咖啡机通电后不加热， 指示灯一直闪');
  });

  it('looks only at the last five customer messages and prefers the latest on a tie', () => {
    const old = customer('很久以前的一条特别特别长的消息，和现在的问题无关');
    expect(suggestTicketSubject([old, ...['一', '二', '三', '四'].map(customer), customer('五')], null)).toBe(
      '五',
    );
    expect(suggestTicketSubject([customer('屏幕黑了'), customer('不能开机')], null)).toBe('不能开机');
  });

  it('falls back to the recognised intent, and cuts long text at a character boundary', () => {
    expect(suggestTicketSubject([bot('您好')], '退款申请')).toBe('退款申请');
    expect(suggestTicketSubject([], null)).toBe('');
    const long = '洗'.repeat(100);
    const cut = suggestTicketSubject([customer(long)], null);
    expect([...cut]).toHaveLength(SUBJECT_PREFILL_LENGTH);
    expect(cut.endsWith('…')).toBe(true);
  });
});
