// Text normaliser: the first NLU step. Everything downstream (tokeniser, features, FAQ retrieval)
// sees the same canonical form, so a customer typing 「請問退宽？？？」 and one typing "请问退款?" match.
import * as OpenCC from 'opencc-js';
import { createDialectRewriter, type DialectRewriter } from '../dialect/rewrite.ts';
import { replaceChineseNumerals } from './numerals.ts';

export interface NormaliseOptions {
  /** Convert Chinese numerals and amounts (三百五十块 → 350块) with `./numerals.ts`. Off by default. */
  numerals?: boolean;
}

// Like the OpenCC tables: an immutable dictionary, built once on first use.
let dialectRewriter: DialectRewriter | undefined;
/** The shared rewriter of `../dialect/lexicon.json` (also used by language detection). */
export function dialects(): DialectRewriter {
  dialectRewriter ??= createDialectRewriter();
  return dialectRewriter;
}

/**
 * Common ASR and pinyin-IME confusions seen in shop customer service, wrong form → intended form.
 * Only pairs whose wrong form is not itself a plausible word belong here, because the replacement
 * is unconditional. Applied after traditional→simplified conversion, so keys are simplified.
 */
export const CHINESE_CONFUSIONS: Readonly<Record<string, string>> = {
  退宽: '退款',
  退欵: '退款',
  付宽: '付款',
  快第: '快递',
  快滴: '快递',
  发获: '发货',
  退获: '退货',
  换获: '换货',
  收获地址: '收货地址',
  物留: '物流',
  优会: '优惠',
  优惠卷: '优惠券',
  代金卷: '代金券',
  客福: '客服',
  地止: '地址',
  定单: '订单',
  到帐: '到账',
  帐号: '账号',
  帐户: '账户',
  尺马: '尺码',
  包由: '包邮',
  保休: '保修',
  发漂: '发票',
  投拆: '投诉',
};

/** English chat shorthand and frequent misspellings, matched as whole words after case folding. */
export const ENGLISH_CONFUSIONS: Readonly<Record<string, string>> = {
  pls: 'please',
  plz: 'please',
  thx: 'thanks',
  thnx: 'thanks',
  recieve: 'receive',
  recieved: 'received',
  adress: 'address',
  paymnet: 'payment',
  acount: 'account',
  accout: 'account',
  cancell: 'cancel',
  delivary: 'delivery',
  wont: "won't",
  cant: "can't",
  dont: "don't",
  didnt: "didn't",
  doesnt: "doesn't",
  isnt: "isn't",
};

/** Chinese and typographic punctuation → ASCII, so repeats collapse and tokenisers see one alphabet. */
const PUNCTUATION: Readonly<Record<string, string>> = {
  '。': '.',
  '｡': '.',
  '、': ',',
  '，': ',',
  '；': ';',
  '：': ':',
  '？': '?',
  '！': '!',
  '“': '"',
  '”': '"',
  '„': '"',
  '‘': "'",
  '’': "'",
  '「': '"',
  '」': '"',
  '『': '"',
  '』': '"',
  '《': '"',
  '》': '"',
  '〈': '"',
  '〉': '"',
  '【': '[',
  '】': ']',
  '〔': '[',
  '〕': ']',
  '（': '(',
  '）': ')',
  '～': '~',
  '〜': '~',
  '—': '-',
  '–': '-',
  '―': '-',
  '·': ' ',
  '・': ' ',
  '…': '...',
};

// Lazy and per process: building the OpenCC tries costs ~10 ms and the tables are read-only.
let traditionalToSimplified: ((text: string) => string) | undefined;
/**
 * BMP characters OpenCC's character table (TSCharacters) changes: only text with one of them goes
 * through the converter. This skips ~3 µs per message for simplified text, and also avoids the
 * Taiwan-variant table's unconditional 么 → 幺, which broke 什么/怎么/那么 in simplified input.
 */
