// Text → what topic mining counts: content words (Latin words stemmed), phrases of 2–3 content words
// that stand together in one clause, and the Chinese character bigrams and characters of the content
// (segmentation may cut 没到货 and 到货 differently; their bigrams still meet, and 没货/断货 share a
// character). Words a shop's customers use for one thing fold into one first (synonyms.ts: 快递小哥 and
// 派送员 are both 快递员). Stop words are the NLU's plus the filler of customer-service messages
// (greetings, question frames, "still", "already") and counts of days or items (十天, 两件, 周五), which
// say nothing about a topic.
import { buildSynonyms, EN_STOPWORDS, foldSynonyms, stem, ZH_STOPWORDS } from '../faq/features.ts';
import { normalise } from '../normalise/index.ts';
import { createTokeniser, type Tokeniser } from '../tokenise/index.ts';
import { SERVICE_SYNONYMS_ZH } from './synonyms.ts';

export interface MessageTerms {
  /** Content words, in order; Latin words as stems. */
  words: string[];
  /** 2–3 content words in a row (at most one stop word between two of them), words joined by a space. */
  phrases: string[];
  /** Han character bigrams over the clause's content words. */
  bigrams: string[];
  /** Han characters of the clause's content words. */
  chars: string[];
}

export interface TermExtractor {
  terms(text: string): MessageTerms;
  /** How a word or phrase is shown: each stem as its most frequent surface form, Han words run together. */
  display(term: string): string;
}

const TOPIC_STOPWORDS_ZH =
  '你好 您好 在吗 谢谢 谢了 感谢 客服 请问 麻烦 帮 帮忙 帮我 一下 怎么 怎么办 怎么回事 怎么样 怎样 如何 什么 为什么 什么时候 时候 多久 ' +
  '能不能 可不可以 可以 能否 是否 是不是 有没有 已经 一直 还是 还 又 再 到底 现在 今天 昨天 明天 然后 但是 可是 因为 所以 结果 如果 ' +
  '就是 而且 自己 这样 那样 这么 那么 太 很 非常 真的 挺 都 吗 呢 了 吧 啊 呀 么 嘛 哦 喔 哈 哈哈 嗯 个 些 次 能 会 需要 应该 没有 ' +
  '不 没 一 两 一个 里 上 中 说 看 着 过 得 地 把 被 给 让 还有 或者 以及 还要 之后 以后 的话 这种 那种 哪里 那里 这里 东西 问题 ' +
  '情况 一点 有点 好像 感觉 觉得 知道 告诉 一下子 亲 老板 店家 掌柜 ' +
  // Colloquial question frames, units of time, and the two verbs every problem has (ordered, handled).
  '啥时候 咋 咋办 咋回事 咋样 为啥 干啥 几时 哪儿 回事 多少 工作日 星期 礼拜 小时 分钟 处理 下单';
const TOPIC_STOPWORDS_EN =
  'still yet again now already ago since after before even ever never anymore one two help why when where how what ' +
  "can't cannot won't don't doesn't didn't isn't aren't wasn't haven't hasn't hadn't couldn't shouldn't wouldn't " +
  'not no yes ok okay hi hello thanks thank sorry go going went come came make made say said see look day days ' +
  "week weeks time times way lot much many more most every some any all it's that's there's here's i'm you're " +
  'dont cant wont im ive thats';

const STOP = new Set<string>([
  ...ZH_STOPWORDS,
  ...EN_STOPWORDS,
  ...TOPIC_STOPWORDS_ZH.split(' '),
  ...TOPIC_STOPWORDS_EN.split(/\s+/),
]);

const HAN = /\p{Script=Han}/u;
const HAN_ONLY = /^\p{Script=Han}+$/u;
const HAS_DIGIT = /\p{N}/u;
/** A count of days, weeks, items…: says how long or how many, not what about (一周, 十天, 两件, 一个多). */
const COUNT =
  /^[零〇一二两三四五六七八九十百千几多半好]+个?多?(?:天|日|周|星期|礼拜|月|年|小时|钟头|分钟|号|点|次|件|个|盒)?$/u;
