import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
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

const datasets =
  process.env.ZHIKE_DATASETS ?? fileURLToPath(new URL('../../../../../shared/datasets', import.meta.url));
const datasetsPresent = existsSync(`${datasets}/banking77/train.jsonl`);

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

describe('plain Chinese messages (the one-loop path)', () => {
  it('maps sentence punctuation and leaves the rest', () => {
    expect(normalise('明天北京天气怎么样？')).toBe('明天北京天气怎么样?');
    expect(normalise('帮我订一张机票，去上海。')).toBe('帮我订一张机票,去上海.');
    expect(normalise('3月5号到期吗')).toBe('3月5号到期吗');
  });
  it('still collapses repeats, converts traditional characters and fixes confusions', () => {
    expect(normalise('怎么退款？？')).toBe('怎么退款?');
    expect(normalise('真的吗！！')).toBe('真的吗!');
    expect(normalise('怎么退宽？')).toBe('怎么退款?');
    expect(normalise('請問運費多少？')).toBe('请问运费多少?');
  });
  it('gives what the general path gives when a message mixes in anything else', () => {
    expect(normalise('打开QQ。')).toBe('打开qq.');
    expect(normalise('好的 谢谢！')).toBe('好的谢谢!');
    expect(normalise('好。。。')).toBe('好...');
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

describe('normalise fast path for ASCII and Han text', () => {
  // Text of printable ASCII and CJK ideographs skips NFKC and the punctuation table; these cases
  // check it still gets every other step of the general path.
  it('converts script, case, repeats, spaces and confusions', () => {
    expect(normalise('我想退宽OK??')).toBe('我想退款ok?');
    expect(normalise('這個  訂單 怎麼辦')).toBe('这个订单怎么办');
    expect(normalise(' 快第 到了吗 ')).toBe('快递到了吗');
    expect(normalise('iPhone15多少钱!!!')).toBe('iphone15多少钱!');
  });
  it('equals the general path on text that differs only by a full-width character', () => {
    for (const text of ['请问退宽什么时候到', '这个怎么用 thx', '快遞到哪裡了']) {
      expect(normalise(text)).toBe(normalise(`${text}？`).replace(/\?$/, ''));
    }
  });
});

describe('normalise on printable ASCII (the one-scan path)', () => {
  // What the general passes give printable ASCII text: lower case, repeats, spaces, confusions.
  const reference = (text: string) => fixConfusions(normaliseWhitespace(collapseRepeats(text.toLowerCase())));

  it('lower-cases plain text and hands the rest to the full ASCII passes', () => {
    expect(normalise('Where is my CARD?')).toBe('where is my card?');
    expect(normalise('Pls help, I cant login!!')).toBe("please help, i can't login!");
    expect(normalise('  two  spaces ')).toBe('two spaces');
    expect(normalise('wait... what?!')).toBe('wait... what!');
    expect(normalise('a--b ~~ c')).toBe('a-b ~ c');
    // Whole words only: a confusion key inside a longer word, or with a digit or apostrophe, stays.
    expect(normalise("plsss cantonese dont2 dont'")).toBe("plsss cantonese dont2 dont'");
    expect(normalise('DONT')).toBe("don't");
  });

  it('equals the general passes on generated text', () => {
    const pieces = [
      ...Object.keys(ENGLISH_CONFUSIONS),
      'Card',
      'X',
      '7',
      "'",
      ' ',
      '  ',
      '.',
      '..',
      '!',
      '?',
      '-',
      '=',
      'a',
      'B',
    ];
    let seed = 7;
    const next = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed >>> 8;
    };
    for (let n = 0; n < 20000; n++) {
      let text = '';
      const parts = 1 + (next() % 8);
      for (let p = 0; p < parts; p++) text += pieces[next() % pieces.length];
      if (text.trim() === '') continue;
      expect(normalise(text), JSON.stringify(text)).toBe(reference(text));
    }
  });

  it.runIf(datasetsPresent)('equals the general passes on every ASCII line of the datasets', () => {
    let checked = 0;
    for (const name of ['banking77', 'smp2017-ecdt', 'waimai10k-sentiment']) {
      for (const file of ['train.jsonl', 'test.jsonl']) {
        for (const line of readFileSync(`${datasets}/${name}/${file}`, 'utf8').split('\n')) {
          if (line.trim() === '') continue;
          const { text } = JSON.parse(line) as { text: string };
          if (!/^[\x20-\x7e]+$/.test(text)) continue;
          expect(normalise(text), text).toBe(reference(text));
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(10000);
  });
});
