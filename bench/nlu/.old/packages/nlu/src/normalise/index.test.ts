import { describe, expect, it } from 'vitest';
import {
  CHINESE_CONFUSIONS,
  collapseRepeats,
  ENGLISH_CONFUSIONS,
  fixConfusions,
  mapPunctuation,
  normalise,
  normaliseWhitespace,
  toHalfWidth,
} from './index.ts';

describe('toHalfWidth', () => {
  it('maps full-width Latin, digits and the ideographic space', () => {
    expect(toHalfWidth('ＩＰｈｏｎｅ１５　Ｐｒｏ')).toBe('IPhone15 Pro');
  });
  it('handles mixed width in one string', () => {
    expect(toHalfWidth('订单号ＡＢ12３４')).toBe('订单号AB1234');
  });
  it('leaves Chinese characters alone', () => {
    expect(toHalfWidth('我想退款')).toBe('我想退款');
  });
});

describe('traditional → simplified (via normalise)', () => {
  it('converts characters', () => {
    expect(normalise('請問這個產品有沒有優惠')).toBe('请问这个产品有没有优惠');
  });
  it('converts Taiwan phrases to mainland ones', () => {
    expect(normalise('滑鼠和軟體')).toBe('鼠标和软件');
  });
  it('does not touch English', () => {
    expect(normalise('Where is my parcel')).toBe('where is my parcel');
  });
});

describe('case folding (via normalise)', () => {
  it('lower-cases Latin in Chinese text', () => {
    expect(normalise('我的IPHONE坏了')).toBe('我的iphone坏了');
  });
});

describe('mapPunctuation', () => {
  it('maps Chinese punctuation to ASCII', () => {
    expect(mapPunctuation('你好，请问：“退货”吗？（急）')).toBe('你好,请问:"退货"吗?(急)');
  });
  it('maps book-title marks and brackets', () => {
    expect(mapPunctuation('《说明书》【新品】')).toBe('"说明书"[新品]');
  });
});

describe('collapseRepeats', () => {
  it('collapses repeated question and exclamation marks', () => {
    expect(collapseRepeats('怎么还没到???!!!')).toBe('怎么还没到!');
    expect(collapseRepeats('hello!!!')).toBe('hello!');
  });
  it('collapses long ellipses to three dots', () => {
    expect(collapseRepeats('好吧......')).toBe('好吧...');
  });
  it('collapses repeated emoji and drops skin tones / variation selectors', () => {
    expect(collapseRepeats('😡😡😡')).toBe('😡');
    expect(collapseRepeats('👍🏻👍')).toBe('👍');
    expect(collapseRepeats('❤️')).toBe('❤');
  });
  it('keeps repeated letters and digits', () => {
    expect(collapseRepeats('666 哈哈哈 sooo')).toBe('666 哈哈哈 sooo');
  });
  it('removes zero-width characters', () => {
    expect(collapseRepeats('退\u200b款')).toBe('退款');
  });
});

describe('normaliseWhitespace', () => {
  it('collapses runs and trims', () => {
    expect(normaliseWhitespace('  where \t is\n my   card ')).toBe('where is my card');
  });
  it('joins Chinese characters separated by spaces (ASR output)', () => {
    expect(normaliseWhitespace('我 想 退 款')).toBe('我想退款');
  });
  it('keeps the space between Chinese and Latin words', () => {
    expect(normaliseWhitespace('买 iphone 15 可以吗')).toBe('买 iphone 15 可以吗');
  });
});

describe('fixConfusions', () => {
  it('fixes every Chinese table entry', () => {
    for (const [wrong, right] of Object.entries(CHINESE_CONFUSIONS)) {
      expect(fixConfusions(`我要${wrong}`)).toBe(`我要${right}`);
    }
  });
  it('fixes the examples named in the brief', () => {
    expect(fixConfusions('退宽多久到')).toBe('退款多久到');
    expect(fixConfusions('快第到哪了')).toBe('快递到哪了');
  });
  it('fixes English shorthand as whole words only', () => {
    for (const [wrong, right] of Object.entries(ENGLISH_CONFUSIONS)) {
      expect(fixConfusions(`${wrong} now`)).toBe(`${right} now`);
    }
    expect(fixConfusions('plsss')).toBe('plsss');
    expect(fixConfusions('cantonese')).toBe('cantonese');
  });
});

describe('normalise', () => {
  it('returns the empty string for empty and blank input', () => {
    expect(normalise('')).toBe('');
    expect(normalise(' \n\t　')).toBe('');
  });
  it('keeps emoji-only input as one emoji', () => {
    expect(normalise('😡😡😡')).toBe('😡');
  });
  it('combines every step on a messy Chinese message', () => {
    expect(normalise('請問　退宽 什麼時候到？？？😭😭')).toBe('请问退款什么时候到?😭');
  });
  it('combines every step on a messy English message', () => {
    expect(normalise('  PLS  help — I never RECIEVED my card!!!')).toBe(
      'please help - i never received my card!',
    );
  });
  it('handles full-width traditional text with ASR confusion', () => {
    expect(normalise('我的訂單ＡＢ１２３還沒發获')).toBe('我的订单ab123还没发货');
  });
  it('is idempotent', () => {
    const samples = ['請問　退宽 什麼時候到？？？😭😭', 'PLS help!!!', '《说明书》……', '我 想 退 款'];
    for (const s of samples) expect(normalise(normalise(s))).toBe(normalise(s));
  });
  it('converts Chinese numerals only when asked', () => {
    expect(normalise('三百块', { numerals: false })).toBe('三百块');
    expect(normalise('三百块')).toBe('三百块');
    expect(normalise('退兩百五十塊', { numerals: true })).toMatch(/250/);
  });
});