/** A day of the week (周五, 星期六): when, not what. */
const WEEKDAY = /^(?:周|星期|礼拜)[一二三四五六日天末]$/u;
const CLAUSE = /[,.!?;:，。！？；：、\n\r\t~～…()（）[\]【】"“”]+/u;

export interface TermExtractorOptions {
  /** Shop words kept whole (product names, brand terms). */
  userWords?: readonly string[];
  /** Groups of words that mean the same to this shop (first word canonical), on top of the built-in ones. */
  synonyms?: readonly (readonly string[])[];
  tokeniser?: Tokeniser;
}

export function createTermExtractor(options: TermExtractorOptions = {}): TermExtractor {
  const tokeniser = options.tokeniser ?? createTokeniser({ userWords: options.userWords ?? [] });
  const synonyms = buildSynonyms([...SERVICE_SYNONYMS_ZH, ...(options.synonyms ?? [])], tokeniser);
  // Folded to the canonical word itself (not retrieval's `syn:` key), so its characters and bigrams count too.
  for (const [key, canonical] of synonyms.map) synonyms.map.set(key, canonical.slice('syn:'.length));
  // stem → surface form → count, so "refund" shows as refund even though refunds/refunded fold into it.
  const surfaces = new Map<string, Map<string, number>>();
  const seen = (key: string, surface: string) => {
    let forms = surfaces.get(key);
    if (!forms) {
      forms = new Map();
      surfaces.set(key, forms);
    }
    forms.set(surface, (forms.get(surface) ?? 0) + 1);
  };
  const shown = (word: string): string => {
    const forms = surfaces.get(word);
    if (!forms) return word;
    let best = word;
    let most = 0;
    for (const [form, n] of forms) if (n > most || (n === most && form < best)) [best, most] = [form, n];
    return best;
  };

  return {
    terms(text) {
      const out: MessageTerms = { words: [], phrases: [], bigrams: [], chars: [] };
      for (const clause of normalise(text).split(CLAUSE)) {
        if (clause.trim() === '') continue;
        // Content words with the position they had among all the clause's words (for adjacency).
        const content: { word: string; at: number }[] = [];
        foldSynonyms(tokeniser.words(clause), synonyms).forEach((raw, at) => {
          if (STOP.has(raw) || HAS_DIGIT.test(raw) || COUNT.test(raw) || WEEKDAY.test(raw)) return;
          const han = HAN.test(raw);
          const word = han ? raw : stem(raw);
          if (word.length < 2 && !han) return;
          if (STOP.has(word)) return;
          if (!han) seen(word, raw);
          content.push({ word, at });
        });
        for (const c of content) out.words.push(c.word);
        for (let i = 0; i + 1 < content.length; i++) {
          const a = content[i]!;
          const b = content[i + 1]!;
          if (b.at - a.at > 2) continue;
          out.phrases.push(`${a.word} ${b.word}`);
          const c = content[i + 2];
          if (c && c.at - b.at <= 2) out.phrases.push(`${a.word} ${b.word} ${c.word}`);
        }
        const hanText = content
          .map((c) => c.word)
          .filter((w) => HAN_ONLY.test(w))
          .join('');
        for (let i = 0; i + 1 < hanText.length; i++) out.bigrams.push(hanText.slice(i, i + 2));
        for (const ch of hanText) out.chars.push(ch);
      }
      return out;
    },
    display(term) {
      const words = term.split(' ');
      let label = shown(words[0]!);
      for (let i = 1; i < words.length; i++) {
        const next = shown(words[i]!);
        // Chinese runs together; anything next to a Latin word keeps a space.
        label += HAN_ONLY.test(words[i - 1]!) && HAN_ONLY.test(words[i]!) ? next : ` ${next}`;
      }
      return label;
    },
  };
}
