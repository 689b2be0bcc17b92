// Okapi BM25 over bags of terms, with the query's score against itself as a scale for "how good is
// this match" that does not depend on query length. Postings per term, so a query costs what its terms'
// documents are, not every document for every term; and one document can be swapped for another in a
// query (leave-one-out calibration) without building a new index.

export interface Bm25Options {
  k1?: number;
  b?: number;
}

/** One document put in place of another for a single query: its terms. */
export interface Replacement {
  doc: number;
  terms: readonly string[];
}

export interface Bm25 {
  /** Score of every document for the query (same order as the documents). */
  scores(query: readonly string[], replacing?: Replacement): Float64Array;
  /** The query scored against a document identical to itself: the best any document could do. */
  selfScore(query: readonly string[], replacing?: Replacement): number;
}

function counts(terms: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const t of terms) out.set(t, (out.get(t) ?? 0) + 1);
  return out;
}

interface Postings {
  docs: number[];
  tfs: number[];
}

export function createBm25(documents: readonly (readonly string[])[], options: Bm25Options = {}): Bm25 {
  const k1 = options.k1 ?? 1.2;
  const b = options.b ?? 0.75;
  const n = documents.length;
  const docCounts = documents.map(counts);
  const lengths = documents.map((d) => d.length);
  const postings = new Map<string, Postings>();
  docCounts.forEach((c, doc) => {
    for (const [term, tf] of c) {
      let p = postings.get(term);
      if (!p) {
        p = { docs: [], tfs: [] };
        postings.set(term, p);
      }
      p.docs.push(doc);
      p.tfs.push(tf);
    }
  });
  // Summed in document order, with or without a replaced length, so a swapped-in document gives exactly
  // the numbers an index built over the swapped corpus would.
  const averageLength = (replacing?: { doc: number; length: number }): number => {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += replacing && i === replacing.doc ? replacing.length : lengths[i]!;
    return sum / Math.max(1, n) || 1;
  };
  const avgdl = averageLength();

  /** The corpus as one query sees it: document frequency and average length, after any replacement. */
  const view = (replacing?: Replacement) => {
    if (!replacing) return { df: (t: string) => postings.get(t)?.docs.length ?? 0, avgdl, swapped: null };
    const before = docCounts[replacing.doc]!;
    const after = counts(replacing.terms);
    return {
      df: (t: string) =>
        (postings.get(t)?.docs.length ?? 0) - (before.has(t) ? 1 : 0) + (after.has(t) ? 1 : 0),
      avgdl: averageLength({ doc: replacing.doc, length: replacing.terms.length }),
      swapped: { doc: replacing.doc, counts: after, length: replacing.terms.length },
    };
  };
  // Terms never seen in the corpus get the idf of a term seen once, so the self-score still counts them.
  const idf = (f: number): number => {
    const seen = f > 0 ? f : 1;
    return Math.log(1 + (n - seen + 0.5) / (seen + 0.5));
  };
  const termScore = (tf: number, dl: number, average: number): number =>
    (tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * dl) / average));

  return {
    scores(query, replacing) {
      const out = new Float64Array(n);
      const corpus = view(replacing);
      for (const term of counts(query).keys()) {
        const f = corpus.df(term);
        if (f <= 0) continue;
        const w = idf(f);
        const p = postings.get(term);
        if (p)
          for (let k = 0; k < p.docs.length; k++) {
            const doc = p.docs[k]!;
            if (doc === corpus.swapped?.doc) continue;
            out[doc]! += w * termScore(p.tfs[k]!, lengths[doc]!, corpus.avgdl);
          }
        const tf = corpus.swapped?.counts.get(term);
        if (corpus.swapped && tf)
          out[corpus.swapped.doc]! += w * termScore(tf, corpus.swapped.length, corpus.avgdl);
      }
      return out;
    },
    selfScore(query, replacing) {
      const corpus = view(replacing);
      let s = 0;
      for (const [term, tf] of counts(query))
        s += idf(corpus.df(term)) * termScore(tf, query.length, corpus.avgdl);
      return s;
    },
  };
}
