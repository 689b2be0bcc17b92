// Word tokeniser over normalised text: jieba for Chinese runs, lower-case words/numbers for Latin runs.
import { createRequire } from 'node:module';
import type { Jieba } from '@node-rs/jieba';
import { normalise } from '../normalise/index.ts';
import { createWordSpans, pushSpan, type WordDictionary, type WordSpans } from './dictionary.ts';

export { createWordDictionary, createWordSpans, type WordDictionary, type WordSpans } from './dictionary.ts';

export interface TaggedWords {
  words: string[];
  /** jieba part-of-speech tags (ns place, nr person, n noun…); `eng` for Latin words, `m` numbers. */
  tags: string[];
}

export interface Tokeniser {
  words(normalisedText: string): string[];
  /**
   * The same words as `words`, as offsets into the text written to `out` (cleared first): the
   * classification path hashes them in place instead of building a string per word.
   */
  spans(normalisedText: string, out: WordSpans): WordSpans;
  /** Words with part-of-speech tags, segmented exactly like `words` (user words are tagged `nz`). */
  tagged(normalisedText: string): TaggedWords;
  /**
   * True when printable-ASCII text is cut by the default ASCII rules alone (no user words), so that
   * `Featuriser.hashAscii` may stand in for `spans` + `hashSpans`.
   */
  readonly plainAscii: boolean;
}

export interface TokeniserOptions {
  /** Per-workspace dictionary (product names, brand terms); each is kept as one token. */
  userWords?: readonly string[];
  /**
   * Segment Han runs with these words (most probable path by word counts) instead of jieba, which
   * then is never loaded. Intent models pass the words jieba found in their training examples: no
   * other word could match a word feature, and the JS trie is several times cheaper than the native call.
   * `tagged` still uses jieba (a dictionary has no part-of-speech tags).
   */
  dictionary?: WordDictionary;
}

// @node-rs/jieba is CommonJS with a native binding; createRequire keeps that explicit under ESM.
const require = createRequire(import.meta.url);

/**
 * One jieba instance per process, never mutated after creation. Loading the default dictionary
 * costs ~200 ms and ~40 MB RSS per instance (measured), so workspaces share it and their own
 * dictionaries are applied on top by `createTokeniser` instead of `loadDict` on a private copy.
 */
let sharedJieba: Jieba | undefined;
function defaultJieba(): Jieba {
  if (!sharedJieba) {
    const { Jieba: JiebaClass } = require('@node-rs/jieba') as typeof import('@node-rs/jieba');
    const { dict } = require('@node-rs/jieba/dict.js') as { dict: Uint8Array };
    sharedJieba = JiebaClass.withDict(dict);
  }
  return sharedJieba;
}

// Runs of Han characters, Latin words (with inner apostrophes/dots such as don't, 3.5), numbers, emoji.
const LETTER = String.raw`(?:(?!\p{Script=Han})[\p{L}\p{N}])`;
const RUN = new RegExp(
  String.raw`[\u3400-\u9fff\uf900-\ufaff]+|${LETTER}+(?:['.]${LETTER}+)*|\p{Extended_Pictographic}`,
  'gu',
);
const WORDISH = /[\p{L}\p{N}\p{Extended_Pictographic}]/u;

/**
 * Where segmentation writes: words as spans of the text being segmented; `tags` is null when the
 * caller only wants words (cheaper jieba call).
 */
interface Sink {
  spans: WordSpans;
  tags: string[] | null;
}

/** Spans of `words`, which jieba cut from text[start, end) in order. */
function pushWords(text: string, start: number, words: readonly string[], sink: Sink): void {
  let at = start;
  for (const w of words) {
    const found = text.startsWith(w, at) ? at : text.indexOf(w, at);
    if (found < 0) continue;
    pushSpan(sink.spans, found, found + w.length);
    at = found + w.length;
  }
}

/** Where Han runs go: jieba, loaded on first use, or a word dictionary. */
interface HanSegmenter {
  jieba: () => Jieba;
  dictionary: WordDictionary | undefined;
}

