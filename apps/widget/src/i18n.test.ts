import { describe, expect, it } from 'vitest';
import { catalogues, createTranslator, pickLocale } from './i18n.ts';

describe('i18n catalogue', () => {
  it('has the same keys, all non-empty, in both locales', () => {
    const zh = Object.keys(catalogues['zh-CN']).sort();
    const en = Object.keys(catalogues['en-US']).sort();
    expect(en).toEqual(zh);
    expect(Object.keys(catalogues['zh-TW']).sort()).toEqual(zh);
    for (const catalogue of Object.values(catalogues)) {
      for (const value of Object.values(catalogue)) expect(value.trim()).not.toBe('');
    }
  });

  it('fills placeholders', () => {
    expect(createTranslator('zh-CN')('unread', { n: 3 })).toBe('3 条未读消息');
    expect(createTranslator('zh-TW')('unread', { n: 3 })).toBe('3 則未讀訊息');
    expect(createTranslator('en-US')('unread', { n: 3 })).toBe('3 unread messages');
  });

  it('lets data-locale win over the browser, and falls back to the inbox locale', () => {
    expect(pickLocale('en-US', 'zh-CN', 'zh-CN')).toBe('en-US');
    expect(pickLocale(null, 'zh-TW', 'en-US')).toBe('zh-TW');
    expect(pickLocale(null, 'zh-HK', 'zh-CN')).toBe('zh-TW');
    expect(pickLocale('zh-Hant', 'en-US', 'zh-CN')).toBe('zh-TW');
    expect(pickLocale(null, 'zh-SG', 'en-US')).toBe('zh-CN');
    expect(pickLocale(undefined, 'en-GB', 'zh-CN')).toBe('en-US');
    expect(pickLocale('', 'fr-FR', 'en-US')).toBe('en-US');
    expect(pickLocale(undefined, undefined, 'zh-CN')).toBe('zh-CN');
  });
});
