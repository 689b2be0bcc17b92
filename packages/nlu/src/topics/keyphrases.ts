// Key phrases of a group of messages against the rest of the period, by class-based TF-IDF: a term
// weighs what share of the group's messages use it times log(1 + A / df), where df counts the period's
// messages using it and A is the average topic size. A word every message of the period uses ("订单",
// "order") weighs little in every topic; one used by most of a topic and rarely elsewhere labels it.
import type { MessageTerms } from './terms.ts';

export interface KeyPhrase {
  /** As shown: "快递太慢", "refund status". */
  phrase: string;
  /** Words joined by a space (stems for Latin words): the key to compare phrases by. */
  term: string;
  /** Messages of the group that use it. */
  count: number;
  score: number;
}

export interface KeyPhraseOptions {
  /** Phrases per group. */
  limit?: number;
  /** How a term is shown (the term extractor's `display`). */
  display?: (term: string) => string;
}

/** Distinct words and phrases of one message (each counts once per message). */
const termsOf = (m: MessageTerms): Set<string> => new Set([...m.words, ...m.phrases]);

const SINGLE_HAN = /^\p{Script=Han}$/u;

const contains = (longer: string, shorter: string): boolean =>
  ` ${longer} `.includes(` ${shorter} `) && longer !== shorter;

/**
 * Key phrases of each group (`groupOf[i]` is message i's group, -1 for none; groups 0…k-1). Messages in
 * no group still count in the period's document frequencies: "the rest of the period" includes them.
 */
export function groupKeyPhrases(
  messages: readonly MessageTerms[],
  groupOf: ArrayLike<number>,
  groups: number,
  options: KeyPhraseOptions = {},
): KeyPhrase[][] {
  const limit = options.limit ?? 5;
  const display = options.display ?? ((t: string) => t);
  const df = new Map<string, number>();
  const perGroup: Map<string, number>[] = Array.from({ length: groups }, () => new Map());
  const sizes = new Array<number>(groups).fill(0);
  messages.forEach((m, i) => {
    const g = groupOf[i]!;
    if (g >= 0) sizes[g]! += 1;
    for (const term of termsOf(m)) {
      df.set(term, (df.get(term) ?? 0) + 1);
      if (g >= 0) perGroup[g]!.set(term, (perGroup[g]!.get(term) ?? 0) + 1);
    }
  });
  const clustered = sizes.reduce((a, b) => a + b, 0);
  const average = groups === 0 ? 1 : Math.max(1, clustered / groups);
  return perGroup.map((counts, g) => {
    const size = sizes[g]!;
    const floor = Math.max(2, Math.ceil(size * 0.08));
    const candidates = [...counts]
      // A lone Chinese character (开, 小) is too vague to name a topic, however often it occurs.
      .filter(([term, n]) => n >= Math.min(floor, size) && !SINGLE_HAN.test(term))
      .map(([term, n]) => ({ term, count: n, score: (n / size) * Math.log(1 + average / df.get(term)!) }))
      .sort((a, b) => b.score - a.score || b.count - a.count || (a.term < b.term ? -1 : 1));
    const chosen: typeof candidates = [];
    for (const c of candidates) {
      if (chosen.length >= limit) break;
      // A word already inside a chosen phrase adds nothing; a phrase most uses of a chosen word
      // appear in says more, so it takes that word's place.
      if (chosen.some((x) => contains(x.term, c.term))) continue;
      const inner = chosen.findIndex((x) => contains(c.term, x.term));
      if (inner >= 0) {
        if (c.count * 2 >= chosen[inner]!.count) chosen[inner] = c;
        continue;
      }
      chosen.push(c);
    }
    // A replacement may have made two entries the same phrase or one contain another.
    const distinct = chosen.filter(
      (c, i) =>
        chosen.findIndex((x) => x.term === c.term) === i && !chosen.some((x) => contains(x.term, c.term)),
    );
    return distinct.map((c) => ({ phrase: display(c.term), term: c.term, count: c.count, score: c.score }));
  });
}
