import { describe, expect, it } from 'vitest';
import { maskContactDetails } from './unansweredQuestions.ts';

describe('maskContactDetails', () => {
  it('masks phones and emails inside free text, and leaves order numbers and short numbers alone', () => {
    expect(maskContactDetails('我电话13912345678，邮箱 li.lei@163.com')).toBe(
      '我电话139****5678，邮箱 l*****@163.com',
    );
    expect(maskContactDetails('call +86 139 1234 5678 please')).toBe('call +86 139****5678 please');
    expect(maskContactDetails('座机 010-12345678')).toBe('座机 010****5678');
    expect(maskContactDetails('订单ZK20261125001到哪了，买了2件，共399元')).toBe(
      '订单ZK20261125001到哪了，买了2件，共399元',
    );
    expect(maskContactDetails('身份证110101199003071234')).toBe('身份证110***********1234');
  });
});