function cutHan(segmenter: HanSegmenter, text: string, start: number, end: number, sink: Sink): void {
  const dictionary = segmenter.dictionary;
  if (sink.tags === null && dictionary !== undefined) {
    dictionary.segment(text, start, end, sink.spans);
    return;
  }
  if (sink.tags === null && end - start === 1) {
    pushSpan(sink.spans, start, end);
    return;
  }
  const run = text.slice(start, end);
  const jieba = segmenter.jieba();
  if (sink.tags === null) {
    // A run of Han characters only ever yields Han words, so no filtering is needed.
    pushWords(text, start, jieba.cut(run, true), sink);
    return;
  }
  let at = start;
  for (const { word, tag } of jieba.tag(run, true)) {
    const found = text.indexOf(word, at);
    if (found < 0) continue;
    at = found + word.length;
    if (!WORDISH.test(word)) continue;
    pushSpan(sink.spans, found, at);
    sink.tags.push(tag);
  }
}

function isAsciiAlnum(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a);
}

/**
 * `RUN` by hand for printable ASCII (most English traffic): alphanumeric runs joined by single inner
 * apostrophes or dots. Returns false, having written nothing, when the text has anything else.
 */
function tokeniseAscii(text: string, start: number, end: number, sink: Sink): boolean {
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code > 0x7e) return false;
  }
  let i = start;
  while (i < end) {
    if (!isAsciiAlnum(text.charCodeAt(i))) {
      i++;
      continue;
    }
    const wordStart = i;
    for (;;) {
      while (i < end && isAsciiAlnum(text.charCodeAt(i))) i++;
      const joiner = text.charCodeAt(i);
      if (i + 1 < end && (joiner === 0x27 || joiner === 0x2e) && isAsciiAlnum(text.charCodeAt(i + 1))) i++;
      else break;
    }
    pushSpan(sink.spans, wordStart, i);
    sink.tags?.push(DIGITS.test(text.slice(wordStart, i)) ? 'm' : 'eng');
  }
  return true;
}

const DIGITS = /^[\p{N}.]+$/u;
function tokeniseOther(text: string, start: number, end: number, sink: Sink): void {
  if (tokeniseAscii(text, start, end, sink)) return;
  const part = start !== 0 || end !== text.length ? text.slice(start, end) : text;
  for (const m of part.matchAll(RUN)) {
    const run = m[0];
    pushSpan(sink.spans, start + m.index, start + m.index + run.length);
    sink.tags?.push(DIGITS.test(run) ? 'm' : /\p{Extended_Pictographic}/u.test(run) ? 'x' : 'eng');
  }
}

function isHan(code: number): boolean {
  return (code >= 0x3400 && code <= 0x9fff) || (code >= 0xf900 && code <= 0xfaff);
}

/**
 * Han runs go to jieba; the rest through the `RUN` pattern. Scanning char codes by hand keeps the
 * Unicode-property regex off the Chinese text, which is most of it (2.4 → ~0.3 µs per message).
 */
function tokeniseRuns(segmenter: HanSegmenter, text: string, from: number, n: number, sink: Sink): void {
  let otherStart = from;
  let i = from;
  while (i < n) {
    if (!isHan(text.charCodeAt(i))) {
      i++;
      continue;
    }
    if (otherStart < i) tokeniseOther(text, otherStart, i, sink);
    let j = i + 1;
    while (j < n && isHan(text.charCodeAt(j))) j++;
    cutHan(segmenter, text, i, j, sink);
    i = j;
    otherStart = j;
  }
  if (otherStart < n) tokeniseOther(text, otherStart, n, sink);
}

interface UserDictionary {
  /** First character → user words starting with it, longest first. */
  byFirstChar: Map<string, string[]>;
}

