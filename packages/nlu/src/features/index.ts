// Featuriser: normalised text + its words → hashed sparse feature keys with counts.
// Keys carry their family in the top two bits, so weighting and per-family normalisation need no
// side table and a bag is just two typed arrays reused across calls.
import type { WordSpans } from '../tokenise/dictionary.ts';
import { hashPair, hashSeed, hashString } from './hashing.ts';
import { syllableHash } from './pinyin.ts';

export const FAMILY_CHAR = 0;
export const FAMILY_WORD = 1;
export const FAMILY_PINYIN = 2;
export const FAMILY_TAG = 3;
export const FAMILY_COUNT = 4;

export interface FeaturiserOptions {
  /** Character n-gram lengths, inclusive. */
  charMin: number;
  charMax: number;
  /** Word bigrams in addition to word unigrams. */
  wordBigrams: boolean;
  /** Toneless pinyin unigrams of Han characters (homophone typos share them: 退宽/退款 → tui kuan). */
  pinyin: boolean;
  /**
   * Pinyin bigrams too. They are about a fifth of a Chinese message's features, and 5-fold CV on
   * smp2017-ecdt train (three fold draws) scored 90.4 % without them against 90.5 % with them.
   */
  pinyinBigrams: boolean;
  /** Part-of-speech tag unigrams and bigrams (needs tags from `Tokeniser.tagged`). */
  tags: boolean;
  /**
   * Shortest character n-gram with no Han character in it. Latin bigrams ("th", "e ") fire in almost
   * every English message and cost scoring time for no accuracy (5-fold CV on banking77 train).
   */
  latinCharMin: number;
  /**
   * Character n-grams with a space inside them ("y c"), spanning two words. Word bigrams already
   * carry that, and dropping them cuts ~15 % of an English message's features at no CV cost.
   */
  crossWordCharGrams: boolean;
  /**
   * Longest character n-gram with a Han character in it. With the model's word dictionary supplying
   * the longer units, Han 3-grams cost ~8 lookups per message for no accuracy (5-fold CV on
   * smp2017-ecdt train: 90.3 % with 1–2-grams, 90.1 % with 1–3-grams).
   */
  hanCharMax: number;
}

export const DEFAULT_FEATURISER_OPTIONS: Readonly<FeaturiserOptions> = {
  charMin: 1,
  charMax: 3,
  wordBigrams: true,
  pinyin: true,
  pinyinBigrams: false,
  // Off: in 5-fold CV on smp2017-ecdt train the tag family moved accuracy by 0.1 point (noise), while
  // jieba's tagging call costs ~4 µs more per message than plain segmentation.
  tags: false,
  latinCharMin: 3,
  crossWordCharGrams: false,
  hanCharMax: 2,
};

/**
 * What models saved before an option existed were trained with (Latin unigrams were always skipped,
 * Han n-grams went up to `charMax`, pinyin bigrams were on); saved options override these.
 */
export const LEGACY_FEATURISER_OPTIONS: Readonly<Partial<FeaturiserOptions>> = {
  latinCharMin: 2,
  crossWordCharGrams: true,
  hanCharMax: 64,
  pinyinBigrams: true,
};

/** Reusable output buffer: `keys[0..length)` unique and ascending, `counts` their term frequencies. */
export interface FeatureBag {
  keys: Uint32Array;
  counts: Float32Array;
  length: number;
}

export function createFeatureBag(capacity = 2048): FeatureBag {
  return { keys: new Uint32Array(capacity), counts: new Float32Array(capacity), length: 0 };
}

export function familyOf(key: number): number {
  return key >>> 30;
}

const CHAR_SEED = hashSeed(0x63);
const WORD_SEED = hashSeed(0x77);
const BIGRAM_SEED = hashSeed(0x62);
const PINYIN_BIGRAM_SEED = hashSeed(0x70);
const TAG_SEED = hashSeed(0x74);
const TAG_BIGRAM_SEED = hashSeed(0x54);
const BOUNDARY = 0x2;
/** Longer messages add little beyond their first few hundred characters and would cost time. */
const MAX_CHARS = 256;

