import { describe, expect, it } from 'vitest';
import { isChineseLanguage, splitSentences, toSpeakable } from './speakable.ts';

describe('toSpeakable', () => {
  it('reads order numbers digit by digit in Chinese, with pauses around them', () => {
    expect(toSpeakable('您的订单10245已发货。', 'zh-CN')).toBe('您的订单，一 零 二 四 五，已发货。');
  });

  it('reads a mobile number in 3-4-4 groups and keeps written groups', () => {
    expect(toSpeakable('请拨打13812345678', 'zh-CN')).toBe('请拨打，一 三 八，一 二 三 四，五 六 七 八');
    expect(toSpeakable('Call 400-820-8820 now', 'en-US')).toBe('Call 4 0 0, 8 2 0, 8 8 2 0 now');
  });

  it('spells identifiers with letters (SF1234) in both languages', () => {
    expect(toSpeakable('运单号SF1234。', 'zh-CN')).toBe('运单号，艾斯 艾弗 一 二 三 四。');
    expect(toSpeakable('Tracking SF1234.', 'en-US')).toBe('Tracking S F 1 2 3 4.');
  });

  it('reads English identifiers as separate digits', () => {
    expect(toSpeakable('Order 10245 has shipped.', 'en-US')).toBe('Order 1 0 2 4 5 has shipped.');
  });

  it('leaves amounts, dates, times and short numbers to the voice', () => {
    expect(toSpeakable('退款¥12999将在3天内到账', 'zh-CN')).toBe('退款¥12999将在3天内到账');
    expect(toSpeakable('共计12999元', 'zh-CN')).toBe('共计12999元');
    expect(toSpeakable('2024年5月1日 9:30 营业', 'zh-CN')).toBe('2024年5月1日 9:30 营业');
    expect(toSpeakable('Open 2024-05-01, price $12999.50', 'en-US')).toBe('Open 2024-05-01, price $12999.50');
    expect(toSpeakable('We open at 9 and close at 21.', 'en-US')).toBe('We open at 9 and close at 21.');
  });

  it('spells Latin letters in Chinese text for the pinyin voice', () => {
    expect(toSpeakable('请在APP里查看', 'zh-CN')).toBe('请在 诶 批 批 里查看');
    expect(toSpeakable('Please use the APP', 'en-US')).toBe('Please use the APP');
  });

  it('drops links, e-mail addresses, emoji and markdown', () => {
    expect(toSpeakable('详情见 https://shop.example.com/o/1?x=2 😀 **谢谢**', 'zh-CN')).toBe('详情见 谢谢');
    expect(toSpeakable('Mail help@example.com or visit www.example.com 👍', 'en-US')).toBe('Mail or visit');
  });

  it('returns an empty string when nothing speakable is left', () => {
    expect(toSpeakable('🎉🎉 https://x.y', 'zh-CN')).toBe('');
  });
});

describe('isChineseLanguage', () => {
  it('knows Mandarin, Cantonese and dialect tags', () => {
    expect(['zh-CN', 'zh', 'yue', 'zh-sichuan', 'cmn'].every(isChineseLanguage)).toBe(true);
    expect(isChineseLanguage('en-US')).toBe(false);
    expect(isChineseLanguage(undefined)).toBe(false);
  });
});

describe('splitSentences', () => {
  it('splits Chinese and English sentences, keeping punctuation', () => {
    expect(splitSentences('您好！请问有什么可以帮您？我可以查订单。')).toEqual([
      '您好！',
      '请问有什么可以帮您？',
      '我可以查订单。',
    ]);
    expect(splitSentences('Hello. It costs 3.5 dollars. Bye!')).toEqual([
      'Hello.',
      'It costs 3.5 dollars.',
      'Bye!',
    ]);
  });

  it('joins a piece too short to synthesise alone with the next', () => {
    expect(splitSentences('好。我帮您转人工。')).toEqual(['好。 我帮您转人工。']);
    expect(splitSentences('好')).toEqual(['好']);
    expect(splitSentences('')).toEqual([]);
  });
});
