// Dialect expressions rewritten to Mandarin: written Cantonese and Sichuanese-flavoured Mandarin read by a
// classifier trained on Mandarin only. The expressions are data (`lexicon.json`, one entry each); this
// file only knows how to weigh and apply them. Works on simplified text (the normaliser converts first).
import lexiconData from './lexicon.json' with { type: 'json' };

export type Dialect = 'yue' | 'sichuan';
export const DIALECTS: readonly Dialect[] = ['yue', 'sichuan'];

/** One expression of the lexicon. Guards are sets of characters written as one string. */
export interface DialectEntry {
  /** The dialect expression in simplified characters (OpenCC has already converted traditional text). */
  from: string;
  /** Its Mandarin form ('' drops a particle Mandarin does without). */
  to: string;
  /**
   * How much the expression says the text is in this dialect: 2 = only the dialect writes it (唔, 啥子),
   * 1 = telling but also seen in Mandarin (几时, 晓得), 0 = rewritten only once other evidence is found
   * (系 → 是 must not turn 系统 into 是统).
   */
  weight: number;
  notPrecededBy?: string;
  notFollowedBy?: string;
  /** The next character must be one of these. */
  followedBy?: string;
  /** Only at the end of a clause (end of text, punctuation or a sentence-final particle). */
  end?: boolean;
  /** Never at the end of a clause (唔 alone is Mandarin's "hmm", not "not"). */
  notEnd?: boolean;
}

export type DialectLexicon = Readonly<Record<Dialect, readonly DialectEntry[]>>;

export const DIALECT_LEXICON: DialectLexicon = lexiconData as DialectLexicon;

/** Evidence needed before anything is rewritten: one expression only the dialect writes, or two telling ones. */
export const DIALECT_THRESHOLD = 2;

export interface DialectEvidence {
  yue: number;
  sichuan: number;
}

export interface DialectRewrite {
  /** The text with the detected dialect's expressions in Mandarin; unchanged when none was detected. */
  text: string;
  dialect: Dialect | null;
  evidence: DialectEvidence;
}

// Characters after which a clause ends: punctuation, spaces and Mandarin/Cantonese sentence-final particles.
const CLAUSE_END = new Set([...' ,.!?;:~，。！？；：～、…)）"”\'呀啊啦喇嘛吧呢哦喔噢咯啰㗎嘞']);

interface CompiledLexicon {
  /** Entries by the first UTF-16 code unit of `from`, longest first, lexicon order among equals. */
  byFirst: Map<number, DialectEntry[]>;
  /** Per code unit: 1 when an entry starts with it (a table lookup is cheaper than the map for most text). */
  starts: Uint8Array;
  /** First code units of entries that carry evidence: text without any of them is left alone. */
  markers: Set<number>;
}

function compile(entries: readonly DialectEntry[]): CompiledLexicon {
  const byFirst = new Map<number, DialectEntry[]>();
  const starts = new Uint8Array(0x10000);
  const markers = new Set<number>();
  for (const entry of entries) {
    const first = entry.from.charCodeAt(0);
    const list = byFirst.get(first) ?? [];
    list.push(entry);
    byFirst.set(first, list);
    starts[first] = 1;
    if (entry.weight > 0) markers.add(first);
  }
  // Array.prototype.sort is stable, so entries of equal length keep the lexicon's order.
  for (const list of byFirst.values()) list.sort((a, b) => b.from.length - a.from.length);
  return { byFirst, starts, markers };
}

function applies(entry: DialectEntry, text: string, at: number): boolean {
  if (!text.startsWith(entry.from, at)) return false;
  const before = at > 0 ? text[at - 1]! : '';
  const afterIndex = at + entry.from.length;
  const after = afterIndex < text.length ? text[afterIndex]! : '';
  if (entry.notPrecededBy && before !== '' && entry.notPrecededBy.includes(before)) return false;
  if (entry.notFollowedBy && after !== '' && entry.notFollowedBy.includes(after)) return false;
  if (entry.followedBy && (after === '' || !entry.followedBy.includes(after))) return false;
  const atEnd = after === '' || CLAUSE_END.has(after);
  if (entry.end && !atEnd) return false;
  if (entry.notEnd && atEnd) return false;
  return true;
}

/** The entry matching at `at`, longest first; null when none does. */
function match(lexicon: CompiledLexicon, text: string, at: number): DialectEntry | null {
  const code = text.charCodeAt(at);
  if (lexicon.starts[code] === 0) return null;
  const candidates = lexicon.byFirst.get(code);
  if (!candidates) return null;
  for (const entry of candidates) if (applies(entry, text, at)) return entry;
  return null;
}