function tag(family: number, h: number): number {
  return ((family << 30) | (h >>> 2)) >>> 0;
}

const FNV_PRIME = 0x01000193;

function isAsciiAlnum(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a);
}

function foldDigit(code: number): number {
  return code >= 0x30 && code <= 0x39 ? 0x30 : code;
}

const scratch = { codes: new Uint16Array(MAX_CHARS + 2), raw: new Uint32Array(4096) };

export interface Featuriser {
  readonly options: Readonly<FeaturiserOptions>;
  /** Fill `bag` with the features of one message; returns the bag for chaining. */
  extract(
    normalisedText: string,
    words: readonly string[],
    bag: FeatureBag,
    tags?: readonly string[],
  ): FeatureBag;
  /**
   * The same keys as `extract`, unsorted and with repeats (one per occurrence), in a shared scratch
   * array valid until the next call. Classification uses this: it skips the sort `extract` needs.
   */
  hashes(normalisedText: string, words: readonly string[], tags?: readonly string[]): Uint32Array;
  /**
   * `hashes` for words given as spans of the text, written to `hashBuffer()`; returns how many. No
   * word strings and no array view are built: this is the classification hot path.
   */
  hashSpans(normalisedText: string, spans: WordSpans): number;
  /** The scratch array `hashSpans` writes to (replaced when it grows). */
  hashBuffer(): Uint32Array;
  /**
   * `hashSpans` of printable-ASCII text whose words are the tokeniser's default ASCII words (no user
   * words), in one pass with no spans: what English messages take. −1, with nothing written, when the
   * text has any other character, is over `MAX_CHARS` long, or the options are not the defaults.
   */
  hashAscii(normalisedText: string): number;
}

/**
 * A class, not a closure per featuriser: a process holding many models then runs one `collect`
 * function, whose type feedback and inlining every model shares (see `TrieDictionary`).
 */
class HashingFeaturiser implements Featuriser {
  readonly options: Readonly<FeaturiserOptions>;
  private readonly latinTrigramsOnly: boolean;

  constructor(options: FeaturiserOptions) {
    this.options = options;
    const { charMin, charMax, latinCharMin, crossWordCharGrams } = options;
    this.latinTrigramsOnly = charMin <= 3 && charMax === 3 && latinCharMin === 3 && !crossWordCharGrams;
  }

  hashes(text: string, words: readonly string[], tags?: readonly string[]): Uint32Array {
    const n = this.collect(text, words, null, tags);
    return scratch.raw.subarray(0, n);
  }

  hashSpans(text: string, spans: WordSpans): number {
    return this.collect(text, null, spans, undefined);
  }

  hashBuffer(): Uint32Array {
    return scratch.raw;
  }

