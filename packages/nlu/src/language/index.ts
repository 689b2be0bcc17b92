// Language of a customer message — Mandarin in simplified or traditional script, written Cantonese,
// English, the neighbours' languages (Japanese, Korean, Vietnamese, Thai, Malay/Indonesian, Russian) or
// something else — plus Sichuanese-flavoured Mandarin as a variety, so the bot replies in the customer's
// language, routing finds people who read it and the NLU knows when to rewrite a dialect.
// Embedded evidence only: scripts, Vietnamese letters, frequent words, and the dialect lexicon.
import * as OpenCC from 'opencc-js';
import { dialects, toSimplified } from '../normalise/index.ts';
import {
  CANTONESE_CHARS,
  CANTONESE_WORDS,
  ENGLISH_WORDS,
  MALAY_WORDS,
  OTHER_LATIN_WORDS,
  VIETNAMESE_WORDS,
} from './lexicon.ts';

export type Language =
  | 'zh-Hans'
  | 'zh-Hant'
  | 'yue'
  | 'en'
  | 'ja'
  | 'ko'
  | 'vi'
  | 'th'
  | 'ms'
  | 'ru'
  | 'other';

export const LANGUAGES: readonly Language[] = [
  'zh-Hans',
  'zh-Hant',
  'yue',
  'en',
  'ja',
  'ko',
  'vi',
  'th',
  'ms',
  'ru',
  'other',
];

/** A regional variety written in a language's script: Sichuanese-flavoured Mandarin (zh-Hans or zh-Hant). */
export type LanguageVariety = 'sichuan';

export interface LanguageGuess {
  language: Language;
  /** 0..1, the chance the language is right; low for very short or mixed messages. */
  confidence: number;
  /** Set when the message is Mandarin with Sichuanese expressions (its `language` stays zh-Hans/zh-Hant). */
  variety: LanguageVariety | null;
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
  const toSimplifiedChar = OpenCC.Converter({ from: 'tw', to: 'cn' });
  const toTraditional = OpenCC.Converter({ from: 'cn', to: 'tw' });
  tables = {
    traditionalOnly: (c) => toSimplifiedChar(c) !== c,
    simplifiedOnly: (c) => toTraditional(c) !== c,
  };
  return tables;
}

