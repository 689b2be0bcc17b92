// A language tag as agents read it (英语, Cantonese…); a tag the catalogue does not name stays as it is.
import type { MessageKey, Translate } from '../i18n/catalogue.ts';

const NAMED = new Set(['zh-Hans', 'zh-Hant', 'yue', 'en', 'ja', 'ko', 'vi', 'th', 'ms', 'id', 'ru']);

export function languageLabel(tag: string | null | undefined, t: Translate): string {
  if (!tag) return t('translation.unknownLanguage');
  return NAMED.has(tag) ? t(`language.${tag}` as MessageKey) : tag;
}
