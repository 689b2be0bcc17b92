// Language tags as the server compares them: which of a workspace's locales its agents read, and when two
// tags are the same language for a reader (a Mandarin reader reads traditional characters and written
// Cantonese well enough that a machine translation would do more harm than good).
import type { Locale } from '@zhike/core';
import { TRANSLATION_LANGUAGES } from '@zhike/providers';

/** The language tag of a workspace locale: what its agents and its bot template are written in. */
export function languageOfLocale(locale: Locale | string): string {
  return locale.toLowerCase().startsWith('zh') ? 'zh-Hans' : 'en';
}

/** zh-Hans, zh-Hant and yue are one family (Chinese); every other tag is its own. */
export function languageFamily(tag: string): string {
  const lower = tag.toLowerCase();
  return lower === 'yue' || lower.startsWith('zh') ? 'zh' : lower.split('-')[0]!;
}

export function sameFamily(a: string, b: string): boolean {
  return languageFamily(a) === languageFamily(b);
}

/** A tag a message or customer may carry and translation can act on ('other' and unknown ones cannot). */
export function servedLanguage(tag: string | null | undefined): string | null {
  if (!tag) return null;
  return (TRANSLATION_LANGUAGES as readonly string[]).includes(tag) ? tag : null;
}

/** Below this a detection is kept on the message but not remembered as the customer's language. */
export const CONFIDENT_LANGUAGE = 0.6;
