import { describe, expect, it } from 'vitest';
import { protectTerms, restoreTerms } from './glossary.ts';

describe('glossary placeholders', () => {
  it('replaces every form of a term, longest first, whole words only for Latin terms', () => {
    const glossary = ['智客', '智客云', 'iPhone 15', 'Zhike'];
    const protectedText = protectTerms('智客云和智客都支持 iphone 15，Zhikes 不是 Zhike', glossary, 'en');
    expect(protectedText.text).toBe('ZXQ0QXZ和ZXQ1QXZ都支持 ZXQ2QXZ，Zhikes 不是 ZXQ3QXZ');
    expect(protectedText.replacements).toEqual(['智客云', '智客', 'iphone 15', 'Zhike']);
  });

  it('restores placeholders an engine mangled (case, inner spaces, full-width digits, spacing around)', () => {
    const replacements = ['智客', 'iPhone 15'];
    expect(restoreTerms('I bought an zxq 1 qxz from Zxq0Qxz , thanks', replacements, 'en')).toBe(
      'I bought an iPhone 15 from 智客, thanks',
    );
    expect(restoreTerms('我在 ZXQ０QXZ 买了ZXQ1QXZ。', replacements, 'zh-Hans')).toBe(
      '我在智客买了iPhone 15。',
    );
    expect(restoreTerms('ZXQ1QXZ good', replacements, 'en')).toBe('iPhone 15 good');
    // An index the engine invented is dropped rather than shown.
    expect(restoreTerms('hello ZXQ7QXZ', replacements, 'en')).toBe('hello');
  });

  it('uses a fixed translation for the target language and maps any of its forms back', () => {
    const glossary = [{ term: '顺丰', translations: { en: 'SF Express', 'zh-Hant': '順豐' } }];
    const toEnglish = protectTerms('顺丰明天发货', glossary, 'en');
    expect(restoreTerms('ZXQ0QXZ ships tomorrow', toEnglish.replacements, 'en')).toBe(
      'SF Express ships tomorrow',
    );
    const toChinese = protectTerms('Shipped by sf express today', glossary, 'zh-Hans');
    expect(toChinese.text).toBe('Shipped by ZXQ0QXZ today');
    expect(restoreTerms('今天由 ZXQ0QXZ 发货', toChinese.replacements, 'zh-Hans')).toBe('今天由顺丰发货');
    // Cantonese borrows the traditional rendering.
    expect(protectTerms('顺丰', glossary, 'yue').replacements).toEqual(['順豐']);
  });

  it('leaves texts alone when there is no glossary', () => {
    expect(protectTerms('ZXQ0QXZ 原文', [], 'en')).toEqual({ text: 'ZXQ0QXZ 原文', replacements: [] });
    expect(restoreTerms('ZXQ0QXZ', [], 'en')).toBe('ZXQ0QXZ');
  });
});
