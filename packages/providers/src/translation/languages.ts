// The languages live translation serves, named as the rest of Zhike names them (the NLU's language ID says
// zh-Hans, zh-Hant, yue, en…), and the aliases callers may pass (zh-CN, zh-TW, en-US…). Each adapter maps
// these onto its vendor's codes; where a vendor has no Cantonese, written Cantonese goes out as traditional
// Chinese, which every Cantonese reader reads.

export const TRANSLATION_LANGUAGES = [
  'zh-Hans',
  'zh-Hant',
  'yue',
  'en',
  'ja',
  'ko',
  'vi',
  'th',
  'ms',
  'id',
  'ru',
] as const;

export type TranslationLanguage = (typeof TRANSLATION_LANGUAGES)[number];

/** English names, for prompts and messages. */
export const LANGUAGE_NAMES: Record<TranslationLanguage, string> = {
  'zh-Hans': 'Simplified Chinese',
  'zh-Hant': 'Traditional Chinese',
  yue: 'Cantonese (written Cantonese in Traditional Chinese characters, as used in Hong Kong)',
  en: 'English',
  ja: 'Japanese',
  ko: 'Korean',
  vi: 'Vietnamese',
  th: 'Thai',
  ms: 'Malay',
  id: 'Indonesian',
  ru: 'Russian',
};

const ALIASES: Record<string, TranslationLanguage> = {
  zh: 'zh-Hans',
  'zh-cn': 'zh-Hans',
  'zh-sg': 'zh-Hans',
  'zh-my': 'zh-Hans',
  'zh-hans-cn': 'zh-Hans',
  cmn: 'zh-Hans',
  'zh-sichuan': 'zh-Hans',
  // Hong Kong and Macau customers read traditional characters; written Cantonese is asked for as 'yue'.
  'zh-tw': 'zh-Hant',
  'zh-hk': 'zh-Hant',
  'zh-mo': 'zh-Hant',
  'zh-hant-tw': 'zh-Hant',
  'zh-hant-hk': 'zh-Hant',
  zt: 'zh-Hant',
  'zh-yue': 'yue',
  'yue-hk': 'yue',
  'yue-hant': 'yue',
  in: 'id',
};

/**
 * The translation language a BCP-47-ish tag names, or undefined when live translation does not serve it.
 * Case-insensitive; region subtags of the single-variety languages are dropped ('en-GB' → 'en').
 */
export function translationLanguage(tag: string): TranslationLanguage | undefined {
  const lowered = tag.trim().replace(/_/g, '-').toLowerCase();
  const exact = TRANSLATION_LANGUAGES.find((language) => language.toLowerCase() === lowered);
  if (exact) return exact;
  const alias = ALIASES[lowered];
  if (alias) return alias;
  const primary = lowered.split('-')[0]!;
  if (primary === 'zh' || primary === 'cmn') return lowered.includes('hant') ? 'zh-Hant' : 'zh-Hans';
  return TRANSLATION_LANGUAGES.find((language) => language === primary);
}

/** True for the languages written without spaces between words (a glossary term needs none around it). */
export function writtenWithoutSpaces(language: TranslationLanguage | undefined): boolean {
  return language === 'zh-Hans' || language === 'zh-Hant' || language === 'yue' || language === 'ja';
}

/** The Chinese family: translations between them are script or variety conversions. */
export function isChinese(language: TranslationLanguage | undefined): boolean {
  return language === 'zh-Hans' || language === 'zh-Hant' || language === 'yue';
}
