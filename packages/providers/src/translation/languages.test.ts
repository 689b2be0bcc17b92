import { describe, expect, it } from 'vitest';
import { translationLanguage } from './languages.ts';

describe('translation languages', () => {
  it('reads Zhike tags and their usual aliases', () => {
    const cases: [string, string | undefined][] = [
      ['zh-Hans', 'zh-Hans'],
      ['zh-CN', 'zh-Hans'],
      ['zh', 'zh-Hans'],
      ['zh_TW', 'zh-Hant'],
      ['zh-HK', 'zh-Hant'],
      ['zh-Hant-HK', 'zh-Hant'],
      ['YUE', 'yue'],
      ['zh-yue', 'yue'],
      ['en-US', 'en'],
      ['ms-MY', 'ms'],
      ['in', 'id'],
      ['ru', 'ru'],
      ['fr', undefined],
      ['other', undefined],
    ];
    for (const [tag, expected] of cases) expect(translationLanguage(tag), tag).toBe(expected);
  });
});
