import { describe, expect, it } from 'vitest';
import { normalise } from '../normalise/index.ts';
import { createTokeniser, createWordDictionary } from './index.ts';

describe('createTokeniser', () => {
  const tokeniser = createTokeniser();

  it('segments Chinese with jieba', () => {
    expect(tokeniser.words('我想退款')).toEqual(['我', '想', '退款']);
  });
  it('lower-case English words and numbers, punctuation dropped', () => {
    expect(tokeniser.words(normalise("Where's my card? It's been 3 days!"))).toEqual([
      "where's",
      'my',
      'card',
      "it's",
      'been',
      '3',
      'days',
    ]);
  });
  it('handles mixed Chinese and Latin text', () => {
    expect(tokeniser.words(normalise('iPhone15 Pro多少钱?'))).toEqual(['iphone15', 'pro', '多少', '钱']);
  });
  it('keeps decimals together', () => {
    expect(tokeniser.words('运费3.5元')).toEqual(['运费', '3.5', '元']);
  });
  it('keeps emoji as tokens', () => {
    expect(tokeniser.words(normalise('太慢了😡'))).toEqual(['太慢', '了', '😡']);
  });
  it('returns nothing for empty or punctuation-only text', () => {
    expect(tokeniser.words('')).toEqual([]);
    expect(tokeniser.words('?!...')).toEqual([]);
  });

  it('honours per-workspace user words', () => {
    const plain = tokeniser.words('小米手环八代怎么充电');
    expect(plain).not.toContain('小米手环八代');
    const shop = createTokeniser({ userWords: ['小米手环八代', 'AirPods Pro'] });
    expect(shop.words('小米手环八代怎么充电')).toEqual(['小米手环八代', '怎么', '充电']);
    expect(shop.words(normalise('AirPods Pro坏了'))).toEqual(['airpods pro', '坏', '了']);
  });
  it('matches Latin user words only on word boundaries', () => {
    const shop = createTokeniser({ userWords: ['pro'] });
    expect(shop.words('product pro')).toEqual(['product', 'pro']);
  });
  it('keeps workspaces independent', () => {
    const a = createTokeniser({ userWords: ['熊猫看书'] });
    const b = createTokeniser();
    expect(a.words('打开熊猫看书')).toEqual(['打开', '熊猫看书']);
    expect(b.words('打开熊猫看书')).toEqual(['打开', '熊猫', '看书']);
  });
  it('segments Han runs with a word dictionary, keeping overlapping words', () => {
    const shop = createTokeniser({
      userWords: ['小米手环八代'],
      dictionary: createWordDictionary(['退款', '款项', '怎么', '手环', '订单']),
    });
    // Every dictionary word is kept; a character no word covers is a word of its own.
    expect(shop.words('我要退款项')).toEqual(['我', '要', '退款', '款项']);
    expect(shop.words('小米手环八代怎么退款 ok')).toEqual(['小米手环八代', '怎么', '退款', 'ok']);
    expect(shop.words("it's 3.5 yuan")).toEqual(["it's", '3.5', 'yuan']);
  });
});
