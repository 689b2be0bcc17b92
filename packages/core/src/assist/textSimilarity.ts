// How alike two replies (or two customer messages) are, without an NLU library: character bigrams of
// the normalised text (Han text has no spaces, and bigrams catch most rewordings of one sentence),
// Latin words whole, digits folded into one symbol so two order numbers do not make replies differ.
// Cheap enough to compare a message with every cluster of a workspace's history on each message.

export type TextVector = ReadonlyMap<string, number>;

/**
 * Full-width to half-width, lower case, placeholders and numbers to symbols, punctuation out; spaces
 * stay only between two Latin words ("1-3 天" and "1～3天" read the same).
 */
export function normaliseReply(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\{\{\s*[\w.-]+\s*\}\}/g, '§')
    .replace(/\d+(?:[.:]\d+)*/g, '#')
    .replace(/[^\p{L}\p{N}#§]+/gu, ' ')
    .replace(/(?<![a-z]) | (?![a-z])/g, '')
    .replace(/#+/g, '#')
    .trim();
}

/** Term frequencies: Latin words whole; character bigrams (and lighter unigrams) of everything else. */
export function textVector(text: string): TextVector {
  const counts = new Map<string, number>();
  const add = (term: string, weight: number) => counts.set(term, (counts.get(term) ?? 0) + weight);
  const normalised = normaliseReply(text);
  for (const word of normalised.match(/[a-z]+/g) ?? []) add(`w:${word}`, 1);
  const chars = [...normalised.replace(/[a-z ]+/g, '')];
  for (let i = 0; i < chars.length; i++) {
    // Unigrams count less: they make short texts comparable without letting common characters dominate.
    add(chars[i]!, 0.3);
    if (i + 1 < chars.length) add(chars[i]! + chars[i + 1]!, 1);
  }
  return counts;
}

export function norm(v: TextVector): number {
  let sum = 0;
  for (const x of v.values()) sum += x * x;
  return Math.sqrt(sum);
}

/** Cosine similarity, 0..1 (vectors are non-negative). */
export function cosine(a: TextVector, b: TextVector): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [term, x] of small) {
    const y = large.get(term);
    if (y !== undefined) dot += x * y;
  }
  const n = norm(a) * norm(b);
  return n === 0 ? 0 : dot / n;
}

export const textSimilarity = (a: string, b: string): number => cosine(textVector(a), textVector(b));

/** Sum of vectors scaled to unit length each, so long texts do not outweigh short ones. */
export function centroid(vectors: readonly TextVector[]): Map<string, number> {
  const sum = new Map<string, number>();
  for (const v of vectors) {
    const n = norm(v) || 1;
    for (const [term, x] of v) sum.set(term, (sum.get(term) ?? 0) + x / n);
  }
  return sum;
}

/**
 * A stable short fingerprint of a reply's normalised text (FNV-1a, 2×32 bits): feedback records which
 * text was shown without storing it.
 */
export function textHash(text: string): string {
  const s = normaliseReply(text);
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) >>> 0;
  }
  return h1.toString(16).padStart(8, '0') + h2.toString(16).padStart(8, '0');
}

/**
 * How much of a suggestion an agent changed before sending: Levenshtein distance over characters
 * divided by the longer length (0 = sent as suggested, 1 = nothing kept). Long texts are capped so
 * the quadratic table stays small.
 */
export function editRatio(suggested: string, sent: string): number {
  const a = [...suggested.slice(0, 2000)];
  const b = [...sent.slice(0, 2000)];
  const longest = Math.max(a.length, b.length);
  if (longest === 0) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]! / longest;
}
