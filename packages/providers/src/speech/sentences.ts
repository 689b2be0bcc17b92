// Splits text for vendors that cap the length of one synthesis request (Tencent 150 characters, Aliyun
// 300): at sentence ends first, then at clause marks, then hard, so a long answer becomes several requests
// whose audio is joined instead of an error in the middle of a call.

const SENTENCE_END = /[。！？!?；;…\n]/;
const CLAUSE_MARK = /[，,、：:\s]/;

export function splitForSynthesis(text: string, maxLength: number): string[] {
  const pieces: string[] = [];
  let rest = text.trim();
  while (rest.length > maxLength) {
    const window = rest.slice(0, maxLength);
    const cut = lastMatch(window, SENTENCE_END) ?? lastMatch(window, CLAUSE_MARK) ?? maxLength - 1;
    const piece = rest.slice(0, cut + 1).trim();
    if (piece) pieces.push(piece);
    rest = rest.slice(cut + 1).trim();
  }
  if (rest) pieces.push(rest);
  return pieces;
}

/** Index of the last character matching `pattern`, when it lies in the second half (a useful cut). */
function lastMatch(window: string, pattern: RegExp): number | undefined {
  for (let i = window.length - 1; i >= window.length / 2; i--) if (pattern.test(window[i]!)) return i;
  return undefined;
}

/** Joins PCM pieces of one rate. */
export function concatSamples(pieces: Int16Array[]): Int16Array {
  const out = new Int16Array(pieces.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const piece of pieces) {
    out.set(piece, offset);
    offset += piece.length;
  }
  return out;
}