  hashAscii(text: string): number {
    const len = text.length;
    if (!this.latinTrigramsOnly || len > MAX_CHARS) return -1;
    for (let i = 0; i < len; i++) {
      const code = text.charCodeAt(i);
      if (code < 0x20 || code > 0x7e) return -1;
    }
    let raw = scratch.raw;
    // At most one trigram per character, and a word plus a bigram per two characters, plus the end.
    const needed = len * 3 + 8;
    if (raw.length < needed) {
      raw = new Uint32Array(needed * 2);
      scratch.raw = raw;
    }
    let n = 0;
    // Character trigrams with boundary marks, digits folded, none centred on a space (see `collect`).
    if (len > 0) {
      let a = BOUNDARY;
      let b = foldDigit(text.charCodeAt(0));
      for (let i = 1; i <= len; i++) {
        const c = i < len ? foldDigit(text.charCodeAt(i)) : BOUNDARY;
        if (b !== 0x20) {
          let h = Math.imul(CHAR_SEED ^ a, FNV_PRIME) >>> 0;
          h = Math.imul(h ^ b, FNV_PRIME) >>> 0;
          h = Math.imul(h ^ c, FNV_PRIME) >>> 0;
          raw[n++] = h >>> 2;
        }
        a = b;
        b = c;
      }
    }
    // Words as `tokeniseAscii` cuts them (alphanumeric runs joined by single inner apostrophes or
    // dots), hashed as they are scanned.
    const bigrams = this.options.wordBigrams;
    let previous = BOUNDARY;
    let words = 0;
    let i = 0;
    while (i < len) {
      if (!isAsciiAlnum(text.charCodeAt(i))) {
        i++;
        continue;
      }
      let h = WORD_SEED;
      for (;;) {
        for (; i < len; i++) {
          const code = text.charCodeAt(i);
          if (!isAsciiAlnum(code)) break;
          h = Math.imul(h ^ foldDigit(code), FNV_PRIME) >>> 0;
        }
        const joiner = text.charCodeAt(i);
        if (i + 1 < len && (joiner === 0x27 || joiner === 0x2e) && isAsciiAlnum(text.charCodeAt(i + 1))) {
          h = Math.imul(h ^ joiner, FNV_PRIME) >>> 0;
          i++;
        } else break;
      }
      raw[n++] = tag(FAMILY_WORD, h);
      if (bigrams) raw[n++] = tag(FAMILY_WORD, hashPair(BIGRAM_SEED, previous, h));
      previous = h;
      words++;
    }
    if (bigrams && words > 0) raw[n++] = tag(FAMILY_WORD, hashPair(BIGRAM_SEED, previous, BOUNDARY));
    return n;
  }

  extract(text: string, words: readonly string[], bag: FeatureBag, tags?: readonly string[]): FeatureBag {
    const n = this.collect(text, words, null, tags);
    const sorted = scratch.raw.subarray(0, n).sort();
    if (bag.keys.length < n) {
      bag.keys = new Uint32Array(n * 2);
      bag.counts = new Float32Array(n * 2);
    }
    let m = 0;
    for (let i = 0; i < n; i++) {
      const key = sorted[i]!;
      if (m > 0 && bag.keys[m - 1] === key) bag.counts[m - 1]! += 1;
      else {
        bag.keys[m] = key;
        bag.counts[m] = 1;
        m++;
      }
    }
    bag.length = m;
    return bag;
  }

