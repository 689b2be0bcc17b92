import { describe, expect, it } from 'vitest';
import {
  messageIdsOf,
  normaliseMessageId,
  ourMessageId,
  replyHeaders,
  replySubject,
  threadRefsOf,
} from './threading.ts';

describe('email threading', () => {
  it('normalises Message-IDs and refuses what is not one', () => {
    expect(normaliseMessageId(' <abc.123@mail.example> ')).toBe('abc.123@mail.example');
    expect(normaliseMessageId('abc@x')).toBe('abc@x');
    expect(normaliseMessageId('<no-at-sign>')).toBeNull();
    expect(normaliseMessageId('<a b@x>')).toBeNull();
    expect(normaliseMessageId('')).toBeNull();
    expect(normaliseMessageId(`<${'a'.repeat(300)}@x>`)).toBeNull();
  });

  it('reads References in any of its shapes', () => {
    expect(messageIdsOf('<a@x> <b@x>\r\n <c@x>')).toEqual(['a@x', 'b@x', 'c@x']);
    expect(messageIdsOf(['<a@x>', '<b@x>'])).toEqual(['a@x', 'b@x']);
    expect(messageIdsOf('<a@x>,<b@x>')).toEqual(['a@x', 'b@x']);
    expect(messageIdsOf(undefined)).toEqual([]);
  });

  it('orders thread refs oldest first with In-Reply-To newest, without repeats', () => {
    expect(threadRefsOf(['<a@x>', '<b@x>'], '<b@x>')).toEqual(['a@x', 'b@x']);
    expect(threadRefsOf('<a@x> <b@x>', '<c@x>')).toEqual(['a@x', 'b@x', 'c@x']);
    expect(threadRefsOf(undefined, '<c@x>')).toEqual(['c@x']);
    const long = Array.from({ length: 40 }, (_, i) => `<m${i}@x>`).join(' ');
    const refs = threadRefsOf(long, undefined);
    expect(refs).toHaveLength(20);
    expect(refs.at(-1)).toBe('m39@x');
  });

  it('gives a message the same Message-ID on every retry and different ones to different messages', () => {
    const a = ourMessageId('msg-1', 'shop.example');
    expect(ourMessageId('msg-1', 'shop.example')).toBe(a);
    expect(ourMessageId('msg-2', 'shop.example')).not.toBe(a);
    expect(a).toMatch(/^[A-Za-z0-9_-]{32}\.zhike@shop\.example$/);
  });

  it('prefixes Re: once', () => {
    expect(replySubject('Where is my order?', 'Shop')).toBe('Re: Where is my order?');
    expect(replySubject('Re: RE: Where is my order?', 'Shop')).toBe('Re: Where is my order?');
    expect(replySubject('回复：订单没到', 'Shop')).toBe('Re: 订单没到');
    expect(replySubject('AW: Fwd: x', 'Shop')).toBe('Re: x');
    expect(replySubject('', 'Shop')).toBe('Re: Shop');
  });

  it('answers the last inbound mail and keeps its chain', () => {
    expect(replyHeaders({ messageId: 'c@x', references: 'a@x b@x c@x' })).toEqual({
      inReplyTo: '<c@x>',
      references: ['<a@x>', '<b@x>', '<c@x>'],
    });
    expect(replyHeaders({ messageId: 'c@x' })).toEqual({ inReplyTo: '<c@x>', references: ['<c@x>'] });
    expect(replyHeaders({ subject: 'x' })).toEqual({});
    expect(replyHeaders(undefined)).toEqual({});
  });
});
