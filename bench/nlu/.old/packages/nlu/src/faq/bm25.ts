// Okapi BM25 over bags of terms, with the query's score against itself as a scale for "how good is
// this match" that does not depend on query length.

export interface Bm25Options {
  k1?: number;
  b?: number;
}

export interface Bm25 {
  /** Score of every document for the query (same order as the documents). */
  scores(query: readonly string[]): Float64Array;
  /** The query scored against a document identical to itself: the best any document could do. */
  selfScore(query: readonly string[]): number;
}

function counts(terms: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const t of terms) out.set(t, (out.get(t) ?? 0) + 1);
  return out;
}

export function createBm25(documents: readonly (readonly string[])[], options: Bm25Options = {}): Bm25 {
  const k1 = options.k1 ?? 1.2;
  const b = options.b ?? 0.75;
  const docCounts = documents.map(counts);
  const lengths = documents.map((d) => d.length);
  const avgdl = lengths.reduce((s, l) => s + l, 0) / Math.max(1, documents.length) || 1;
  const df = new Map<string, number>();
  for (const c of docCounts) for (const t of c.keys()) df.set(t, (df.get(t) ?? 0) + 1);
  const n = documents.length;
  // Terms never seen in the corpus get the idf of a term seen once, so the self-score still counts them.
  const idf = (t: string): number => {
    const f = df.get(t) ?? 1;
    return Math.log(1 + (n - f + 0.5) / (f + 0.5));
  };
  const termScore = (tf: number, dl: number): number =>
    (tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * dl) / avgdl));

  return {
    scores(query) {
      const out = new Float64Array(n);
      const q = counts(query);
      for (const [term] of q) {
        if (!df.has(term)) continue;
        const w = idf(term);
        for (let i = 0; i < n; i++) {
          const tf = docCounts[i]!.get(term);
          if (tf) out[i]! += w * termScore(tf, lengths[i]!);
        }
      }
      return out;
    },
    selfScore(query) {
      const q = counts(query);
      let s = 0;
      for (const [term, tf] of q) s += idf(term) * termScore(tf, query.length);
      return s;
    },
  };
}
