// Language of a customer message: which variety of Chinese (simplified, traditional, Cantonese),
// English, or something else — so the bot replies in the customer's language or hands off.
import * as OpenCC from 'opencc-js';
import { CANTONESE_CHARS, CANTONESE_WORDS, ENGLISH_WORDS, OTHER_LATIN_WORDS } from './lexicon.ts';

export type Language = 'zh-Hans' | 'zh-Hant' | 'yue' | 'en' | 'other';

export interface LanguageGuess {
  language: Language;
  /** 0..1; low for very short or mixed messages. */
  confidence: number;
}

interface ScriptTables {
  traditionalOnly(c: string): boolean;
  simplifiedOnly(c: string): boolean;
}

// The converters are immutable dictionaries, expensive to build (~150 ms) and identical for every
// caller, so they are built once on first use rather than passed around.
let tables: ScriptTables | null = null;

function scriptTables(): ScriptTables {
  if (tables) return tables;
  const toSimplified = OpenCC.Converter({ from: 'tw', to: 'cn' });
  const toTraditional = OpenCC.Converter({ from: 'cn', to: 'tw' });
  tables = {
    traditionalOnly: (c) => toSimplified(c) !== c,
    simplifiedOnly: (c) => toTraditional(c) !== c,
  };
  return tables;
}

const HAN_RE = /\p{Script=Han}/u;
const KANA_RE = /[\p{Script=Hiragana}\p{Script=Katakana}]/u;
const HANGUL_RE = /\p{Script=Hangul}/u;
const LATIN_WORD_RE = /[\p{Script=Latin}'’]+/gu;
// Non-Latin, non-Han scripts that customers write in: Cyrillic, Arabic, Thai, Devanagari, Greek, Hebrew…
const OTHER_SCRIPT_RE =
  /[\p{Script=Cyrillic}\p{Script=Arabic}\p{Script=Thai}\p{Script=Devanagari}\p{Script=Greek}\p{Script=Hebrew}\p{Script=Khmer}\p{Script=Lao}\p{Script=Myanmar}\p{Script=Tibetan}\p{Script=Mongolian}]/u;
const ASCII_RE = /^[a-z'’]+$/;

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

/** Which kind of Chinese the Han characters are, with a confidence for the Chinese part alone. */
function chineseVariety(text: string, hanChars: readonly string[]): LanguageGuess {
  const { traditionalOnly, simplifiedOnly } = scriptTables();
  let cantonese = 0;
  for (const c of hanChars) if (CANTONESE_CHARS.has(c)) cantonese++;
  for (const w of CANTONESE_WORDS) {
    let at = text.indexOf(w);
    while (at !== -1) {
      cantonese++;
      at = text.indexOf(w, at + w.length);
    }
  }
  if (cantonese > 0) {
    // One marker in a short message is decisive; in a long text it could be a quotation.
    const density = cantonese / Math.max(1, hanChars.length / 8);
    return { language: 'yue', confidence: round(Math.min(0.98, 0.6 + 0.2 * density)) };
  }
  let traditional = 0;
  let simplified = 0;
  for (const c of hanChars) {
    if (traditionalOnly(c)) traditional++;
    else if (simplifiedOnly(c)) simplified++;
  }
  const marked = traditional + simplified;
  if (marked === 0) {
    // Characters shared by both scripts (e.g. "你好吗"): simplified is the platform default.
    return { language: 'zh-Hans', confidence: round(Math.min(0.8, 0.5 + 0.05 * hanChars.length)) };
  }
  const language = traditional > simplified ? 'zh-Hant' : 'zh-Hans';
  const share = Math.max(traditional, simplified) / marked;
  const evidence = Math.min(1, marked / 3);
  return { language, confidence: round(Math.min(0.99, 0.5 + 0.49 * share * evidence)) };
}

/** Whether a run of Latin words reads as English rather than another Latin-script language. */
function latinVariety(words: readonly string[]): { english: number; other: number } {
  let english = 0;
  let other = 0;
  for (const raw of words) {
    const w = raw.toLowerCase().replace(/’/g, "'");
    if (ENGLISH_WORDS.has(w)) english++;
    else if (OTHER_LATIN_WORDS.has(w) || !ASCII_RE.test(w)) other++;
  }
  return { english, other };
}

/**
 * Detects the language of a customer message. Han characters count one unit each and Latin words one
 * unit each, so "单号 SF123 where is it" leans English while "我的快递 SF123 到哪了" is Chinese; codes
 * with digits (order numbers) are ignored.
 */
export function detectLanguage(text: string): LanguageGuess {
  const guess = guessLanguage(text);
  return { language: guess.language, confidence: round(guess.confidence * shortness(text)) };
}

/** One word is weak evidence whatever it is ("ok", "好"): confidence grows with the message. */
function shortness(text: string): number {
  const units = [...text].filter((c) => HAN_RE.test(c)).length + (text.match(/[A-Za-z]+/g) ?? []).length;
  return Math.min(1, 0.6 + 0.1 * units);
}

function guessLanguage(text: string): LanguageGuess {
  const chars = [...text];
  const han = chars.filter((c) => HAN_RE.test(c));
  const kana = chars.filter((c) => KANA_RE.test(c)).length;
  const hangul = chars.filter((c) => HANGUL_RE.test(c)).length;
  const otherScript = chars.filter((c) => OTHER_SCRIPT_RE.test(c)).length;
  // Words glued to digits ("SF123", "3pm" stays) are codes, not language.
  const latinWords = (text.replace(/[A-Za-z]*\d[\w-]*/g, ' ').match(LATIN_WORD_RE) ?? []).filter(
    (w) => w.length > 0,
  );

  // Japanese mixes kanji with kana; any kana at all rules out Chinese.
  const nonChinese = kana + hangul + otherScript;
  const total = han.length + latinWords.length + nonChinese;
  if (total === 0) return { language: 'other', confidence: 0 };
  if (kana > 0 && kana + han.length >= latinWords.length) {
    return { language: 'other', confidence: round(Math.min(0.99, 0.7 + kana / (kana + han.length))) };
  }
  if (nonChinese > 0 && nonChinese >= han.length && nonChinese >= latinWords.length) {
    return { language: 'other', confidence: round(Math.min(0.99, 0.5 + nonChinese / total / 2)) };
  }

  if (han.length >= latinWords.length) {
    const guess = chineseVariety(text, han);
    const share = han.length / total;
    return { language: guess.language, confidence: round(guess.confidence * (0.5 + share / 2)) };
  }

  const { english, other } = latinVariety(latinWords);
  const share = latinWords.length / total;
  if (other > english) {
    return {
      language: 'other',
      confidence: round(Math.min(0.95, (other / latinWords.length) * share + 0.3)),
    };
  }
  // Unknown ASCII words (brand names, "lol") still count as English when nothing points elsewhere.
  const known = english / latinWords.length;
  return { language: 'en', confidence: round(Math.min(0.99, (0.55 + 0.44 * known) * share)) };
}