let traditionalChars: Uint8Array | undefined;
function buildTraditionalChars(): Uint8Array {
  const table = new Uint8Array(0x10000);
  const locale = (OpenCC as unknown as { Locale: { to: { cn: unknown } } }).Locale.to.cn;
  const visit = (dict: unknown): void => {
    if (Array.isArray(dict)) for (const d of dict) visit(d);
    else if (typeof dict === 'string') {
      for (const entry of dict.split('|')) {
        const [from, to] = entry.split(' ');
        if (from === undefined || to === undefined || from === to) continue;
        // Phrase keys count only by the characters that convert on their own (checked below).
        if (from.length === 1) table[from.charCodeAt(0)] = 1;
      }
    }
  };
  visit(locale);
  return table;
}
/** Traditional → simplified Chinese (OpenCC, Taiwan phrases to mainland ones); other text unchanged. */
export function toSimplified(text: string): string {
  // Most traffic is already simplified; skip the trie walk when nothing could change.
  if (!/[\u3400-\u9fff\uf900-\ufaff\ud800-\udbff]/.test(text)) return text;
  traditionalChars ??= buildTraditionalChars();
  let traditional = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (traditionalChars[code] === 1 || (code >= 0xd800 && code <= 0xdbff)) {
      traditional = true;
      break;
    }
  }
  if (!traditional) return text;
  traditionalToSimplified ??= OpenCC.Converter({ from: 'twp', to: 'cn' });
  return traditionalToSimplified(text);
}

/** Full-width ASCII (Ａ１！) and the ideographic space → half-width; NFKC also unfolds ①, ﬁ, ㈱… */
export function toHalfWidth(text: string): string {
  return text.normalize('NFKC').replace(/\u3000/g, ' ');
}

const punctuationPattern = new RegExp(`[${Object.keys(PUNCTUATION).join('')}]`, 'g');
export function mapPunctuation(text: string): string {
  return text.replace(punctuationPattern, (ch) => PUNCTUATION[ch] ?? ch);
}

const zeroWidth = /[\u200b-\u200d\u2060\ufeff\u00ad]/g;
// Variation selectors and skin-tone modifiers make 👍 and 👍🏻 different strings for no benefit.
const emojiDecoration = /[\ufe0e\ufe0f\u{1f3fb}-\u{1f3ff}]/gu;
/**
 * Repeated punctuation carries emphasis, not meaning: "???" → "?", "!!!!" → "!", "......" → "...".
 * Repeated emoji collapse to one so 😡😡😡 and 😡 share features (the count is not a reliable signal).
 */
