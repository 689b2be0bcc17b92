import { describe, expect, it } from 'vitest';
import { languageKeys, lookupByLanguage } from './languages.ts';

describe('language lookup', () => {
  it('tries the exact tag, the Cantonese or Mandarin alias, then the family', () => {
    expect(languageKeys('zh-HK')).toEqual(['zh-hk', 'yue', 'zh']);
    expect(languageKeys('yue')).toEqual(['yue']);
    expect(languageKeys('en-US')).toEqual(['en-us', 'en']);
    expect(languageKeys('cmn')).toEqual(['cmn', 'zh-cn', 'zh']);
  });

  it('prefers configured entries at any level over built-in ones', () => {
    const builtIn = { 'zh-cn': 'builtin-cn', yue: 'builtin-yue', en: 'builtin-en' };
    expect(lookupByLanguage('zh-CN', { zh: 'mine' }, builtIn)).toBe('mine');
    expect(lookupByLanguage('zh-CN', {}, builtIn)).toBe('builtin-cn');
    expect(lookupByLanguage('zh-HK', { YUE: 'mine-yue' }, builtIn)).toBe('mine-yue');
    expect(lookupByLanguage('zh-MO', undefined, builtIn)).toBe('builtin-yue');
    expect(lookupByLanguage('fr', {}, builtIn)).toBeUndefined();
    expect(lookupByLanguage(undefined, { zh: 'x' })).toBeUndefined();
  });
});