function evidenceIn(lexicon: CompiledLexicon, text: string): number {
  // Each expression counts once: 多谢多谢 is no more Cantonese than 多谢.
  const seen = new Set<DialectEntry>();
  let total = 0;
  for (let i = 0; i < text.length; ) {
    const entry = match(lexicon, text, i);
    if (entry) {
      if (!seen.has(entry)) total += entry.weight;
      seen.add(entry);
      i += entry.from.length;
    } else i++;
  }
  return total;
}

function rewrite(lexicon: CompiledLexicon, text: string): string {
  let out = '';
  for (let i = 0; i < text.length; ) {
    const entry = match(lexicon, text, i);
    if (entry) {
      out += entry.to;
      i += entry.from.length;
    } else {
      out += text[i];
      i++;
    }
  }
  return out;
}

/** A rewrite that remembers where each of its characters came from, so spans found in it map back. */
export interface MappedRewrite extends DialectRewrite {
  /** For each UTF-16 unit of `text`: where its source starts in the input. */
  sourceStart: Int32Array;
  /** For each UTF-16 unit of `text`: where its source ends (exclusive) in the input. */
  sourceEnd: Int32Array;
}

function rewriteMapped(lexicon: CompiledLexicon, text: string): Omit<MappedRewrite, 'dialect' | 'evidence'> {
  let out = '';
  const starts: number[] = [];
  const ends: number[] = [];
  for (let i = 0; i < text.length; ) {
    const entry = match(lexicon, text, i);
    if (entry) {
      out += entry.to;
      for (let k = 0; k < entry.to.length; k++) {
        starts.push(i);
        ends.push(i + entry.from.length);
      }
      i += entry.from.length;
    } else {
      out += text[i];
      starts.push(i);
      ends.push(i + 1);
      i++;
    }
  }
  return { text: out, sourceStart: Int32Array.from(starts), sourceEnd: Int32Array.from(ends) };
}

export interface DialectRewriter {
  /** Which dialect the (simplified) text shows, with the evidence for each. */
  detect(text: string): { dialect: Dialect | null; evidence: DialectEvidence };
  /** The (simplified) text with the detected dialect's expressions in Mandarin. */
  rewrite(text: string): DialectRewrite;
  /** `rewrite` with a source span per character; null when no dialect was detected (nothing to map). */
  rewriteMapped(text: string): MappedRewrite | null;
  /** Whether a text may show a dialect at all (a cheap check before `detect`). */
  mayShow(text: string): boolean;
}

export function createDialectRewriter(lexicon: DialectLexicon = DIALECT_LEXICON): DialectRewriter {
  const compiled: Record<Dialect, CompiledLexicon> = {
    yue: compile(lexicon.yue),
    sichuan: compile(lexicon.sichuan),
  };
  const markers = new Set([...compiled.yue.markers, ...compiled.sichuan.markers]);
  const markerTable = new Uint8Array(0x10000);
  for (const code of markers) markerTable[code] = 1;
  const mayShow = (text: string): boolean => {
    for (let i = 0; i < text.length; i++) if (markerTable[text.charCodeAt(i)] === 1) return true;
    return false;
  };
  const detect = (text: string) => {
    const evidence: DialectEvidence = { yue: 0, sichuan: 0 };
    if (!mayShow(text)) return { dialect: null, evidence };
    evidence.yue = evidenceIn(compiled.yue, text);
    evidence.sichuan = evidenceIn(compiled.sichuan, text);
    // Cantonese wins a tie: its markers are the more specific (Sichuanese shares much with Mandarin).
    let dialect: Dialect | null = null;
    if (evidence.yue >= DIALECT_THRESHOLD && evidence.yue >= evidence.sichuan) dialect = 'yue';
    else if (evidence.sichuan >= DIALECT_THRESHOLD) dialect = 'sichuan';
    return { dialect, evidence };
  };
  return {
    detect,
    mayShow,
    rewrite(text) {
      const { dialect, evidence } = detect(text);
      if (dialect === null) return { text, dialect, evidence };
      return { text: rewrite(compiled[dialect], text), dialect, evidence };
    },
    rewriteMapped(text) {
      const { dialect, evidence } = detect(text);
      if (dialect === null) return null;
      return { ...rewriteMapped(compiled[dialect], text), dialect, evidence };
    },
  };
}
