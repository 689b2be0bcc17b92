// Text → retrieval terms: jieba words with synonyms folded to one canonical word, Chinese character
// bigrams, pinyin bigrams (homophone typos: 退宽 ≈ 退款) and English character trigrams (refnd ≈ refund).
import { pinyin } from 'pinyin-pro';
import { normalise } from '../normalise/index.ts';
import type { Tokeniser } from '../tokenise/index.ts';

export interface Terms {
  words: string[];
  chars: string[];
  bigrams: string[];
  pinyin: string[];
  trigrams: string[];
}

export const ZH_STOPWORDS: ReadonlySet<string> = new Set(
  '的 了 吗 呢 啊 吧 呀 哦 喔 哈 嘛 么 啦 哇 嗯 亲 我 你 您 他 她 它 我们 你们 我的 你的 是 在 就 都 也 还 和 跟 请问 请 问 一下 这个 那个 这 那 个 一 有 没 想 要 给 把 被 让 下 吧 好 对 呀 哪 啥'.split(
    ' ',
  ),
);
export const EN_STOPWORDS: ReadonlySet<string> = new Set(
  `a an the i me my mine you your yours we our us it its is are was were be been am do does did to of in on at
  for with from by and or but so if that this these those there here have has had can could would will should
  please hi hello hey thanks thank just any some get got im i'm it's what which who whom as about into than
  too very really also u ur pls guys want need would like know tell let i'd i'll ive i've`.split(/\s+/),
);

const HAN = /\p{Script=Han}/u;

/** Light English stemming: enough to fold refunds/refunded/refunding, not a full Porter stemmer. */
export function stem(word: string): string {
  let w = word.replace(/'s$/, '');
  if (w.length > 4 && w.endsWith('ies')) return `${w.slice(0, -3)}y`;
  if (w.length > 5 && w.endsWith('ing')) w = w.slice(0, -3);
  else if (w.length > 4 && w.endsWith('ed')) w = w.slice(0, -2);
  else if (w.length > 3 && /(?:sh|ch|x|ss)es$/.test(w)) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss')) w = w.slice(0, -1);
  // shipped → shipp → ship; arrive/arrived → arriv.
  if (/([bdgmnpt])\1$/.test(w)) w = w.slice(0, -1);
  if (w.length > 4 && w.endsWith('e')) w = w.slice(0, -1);
  return w;
}

export interface SynonymTable {
  /** Token sequence (joined by a space) → canonical word. */
  map: Map<string, string>;
  /** Longest synonym, in tokens. */
  maxTokens: number;
}

export function buildSynonyms(groups: readonly (readonly string[])[], tokeniser: Tokeniser): SynonymTable {
  const map = new Map<string, string>();
  let maxTokens = 1;
  for (const group of groups) {
    const canonical = group[0];
    if (canonical === undefined) continue;
    const canonicalKey = `syn:${canonicalise(normalise(canonical), tokeniser).join('')}`;
    for (const member of group) {
      const tokens = canonicalise(normalise(member), tokeniser);
      if (tokens.length === 0) continue;
      maxTokens = Math.max(maxTokens, tokens.length);
      map.set(tokens.join(' '), canonicalKey);
    }
  }
  return { map, maxTokens };
}

function canonicalise(text: string, tokeniser: Tokeniser): string[] {
  return tokeniser.words(text).map((w) => (HAN.test(w) ? w : stem(w)));
}

/** Replaces the longest synonym n-gram at each position by its group's canonical word. */
export function foldSynonyms(tokens: readonly string[], synonyms: SynonymTable): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < tokens.length) {
    let replaced = false;
    for (let len = Math.min(synonyms.maxTokens, tokens.length - i); len >= 1; len--) {
      const canonical = synonyms.map.get(tokens.slice(i, i + len).join(' '));
      if (canonical) {
        out.push(canonical);
        i += len;
        replaced = true;
        break;
      }
    }
    if (!replaced) out.push(tokens[i++]!);
  }
  return out;
}

/** Characters that carry no meaning alone (particles, pronouns, measure words). */
const STOP_CHARS = new Set([
  ...'的了吗呢啊吧呀哦嘛么啦我你您他她它们是在就都也还和跟请问一下这那个有没要想给把被让能可以会不怎么什么吧好',
]);

function hanChars(text: string): string[] {
  return [...text].filter((c) => HAN.test(c) && !STOP_CHARS.has(c));
}

function hanBigrams(text: string): string[] {
  const out: string[] = [];
  for (const run of text.match(/\p{Script=Han}+/gu) ?? []) {
    const chars = [...run];
    if (chars.length === 1) out.push(chars[0]!);
    for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
  }
  return out;
}

function pinyinBigrams(text: string): string[] {
  const out: string[] = [];
  for (const run of text.match(/\p{Script=Han}+/gu) ?? []) {
    const syllables = pinyin(run, { toneType: 'none', type: 'array' });
    for (let i = 0; i + 1 < syllables.length; i++) out.push(`${syllables[i]}_${syllables[i + 1]}`);
  }
  return out;
}

function latinTrigrams(words: readonly string[]): string[] {
  const out: string[] = [];
  for (const w of words) {
    if (HAN.test(w) || w.length < 4 || w.startsWith('syn:')) continue;
    const padded = `^${w}$`;
    for (let i = 0; i + 3 <= padded.length; i++) out.push(padded.slice(i, i + 3));
  }
  return out;
}

export function extractTerms(raw: string, tokeniser: Tokeniser, synonyms: SynonymTable): Terms {
  const text = normalise(raw);
  const tokens = canonicalise(text, tokeniser);
  const folded = foldSynonyms(tokens, synonyms);
  const words = folded.filter((w) => !ZH_STOPWORDS.has(w) && !EN_STOPWORDS.has(w) && /[\p{L}\p{N}]/u.test(w));
  // Bigrams are taken over the folded text so "退钱" and "退款" share them too; stopwords are dropped
  // first so "的快递" does not make a bigram of its own.
  const hanText = folded
    .filter((w) => !ZH_STOPWORDS.has(w))
    .map((w) => (w.startsWith('syn:') ? w.slice(4) : w))
    .join('');
  const rawWords = tokens.filter((w) => !HAN.test(w) && !EN_STOPWORDS.has(w));
  return {
    words,
    chars: hanChars(hanText),
    bigrams: hanBigrams(hanText),
    pinyin: pinyinBigrams(hanText),
    trigrams: latinTrigrams(rawWords),
  };
}
