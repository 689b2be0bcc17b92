// The language side of quality inspection, from the NLU: characters folded the way the NLU normalises
// text (traditional → simplified, full-width → half-width, lower case; spaces and punctuation dropped),
// and each message's sentiment and anger.
import type { TextAnalysis } from '@zhike/core';
import { analyseSentiment, normalise } from '@zhike/nlu';

/** Distinct characters remembered; Chinese chat uses a few thousand. */
const MEMO_LIMIT = 20_000;

export function createTextAnalysis(): TextAnalysis {
  const folded = new Map<string, string>();
  return {
    foldChar(ch) {
      let f = folded.get(ch);
      if (f === undefined) {
        f = normalise(ch).replace(/[^\p{L}\p{N}]/gu, '');
        if (folded.size < MEMO_LIMIT) folded.set(ch, f);
      }
      return f;
    },
    sentiment(text) {
      const s = analyseSentiment(text);
      return { score: s.score, anger: s.anger };
    },
  };
}
