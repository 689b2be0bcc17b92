// Finding a rule's phrases in what was said the way a supervisor reads it: 「不 知-道」, 「不知道」 and
// 「ＢＵ知道」-style variants are one phrase. Each character is folded on its own (simplified, half-width,
// lower-case; spaces and punctuation dropped) so a match maps back to the original text for highlighting.

/**
 * Folds one character to its canonical form ('' for spaces and punctuation). Supplied by the caller (the
 * server uses the NLU's normaliser) so the core keeps no language tables.
 */
export type FoldChar = (ch: string) => string;

export interface FoldedText {
  text: string;
  /** For each folded UTF-16 unit, the original [start, end) it came from. */
  spans: [number, number][];
  /** For each folded unit, whether a dropped separator (space, punctuation) or the start precedes it. */
  separated: boolean[];
}

const LATIN = /[a-z0-9]/;

export function foldText(text: string, fold: FoldChar): FoldedText {
  let out = '';
  const spans: [number, number][] = [];
  const separated: boolean[] = [];
  let gap = true;
  let i = 0;
  for (const ch of text) {
    const f = fold(ch);
    if (f.length === 0) gap = true;
    for (let k = 0; k < f.length; k++) {
      out += f[k];
      spans.push([i, i + ch.length]);
      separated.push(gap);
      gap = false;
    }
    i += ch.length;
  }
  return { text: out, spans, separated };
}

/** A phrase's canonical form (what `foldText` makes of it). */
export const foldPhrase = (phrase: string, fold: FoldChar): string => foldText(phrase, fold).text;

export interface PhraseMatch {
  phrase: string;
  /** Where in the original text, [start, end). */
  start: number;
  end: number;
}

/**
 * Every occurrence of any of `phrases` in `folded`. A Latin phrase (idk, hi) must stand as a word — "hi"
 * is not in "this" — while Chinese matches anywhere, spaces and punctuation inserted or not.
 */
export function findPhrases(folded: FoldedText, phrases: readonly string[], fold: FoldChar): PhraseMatch[] {
  const found: PhraseMatch[] = [];
  for (const phrase of phrases) {
    const p = foldPhrase(phrase, fold);
    if (p.length === 0) continue;
    let from = 0;
    for (;;) {
      const at = folded.text.indexOf(p, from);
      if (at < 0) break;
      from = at + 1;
      const end = at + p.length;
      const startsWord =
        !LATIN.test(p[0] as string) || folded.separated[at] || !LATIN.test(folded.text[at - 1] ?? '');
      const endsWord =
        !LATIN.test(p[p.length - 1] as string) ||
        end >= folded.text.length ||
        folded.separated[end] ||
        !LATIN.test(folded.text[end] ?? '');
      if (!startsWord || !endsWord) continue;
      found.push({
        phrase,
        start: (folded.spans[at] as [number, number])[0],
        end: (folded.spans[end - 1] as [number, number])[1],
      });
    }
  }
  return found.sort((a, b) => a.start - b.start || b.end - a.end);
}