  private collect(
    text: string,
    words: readonly string[] | null,
    spans: WordSpans | null,
    tags: readonly string[] | undefined,
  ): number {
    const opts = this.options;
    // Plain locals: the n-gram loop below reads them for every character.
    const { charMin, charMax, latinCharMin, crossWordCharGrams, hanCharMax, pinyinBigrams } = opts;
    const latinTrigramsOnly = this.latinTrigramsOnly;
    let raw = scratch.raw;
    const wordCount = spans === null ? (words?.length ?? 0) : spans.length;
    const needed = (Math.min(text.length, MAX_CHARS) + 2) * (charMax + 2) + wordCount * 6 + 8;
    if (raw.length < needed) {
      raw = new Uint32Array(needed * 2);
      scratch.raw = raw;
    }
    let n = 0;

    // Character n-grams over the whole message with boundary marks, digits folded to 0.
    const codes = scratch.codes;
    const len = Math.min(text.length, MAX_CHARS);
    codes[0] = BOUNDARY;
    let anyHan = false;
    for (let i = 0; i < len; i++) {
      const code = text.charCodeAt(i);
      if (code >= 0x3400) anyHan = true;
      codes[i + 1] = foldDigit(code);
    }
    codes[len + 1] = BOUNDARY;
    const total = len + 2;
    if (!anyHan && latinTrigramsOnly) {
      // What the general loop below yields for text without Han characters under the default
      // options (Latin trigrams only, none spanning a space), without its per-size branches.
      for (let start = 0; len > 0 && start + 3 <= total; start++) {
        const middle = codes[start + 1]!;
        if (middle === 0x20) continue;
        let h = Math.imul(CHAR_SEED ^ codes[start]!, FNV_PRIME) >>> 0;
        h = Math.imul(h ^ middle, FNV_PRIME) >>> 0;
        h = Math.imul(h ^ codes[start + 2]!, FNV_PRIME) >>> 0;
        raw[n++] = h >>> 2;
      }
    }
    for (let start = 0; start < (len === 0 || (!anyHan && latinTrigramsOnly) ? 0 : total); start++) {
      let h = CHAR_SEED;
      let han = false;
      let interiorSpace = false;
      for (let size = 1; size <= charMax && start + size <= total; size++) {
        const code = codes[start + size - 1]!;
        // FNV-1a step written out: this loop runs for every character of every message.
        h = Math.imul(h ^ code, FNV_PRIME) >>> 0;
        if (code >= 0x3400) han = true;
        // A space strictly inside the n-gram ("y c") spans two words.
        if (size >= 3 && codes[start + size - 2] === 0x20) interiorSpace = true;
        if (size < charMin) continue;
        // Latin letters and digits alone say nothing; Han characters alone often do.
        if (!han && (size === 1 || size < latinCharMin)) continue;
        if (!crossWordCharGrams && interiorSpace) continue;
        if (han && size > hanCharMax) continue;
        raw[n++] = h >>> 2; // tag(FAMILY_CHAR, h): the char family is 0.
      }
    }

    // Word unigrams and bigrams, with sentence boundaries as pseudo-words.
    let previous = BOUNDARY;
    for (let w = 0; w < wordCount; w++) {
      let h = WORD_SEED;
      if (spans !== null) {
        const end = spans.ends[w]!;
        for (let i = spans.starts[w]!; i < end; i++)
          h = Math.imul(h ^ foldDigit(text.charCodeAt(i)), FNV_PRIME) >>> 0;
      } else {
        const word = words![w]!;
        for (let i = 0; i < word.length; i++)
          h = Math.imul(h ^ foldDigit(word.charCodeAt(i)), FNV_PRIME) >>> 0;
      }
      raw[n++] = tag(FAMILY_WORD, h);
      if (opts.wordBigrams) raw[n++] = tag(FAMILY_WORD, hashPair(BIGRAM_SEED, previous, h));
      previous = h;
    }
    if (opts.wordBigrams && wordCount > 0)
      raw[n++] = tag(FAMILY_WORD, hashPair(BIGRAM_SEED, previous, BOUNDARY));

    // Pinyin syllables and syllable bigrams inside runs of Han characters.
    // (Only Han characters have pinyin: English messages skip the per-character lookups.)
    if (opts.pinyin && anyHan) {
      let prev = 0;
      for (let i = 0; i < len; i++) {
        const s = syllableHash(text.charCodeAt(i));
        if (s === 0) {
          prev = 0;
          continue;
        }
        raw[n++] = tag(FAMILY_PINYIN, s);
        if (prev !== 0 && pinyinBigrams) raw[n++] = tag(FAMILY_PINYIN, hashPair(PINYIN_BIGRAM_SEED, prev, s));
        prev = s;
      }
    }

    // Part-of-speech tags: jieba's dictionary knows places, people and organisations.
    if (opts.tags && tags) {
      let prevTag = BOUNDARY;
      for (const t of tags) {
        const h = hashString(TAG_SEED, t);
        raw[n++] = tag(FAMILY_TAG, h);
        raw[n++] = tag(FAMILY_TAG, hashPair(TAG_BIGRAM_SEED, prevTag, h));
        prevTag = h;
      }
      if (tags.length > 0) raw[n++] = tag(FAMILY_TAG, hashPair(TAG_BIGRAM_SEED, prevTag, BOUNDARY));
    }
    return n;
  }
}

export function createFeaturiser(options: Partial<FeaturiserOptions> = {}): Featuriser {
  return new HashingFeaturiser({ ...DEFAULT_FEATURISER_OPTIONS, ...options });
}