const HAN_RE = /\p{Script=Han}/u;
const KANA_RE = /[\p{Script=Hiragana}\p{Script=Katakana}]/u;
const HANGUL_RE = /\p{Script=Hangul}/u;
const THAI_RE = /\p{Script=Thai}/u;
const CYRILLIC_WORD_RE = /\p{Script=Cyrillic}+/gu;
/** Letters of Cyrillic alphabets other than Russian (Ukrainian, Belarusian, Serbian, Macedonian). */
const NOT_RUSSIAN_RE = /[іїєґўђјљњћџѓќѕ]/iu;
const LATIN_WORD_RE = /[\p{Script=Latin}'’]+/gu;
// Other scripts customers write in: Arabic, Devanagari, Greek, Hebrew, Khmer, Lao, Myanmar…
const OTHER_SCRIPT_RE =
  /[\p{Script=Arabic}\p{Script=Devanagari}\p{Script=Greek}\p{Script=Hebrew}\p{Script=Khmer}\p{Script=Lao}\p{Script=Myanmar}\p{Script=Tibetan}\p{Script=Mongolian}\p{Script=Bengali}\p{Script=Tamil}\p{Script=Georgian}\p{Script=Armenian}\p{Script=Ethiopic}]/u;
/** Letters only Vietnamese uses among Latin-script languages (horn, breve, hook above, dot below, đ, ĩ ũ ỹ). */
const VIETNAMESE_LETTER_RE = /[ăđơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹĩũ]/iu;
const ASCII_RE = /^[a-z'’]+$/;

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

/** Confidence from an evidence margin: 0 → 0.5, 1 → 0.82, 2 → 0.93, 3 → 0.98. */
function fromMargin(margin: number): number {
  return 1 - 0.5 * Math.exp(-Math.max(0, margin));
}

interface Guess {
  language: Language;
  confidence: number;
  variety: LanguageVariety | null;
}

/** Which kind of Chinese the Han characters are, with a confidence for the Chinese part alone. */
function chineseVariety(text: string, hanChars: readonly string[]): Guess {
  const { traditionalOnly, simplifiedOnly } = scriptTables();
  let markers = 0;
  for (const c of hanChars) if (CANTONESE_CHARS.has(c)) markers++;
  for (const w of CANTONESE_WORDS) {
    let at = text.indexOf(w);
    while (at !== -1) {
      markers++;
      at = text.indexOf(w, at + w.length);
    }
  }
  const simplifiedText = toSimplified(text);
  const { evidence } = dialects().detect(simplifiedText);
  // A marker character counts as much as an expression only Cantonese writes.
  const cantonese = Math.max(evidence.yue, 2 * markers);
  if (cantonese >= 2 && cantonese >= evidence.sichuan) {
    // One marker in a short message is decisive; in a long text it could be a quotation.
    const density = cantonese / 2 / Math.max(1, hanChars.length / 8);
    return { language: 'yue', confidence: round(Math.min(0.98, 0.6 + 0.2 * density)), variety: null };
  }
  const variety: LanguageVariety | null = evidence.sichuan >= 2 ? 'sichuan' : null;
  let traditional = 0;
  let simplified = 0;
  for (const c of hanChars) {
    if (traditionalOnly(c)) traditional++;
    else if (simplifiedOnly(c)) simplified++;
  }
  const marked = traditional + simplified;
  if (marked === 0) {
    // Characters shared by both scripts (e.g. "你好吗"): simplified is the platform default.
    return {
      language: 'zh-Hans',
      confidence: round(Math.min(0.8, 0.5 + 0.05 * hanChars.length)),
      variety,
    };
  }
  const language = traditional > simplified ? 'zh-Hant' : 'zh-Hans';
  const share = Math.max(traditional, simplified) / marked;
  const evidenceShare = Math.min(1, marked / 3);
  return { language, confidence: round(Math.min(0.99, 0.5 + 0.49 * share * evidenceShare)), variety };
}

type LatinLanguage = 'en' | 'ms' | 'vi' | 'other';

/** Which Latin-script language a run of words is, by frequent words and Vietnamese letters. */
function latinVariety(words: readonly string[]): { language: LatinLanguage; margin: number; known: number } {
  const score: Record<LatinLanguage, number> = { en: 0, ms: 0, vi: 0, other: 0 };
  for (const raw of words) {
    const w = raw.toLowerCase().replace(/’/g, "'");
    if (VIETNAMESE_LETTER_RE.test(w)) {
      score.vi += 1.5;
      continue;
    }
    if (ENGLISH_WORDS.has(w)) score.en++;
    if (MALAY_WORDS.has(w)) score.ms++;
    // Toneless Vietnamese words are short and some are words elsewhere: half the weight.
    if (VIETNAMESE_WORDS.has(w)) score.vi += 0.5;
    if (OTHER_LATIN_WORDS.has(w)) score.other++;
    else if (!ASCII_RE.test(w)) score.other += 0.5; // é, ñ, ß, ç…: a European language
  }
  // Order breaks ties: English first, as the most common Latin-script language of customers here.
  const ranked = (Object.keys(score) as LatinLanguage[]).sort((a, b) => score[b] - score[a]);
  const best = ranked[0]!;
  return { language: best, margin: score[best] - score[ranked[1]!], known: score[best] };
}

/**
 * Detects the language of a customer message. Han, kana and Hangul characters count one unit each, Latin
 * and Cyrillic words one unit each and Thai letters a third, so "单号 SF123 where is it" leans English while
 * "我的快递 SF123 到哪了" is Chinese; codes with digits (order numbers) are ignored.
 */
export function detectLanguage(input: string): LanguageGuess {
  // Composed form: text typed on some systems carries Vietnamese tone marks as combining characters.
  const text = input.normalize('NFC');
  const chars = [...text];
  const han = chars.filter((c) => HAN_RE.test(c));
  const kana = chars.filter((c) => KANA_RE.test(c)).length;
  const hangul = chars.filter((c) => HANGUL_RE.test(c)).length;
  const thai = chars.filter((c) => THAI_RE.test(c)).length / 3;
  const cyrillicWords = text.match(CYRILLIC_WORD_RE) ?? [];
  const otherScript = chars.filter((c) => OTHER_SCRIPT_RE.test(c)).length / 3;
  // Words glued to digits ("SF123", "3pm" stays) are codes, not language.
  const latinWords = (text.replace(/[A-Za-z]*\d[\w-]*/g, ' ').match(LATIN_WORD_RE) ?? []).filter(
    (w) => w.length > 0,
  );
  const units = han.length + kana + hangul + thai + cyrillicWords.length + otherScript + latinWords.length;
  if (units === 0) return { language: 'other', confidence: 0, variety: null };
  const guess = guessLanguage(text, {
    han,
    kana,
    hangul,
    thai,
    cyrillicWords,
    otherScript,
    latinWords,
    units,
  });
  // One word is weak evidence whatever it is ("ok", "好"): confidence grows with the message.
  const shortness = Math.min(1, 0.6 + 0.1 * units);
  return {
    language: guess.language,
    confidence: round(guess.confidence * shortness),
    variety: guess.variety,
  };
}

interface Units {
  han: readonly string[];
  kana: number;
  hangul: number;
  thai: number;
  cyrillicWords: readonly string[];
  otherScript: number;
  latinWords: readonly string[];
  units: number;
}

function guessLanguage(text: string, u: Units): Guess {
  const { han, kana, hangul, thai, cyrillicWords, otherScript, latinWords, units } = u;
  const latin = latinWords.length;
  const cyrillic = cyrillicWords.length;
  // Japanese mixes kanji with kana; any kana at all rules out Chinese.
  if (kana > 0 && kana + han.length >= Math.max(latin, hangul, thai, cyrillic, otherScript)) {
    const share = (kana + han.length) / units;
    return { language: 'ja', confidence: Math.min(0.99, share * fromMargin(1 + kana)), variety: null };
  }
  const scripts: [Language, number][] = [
    ['ko', hangul],
    ['th', thai],
    ['ru', cyrillic],
    ['other', otherScript],
  ];
  const [script, count] = scripts.reduce((a, b) => (b[1] > a[1] ? b : a));
  if (count > 0 && count >= han.length && count >= latin) {
    const share = count / units;
    let language = script;
    let confidence = share * fromMargin(1 + count);
    if (script === 'ru' && cyrillicWords.some((w) => NOT_RUSSIAN_RE.test(w))) {
      // Ukrainian, Belarusian, Serbian…: another language written in Cyrillic.
      language = 'other';
      confidence = share * 0.9;
    }
    return { language, confidence: Math.min(0.99, confidence), variety: null };
  }

  if (han.length >= latin) {
    const guess = chineseVariety(text, han);
    const share = han.length / units;
    return { ...guess, confidence: guess.confidence * (0.5 + share / 2) };
  }

  const { language, margin, known } = latinVariety(latinWords);
  const share = latin / units;
  // Unknown ASCII words (brand names, "lol") still count as English when nothing points elsewhere.
  if (known === 0) return { language: 'en', confidence: 0.55 * share, variety: null };
  return { language, confidence: Math.min(0.99, fromMargin(margin + 0.5) * share), variety: null };
}