// Anything `collapseRepeats` could change; most messages have none, and one scan beats six replaces.
const repeatCandidate =
  /[\u200b-\u200d\u2060\ufeff\u00ad]|\ufe0e|\ufe0f|[\u{1f3fb}-\u{1f3ff}]|\.{3}|([!?,;:~\-_*#=+])\1|[?!]{2}|(\p{Extended_Pictographic})\2/u;
export function collapseRepeats(text: string): string {
  if (!repeatCandidate.test(text)) return text;
  return text
    .replace(zeroWidth, '')
    .replace(emojiDecoration, '')
    .replace(/\.{3,}/g, '...')
    .replace(/([!?,;:~\-_*#=+])\1+/g, '$1')
    .replace(/([?!]){2,}/g, '$1')
    .replace(/(\p{Extended_Pictographic})\1+/gu, '$1');
}

const cjk = '\\u3400-\\u9fff\\uf900-\\ufaff';
const spaceBetweenCjk = new RegExp(`(?<=[${cjk}])\\s+(?=[${cjk}])`, 'g');
/** Collapse whitespace; drop spaces between two Chinese characters (ASR and IME output often has them). */
export function normaliseWhitespace(text: string): string {
  if (!/\s/.test(text)) return text;
  return text.replace(/\s+/g, ' ').replace(spaceBetweenCjk, '').trim();
}

function buildReplacer(
  table: Readonly<Record<string, string>>,
  wholeWords: boolean,
): (text: string) => string {
  const keys = Object.keys(table).sort((a, b) => b.length - a.length);
  if (keys.length === 0) return (text) => text;
  const escaped = keys.map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
  const pattern = wholeWords
    ? new RegExp(`(?<![\\p{L}\\p{N}'])(?:${escaped})(?![\\p{L}\\p{N}'])`, 'gu')
    : new RegExp(escaped, 'g');
  // A plain search for the keys is much cheaper than the Unicode look-arounds; most text has none.
  const anyKey = new RegExp(escaped);
  return (text) => (anyKey.test(text) ? text.replace(pattern, (m) => table[m] ?? m) : text);
}
const fixChinese = buildReplacer(CHINESE_CONFUSIONS, false);
const fixEnglish = buildReplacer(ENGLISH_CONFUSIONS, true);
/** Apply the confusion tables (longest key first). */
export function fixConfusions(text: string): string {
  return fixEnglish(fixChinese(text));
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const ASCII_REPEATS = /([!?,;:~\-_*#=+])\1+|\.{3,}|[?!]{2,}/;
const HAS_LETTER = /[a-z]/;

/** `collapseRepeats` for text with no zero-width characters, emoji or their modifiers. */
function collapseAsciiRepeats(text: string): string {
  if (!ASCII_REPEATS.test(text)) return text;
  return text
    .replace(/\.{3,}/g, '...')
    .replace(/([!?,;:~\-_*#=+])\1+/g, '$1')
    .replace(/([?!]){2,}/g, '$1');
}

/** The same result as the general path for printable ASCII, without its Unicode passes. */
function normaliseAscii(text: string): string {
  let out = collapseAsciiRepeats(text.toLowerCase());
  if (out.includes('  ') || out.startsWith(' ') || out.endsWith(' ')) out = out.replace(/ +/g, ' ').trim();
  return HAS_LETTER.test(out) ? fixEnglish(out) : out;
}

/** Punctuation whose repeats `collapseAsciiRepeats` folds (`[!?,;:~\-_*#=+]`), by code. */
const REPEAT_FOLDED = new Uint8Array(128);
for (const ch of '!?,;:~-_*#=+') REPEAT_FOLDED[ch.charCodeAt(0)] = 1;

function wordHash(hash: number, code: number): number {
  return (Math.imul(hash, 31) + code) | 0;
}
/**
 * Hashes of the `ENGLISH_CONFUSIONS` keys (all lower-case letters) in a small open-addressed table
 * (a `Set` lookup per word cost more than the rest of the scan), and the keys' length range.
 */
const CONFUSION_BITS = 6;
const confusionTable = new Int32Array(1 << CONFUSION_BITS);
const confusionUsed = new Uint8Array(1 << CONFUSION_BITS);
let confusionMin = Number.POSITIVE_INFINITY;
let confusionMax = 0;
function confusionSlot(hash: number): number {
  return Math.imul(hash, 0x9e3779b1) >>> (32 - CONFUSION_BITS);
}
for (const key of Object.keys(ENGLISH_CONFUSIONS)) {
  let hash = 0;
  for (let i = 0; i < key.length; i++) hash = wordHash(hash, key.charCodeAt(i));
  let slot = confusionSlot(hash);
  while (confusionUsed[slot] === 1) slot = (slot + 1) & ((1 << CONFUSION_BITS) - 1);
  confusionUsed[slot] = 1;
  confusionTable[slot] = hash;
  confusionMin = Math.min(confusionMin, key.length);
  confusionMax = Math.max(confusionMax, key.length);
}
/** Whether a letters-only word of `length` letters hashing to `hash` may be a confusion key. */
function mayBeConfusion(hash: number, length: number): boolean {
  if (length < confusionMin || length > confusionMax) return false;
  let slot = confusionSlot(hash);
  while (confusionUsed[slot] === 1) {
    if (confusionTable[slot] === hash) return true;
    slot = (slot + 1) & ((1 << CONFUSION_BITS) - 1);
  }
  return false;
}

/**
 * `normaliseAscii` in one scan for the common message: printable ASCII with no punctuation repeats, no
 * stray spaces and no word of `ENGLISH_CONFUSIONS`, which only needs lower case. Anything else goes
 * to `normaliseAscii` itself, so both give the same result (tested on every dataset line and on
 * generated text); null when the text is not printable ASCII. Most English traffic takes the scan,
 * which replaces five regular-expression passes (~0.57 → ~0.35 µs per banking77 message).
 */
function normalisePlainAscii(text: string): string | null {
  const last = text.length - 1;
  if (text.charCodeAt(0) === 0x20 || text.charCodeAt(last) === 0x20) {
    return PRINTABLE_ASCII.test(text) ? normaliseAscii(text) : null;
  }
  let upper = false;
  let previous = -1;
  let beforePrevious = -1;
  // The current run of [A-Za-z0-9'] (a whole word to the confusion pattern's look-arounds): its
  // length, the hash of its lower-cased letters, and whether it is letters only.
  let wordLength = 0;
  let hash = 0;
  let lettersOnly = true;
  let slow = false;
  for (let i = 0; i <= last; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code > 0x7e) return null;
    let lower = code;
    if (code >= 0x41 && code <= 0x5a) {
      upper = true;
      lower = code | 0x20;
    }
    if ((lower >= 0x61 && lower <= 0x7a) || (code >= 0x30 && code <= 0x39) || code === 0x27) {
      if (lower < 0x61) lettersOnly = false;
      hash = wordHash(hash, lower);
      wordLength++;
    } else {
      if (lettersOnly && mayBeConfusion(hash, wordLength)) {
        slow = true;
      }
      wordLength = 0;
      hash = 0;
      lettersOnly = true;
      if (code === previous && (REPEAT_FOLDED[code] === 1 || code === 0x20)) slow = true;
      else if ((code === 0x3f || code === 0x21) && (previous === 0x3f || previous === 0x21)) slow = true;
      else if (code === 0x2e && previous === 0x2e && beforePrevious === 0x2e) slow = true;
    }
    beforePrevious = previous;
    previous = code;
  }
  if (lettersOnly && mayBeConfusion(hash, wordLength)) {
    slow = true;
  }
  if (slow) return normaliseAscii(text);
  return upper ? text.toLowerCase() : text;
}

/**
 * Printable ASCII and CJK Unified Ideographs (with extension A) only: NFKC leaves every one of them
 * as it is, none is in the punctuation table and none is an emoji or invisible, so those passes can
 * be skipped (repeats are then only ASCII punctuation). Most Chinese traffic.
 */
const ASCII_AND_HAN = /^[\x20-\x7e\u3400-\u4dbf\u4e00-\u9fff]*$/;

/**
 * Per BMP code unit: 1 when a text made only of Han characters and digits may still change because of
 * it (a character OpenCC converts, or the first character of a `CHINESE_CONFUSIONS` key).
 */
let hanChanges: Uint8Array | undefined;
function buildHanChanges(): Uint8Array {
  traditionalChars ??= buildTraditionalChars();
  const table = Uint8Array.from(traditionalChars);
  for (const key of Object.keys(CHINESE_CONFUSIONS)) table[key.charCodeAt(0)] = 1;
  return table;
}

/** Sentence punctuation a Chinese message most often has, and what `normalise` makes of it. */
const HAN_PUNCTUATION: Readonly<Record<string, string>> = { '。': '.', '，': ',', '？': '?', '！': '!' };
const hanPunctuation = /[。，？！]/g;
const replaceHanPunctuation = (ch: string): string => HAN_PUNCTUATION[ch]!;

function isSentencePunctuation(code: number): boolean {
  // 。 ， ？ ！ and their ASCII forms.
  return (
    code === 0x3002 ||
    code === 0xff0c ||
    code === 0xff1f ||
    code === 0xff01 ||
    code === 0x2e ||
    code === 0x2c ||
    code === 0x3f ||
    code === 0x21
  );
}

/**
 * `normalise` for most Chinese messages, or null: Han characters (CJK Unified Ideographs and extension
 * A) and ASCII digits, none traditional or starting a confusion, with sentence punctuation (。，？！ or
 * ASCII) never two in a row. Every pass of the general path leaves such text as it is apart from the
 * full-width punctuation it maps to ASCII (no case, width, whitespace, repeat or English word to
 * change), so one loop replaces its regular expressions and NFKC.
 */
function normaliseHan(text: string): string | null {
  hanChanges ??= buildHanChanges();
  let fullWidth = false;
  let previousPunctuation = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (isSentencePunctuation(code)) {
      if (previousPunctuation) return null;
      previousPunctuation = true;
      if (code > 0x7f) fullWidth = true;
      continue;
    }
    previousPunctuation = false;
    if (code >= 0x3400) {
      if (code > 0x9fff || (code > 0x4dbf && code < 0x4e00) || hanChanges[code] === 1) return null;
    } else if (code < 0x30 || code > 0x39) return null;
  }
  return fullWidth ? text.replace(hanPunctuation, replaceHanPunctuation) : text;
}

/**
 * Canonical form of a customer message: half-width, simplified Chinese, lower case, ASCII punctuation
 * with repeats collapsed, single spaces, common typing/ASR confusions fixed. Idempotent.
 */
export function normalise(text: string, options: NormaliseOptions = {}): string {
  if (text.length === 0) return '';
  if (!options.numerals) {
    const han = normaliseHan(text);
    if (han !== null) return dialects().mayShow(han) ? dialects().rewrite(han).text : han;
  }
  // Most English traffic is plain ASCII: skip NFKC, OpenCC and the CJK-specific passes.
  if (!options.numerals) {
    const ascii = normalisePlainAscii(text);
    if (ascii !== null) return ascii;
  }
  const plain = ASCII_AND_HAN.test(text);
  let out = plain ? text : toHalfWidth(text);
  out = toSimplified(out);
  out = out.toLowerCase();
  out = plain ? collapseAsciiRepeats(out) : collapseRepeats(mapPunctuation(out));
  out = normaliseWhitespace(out);
  // Cantonese and Sichuanese expressions in Mandarin, only where the text shows the dialect.
  if (dialects().mayShow(out)) out = dialects().rewrite(out).text;
  out = fixConfusions(out);
  if (options.numerals) out = replaceChineseNumerals(out);
  return out;
}
