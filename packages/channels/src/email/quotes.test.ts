import { describe, expect, it } from 'vitest';
import { stripQuotedHistory } from './quotes.ts';

describe('stripQuotedHistory', () => {
  it('cuts below a Gmail attribution, also when wrapped over two lines', () => {
    expect(
      stripQuotedHistory(
        'Still not here.\n\nOn Tue, 3 Jun 2025 at 10:01, Shop <s@shop.example> wrote:\n> Your parcel ships today',
      ),
    ).toBe('Still not here.');
    expect(
      stripQuotedHistory(
        'Thanks!\n\nOn Tue, 3 Jun 2025 at 10:01, Customer Service Team of Shop\n<s@shop.example> wrote:\n> x',
      ),
    ).toBe('Thanks!');
  });

  it('cuts Chinese clients: QQ/Foxmail banners and 写道 lines', () => {
    expect(
      stripQuotedHistory(
        '还没收到\n\n------------------ 原始邮件 ------------------\n发件人: 客服\n发送时间: 2025年6月3日',
      ),
    ).toBe('还没收到');
    expect(
      stripQuotedHistory('好的，谢谢\n\n在 2025年6月3日 10:01，客服 <s@shop.example> 写道：\n> 已发货'),
    ).toBe('好的，谢谢');
    expect(stripQuotedHistory('收到\n李雷 <li@example.com> 于2025年6月3日周二 10:01写道：\n> 原文')).toBe(
      '收到',
    );
  });

  it('cuts an Outlook header block but not a lone "From:" line', () => {
    expect(
      stripQuotedHistory(
        'Please refund.\n\nFrom: Shop <s@shop.example>\nSent: Tuesday, June 3, 2025 10:01\nTo: me\nSubject: x\n\nold',
      ),
    ).toBe('Please refund.');
    const text = 'From: Berlin I ordered twice\nthe same item.';
    expect(stripQuotedHistory(text)).toBe(text);
  });

  it('cuts a trailing block of quoted lines, keeps inline quotes that are answered', () => {
    expect(stripQuotedHistory('Yes please.\n\n> Shall we resend?\n> Thanks')).toBe('Yes please.');
    const interleaved = '> Which size?\nM, please.\n> Colour?\nBlue.';
    expect(stripQuotedHistory(interleaved)).toBe(interleaved);
  });

  it('keeps everything when nothing stands above the quote (a forward)', () => {
    const forward = '---------- Forwarded message ---------\nFrom: a\nDate: b\nTo: c\n\nbody';
    expect(stripQuotedHistory(forward)).toBe(forward);
  });
});