function buildUserDictionary(userWords: readonly string[]): UserDictionary {
  const byFirstChar = new Map<string, string[]>();
  for (const raw of userWords) {
    const word = normalise(raw);
    const first = word[0];
    if (first === undefined) continue;
    const list = byFirstChar.get(first) ?? [];
    if (!list.includes(word)) list.push(word);
    byFirstChar.set(first, list);
  }
  for (const list of byFirstChar.values()) list.sort((a, b) => b.length - a.length);
  return { byFirstChar };
}

const LATIN_OR_DIGIT = /[\p{Script=Latin}\p{N}]/u;
/** A user word inside Latin text must not start or end mid-word ("pro" must not match in "product"). */
function atBoundary(text: string, start: number, end: number, word: string): boolean {
  const before = text[start - 1];
  const after = text[end];
  if (LATIN_OR_DIGIT.test(word[0] ?? '') && before !== undefined && LATIN_OR_DIGIT.test(before)) return false;
  if (LATIN_OR_DIGIT.test(word[word.length - 1] ?? '') && after !== undefined && LATIN_OR_DIGIT.test(after))
    return false;
  return true;
}

function wordsOf(text: string, spans: WordSpans): string[] {
  const words: string[] = [];
  for (let i = 0; i < spans.length; i++) words.push(text.slice(spans.starts[i], spans.ends[i]));
  return words;
}

/**
 * A class rather than closures per tokeniser, so that a process holding many models runs one
 * `spans` function, whose call sites V8 can keep monomorphic and inline (see `TrieDictionary`).
 */
class DefaultTokeniser implements Tokeniser {
  private readonly segmenter: HanSegmenter;
  private readonly byFirstChar: Map<string, string[]>;
  /** The sink `spans` writes through, reused: classification allocates nothing here. */
  private readonly spanSink: Sink = { spans: createWordSpans(), tags: null };

  readonly plainAscii: boolean;

  constructor(options: TokeniserOptions) {
    this.segmenter = { jieba: defaultJieba, dictionary: options.dictionary };
    this.byFirstChar = buildUserDictionary(options.userWords ?? []).byFirstChar;
    this.plainAscii = this.byFirstChar.size === 0;
  }

  words(text: string): string[] {
    const sink: Sink = { spans: createWordSpans(), tags: null };
    this.segment(text, sink);
    return wordsOf(text, sink.spans);
  }

  spans(text: string, out: WordSpans): WordSpans {
    out.length = 0;
    const sink = this.spanSink;
    sink.spans = out;
    this.segment(text, sink);
    return out;
  }

  tagged(text: string): TaggedWords {
    const sink = { spans: createWordSpans(), tags: [] as string[] };
    this.segment(text, sink);
    return { words: wordsOf(text, sink.spans), tags: sink.tags };
  }

  private segment(text: string, sink: Sink): void {
    const { segmenter, byFirstChar } = this;
    if (byFirstChar.size === 0) {
      tokeniseRuns(segmenter, text, 0, text.length, sink);
      return;
    }
    let segmentStart = 0;
    let i = 0;
    while (i < text.length) {
      const candidates = byFirstChar.get(text[i] ?? '');
      let matched: string | undefined;
      if (candidates) {
        for (const word of candidates) {
          if (text.startsWith(word, i) && atBoundary(text, i, i + word.length, word)) {
            matched = word;
            break;
          }
        }
      }
      if (matched === undefined) {
        i++;
        continue;
      }
      if (segmentStart < i) tokeniseRuns(segmenter, text, segmentStart, i, sink);
      pushSpan(sink.spans, i, i + matched.length);
      sink.tags?.push('nz');
      i += matched.length;
      segmentStart = i;
    }
    if (segmentStart < text.length) tokeniseRuns(segmenter, text, segmentStart, text.length, sink);
  }
}

/**
 * Create a tokeniser. `userWords` are normalised with `normalise()` and matched greedily (longest
 * first) before jieba sees the text, so they always survive as single tokens.
 */
export function createTokeniser(options: TokeniserOptions = {}): Tokeniser {
  return new DefaultTokeniser(options);
}
