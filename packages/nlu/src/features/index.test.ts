import { describe, expect, it } from 'vitest';
import { createTokeniser, createWordSpans } from '../tokenise/index.ts';
import { hashSeed, hashString } from './hashing.ts';
import {
  createFeatureBag,
  createFeaturiser,
  FAMILY_CHAR,
  FAMILY_PINYIN,
  FAMILY_WORD,
  familyOf,
} from './index.ts';

describe('createFeaturiser', () => {
  const featuriser = createFeaturiser({ tags: false });
  const keysOf = (text: string, words: string[]) => {
    const bag = featuriser.extract(text, words, createFeatureBag());
    return Array.from(bag.keys.subarray(0, bag.length));
  };

  it('produces unique ascending keys with counts', () => {
    const bag = featuriser.extract('退款退款', ['退款', '退款'], createFeatureBag());
    const keys = Array.from(bag.keys.subarray(0, bag.length));
    expect([...keys].sort((a, b) => a - b)).toEqual(keys);
    expect(new Set(keys).size).toBe(keys.length);
    expect(Math.max(...bag.counts.subarray(0, bag.length))).toBeGreaterThan(1);
  });
  it('emits char, word and pinyin families for Chinese', () => {
    const families = new Set(keysOf('退款', ['退款']).map(familyOf));
    expect(families).toEqual(new Set([FAMILY_CHAR, FAMILY_WORD, FAMILY_PINYIN]));
  });
  it('shares pinyin features between homophone typos', () => {
    const pinyinOf = (t: string) => keysOf(t, [t]).filter((k) => familyOf(k) === FAMILY_PINYIN);
    expect(pinyinOf('退宽')).toEqual(pinyinOf('退款'));
  });
  it('folds digits so numbers of the same shape share features', () => {
    expect(keysOf('等了3天', ['等', '了', '3', '天'])).toEqual(keysOf('等了5天', ['等', '了', '5', '天']));
  });
  it('is deterministic and empty for empty input', () => {
    expect(keysOf('hello world', ['hello', 'world'])).toEqual(keysOf('hello world', ['hello', 'world']));
    expect(keysOf('', [])).toEqual([]);
  });
});

describe('Latin character trigrams', () => {
  // Text without Han characters takes a dedicated loop; it must give what the general rule says:
  // trigrams over the text with boundary marks, digits folded, none with a space in its middle.
  it('are exactly the boundary-marked trigrams without an inner space', () => {
    const featuriser = createFeaturiser();
    for (const text of ['hello world', 'card 1234 ok', 'a', 'ab cd', "won't top up"]) {
      const codes = `\u0002${text.replace(/[0-9]/g, '0')}\u0002`;
      const expected: number[] = [];
      for (let i = 0; i + 3 <= codes.length; i++) {
        if (codes[i + 1] === ' ') continue;
        expected.push(hashString(hashSeed(0x63), codes.slice(i, i + 3)) >>> 2);
      }
      const chars = Array.from(featuriser.hashes(text, [])).filter((k) => familyOf(k) === FAMILY_CHAR);
      expect(chars.sort((a, b) => a - b)).toEqual(expected.sort((a, b) => a - b));
    }
  });
});

describe('hashAscii', () => {
  // The one-pass path English messages take must hash exactly what segmenting into spans and
  // `hashSpans` would, in the same order (scores are summed in that order).
  const featuriser = createFeaturiser();
  const tokeniser = createTokeniser();
  const viaSpans = (text: string) => {
    const n = featuriser.hashSpans(text, tokeniser.spans(text, createWordSpans()));
    return Array.from(featuriser.hashBuffer().subarray(0, n));
  };
  const viaAscii = (text: string) => {
    const n = featuriser.hashAscii(text);
    return n < 0 ? null : Array.from(featuriser.hashBuffer().subarray(0, n));
  };
  it('matches spans + hashSpans on English, numbers, contractions and punctuation', () => {
    const texts = [
      '',
      'a',
      'hello world',
      "i can't top up my card, why?",
      'card 1234 arrived... 3.5 days late',
      "rock'n'roll o'neil x.y.z ''quoted'' end.",
      '  leading and trailing spaces  ',
      'UPPER lower MiXeD 42',
      'what is the exchange rate for usd->eur?!',
      'e-mail: a.b@c.com / 100% #tag',
      '.',
      "'",
      'x'.repeat(256),
    ];
    for (const text of texts) expect(viaAscii(text)).toEqual(viaSpans(text));
  });
  it('declines text with a non-ASCII character, a control character, or over 256 characters', () => {
    expect(viaAscii('退款 refund')).toBeNull();
    expect(viaAscii('café')).toBeNull();
    expect(viaAscii('tab\there')).toBeNull();
    expect(viaAscii('x'.repeat(257))).toBeNull();
  });
  it('is not taken when the options are not the defaults it assumes', () => {
    expect(createFeaturiser({ charMax: 4 }).hashAscii('hello world')).toBe(-1);
  });
});
