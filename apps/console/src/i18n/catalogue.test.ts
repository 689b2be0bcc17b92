import { describe, expect, it } from 'vitest';
import { catalogues, placeholdersOf, translate } from './catalogue.ts';
import { enUS } from './en-US.ts';
import { zhCN } from './zh-CN.ts';

describe('i18n catalogues', () => {
  const zhKeys = Object.keys(zhCN).sort();

  it('en-US has exactly the keys of zh-CN', () => {
    expect(Object.keys(enUS).sort()).toEqual(zhKeys);
  });

  it.each(Object.entries(catalogues))('%s has no empty strings', (_locale, messages) => {
    const empty = Object.entries(messages).filter(([, text]) => text.trim() === '');
    expect(empty).toEqual([]);
  });

  it('uses the same placeholders in every locale', () => {
    const mismatched = zhKeys.filter(
      (key) =>
        placeholdersOf(zhCN[key as keyof typeof zhCN]).join() !==
        placeholdersOf(enUS[key as keyof typeof enUS]).join(),
    );
    expect(mismatched).toEqual([]);
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(translate(enUS, 'inbox.visitor', { id: 'a1b2' })).toBe('Visitor a1b2');
    expect(translate(enUS, 'inbox.visitor')).toBe('Visitor {id}');
    expect(translate(zhCN, 'reply.tooLong', { max: 5000 })).toBe('消息不能超过 5000 个字符');
  });
});
