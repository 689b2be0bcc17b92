// Pure text helpers of canned replies in the console: where a `/shortcut` is being typed, and which
// `{{variables}}` a draft still holds (the reply preview leaves what it cannot fill as written).

/** The placeholder syntax the server fills (packages/core fillReplyVariables). */
const PLACEHOLDER = /\{\{\s*([\w.-]+)\s*\}\}/g;

export interface ShortcutQuery {
  /** Index of the `/`. */
  start: number;
  /** The caret: the query runs from start + 1 to here. */
  end: number;
  query: string;
}

/**
 * The `/shortcut` being typed at the caret: a `/` at the start of the text or after whitespace, then
 * shortcut characters up to the caret. Null otherwise (a URL such as `a/b` or `http://` is not one).
 */
export function shortcutAt(text: string, caret: number): ShortcutQuery | null {
  const before = text.slice(0, caret);
  const match = /(^|\s)\/([A-Za-z0-9_-]{0,32})$/.exec(before);
  if (!match) return null;
  const query = match[2] ?? '';
  return { start: caret - query.length - 1, end: caret, query: query.toLowerCase() };
}

/** The text with [start, end) replaced, and where the caret goes after the insert. */
export function replaceRange(
  text: string,
  start: number,
  end: number,
  insert: string,
): { text: string; caret: number } {
  return { text: text.slice(0, start) + insert + text.slice(end), caret: start + insert.length };
}

/** The variables still written as `{{name}}` in a draft, each once, in order. */
export function unfilledVariables(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1] ?? ''))];
}

export type BodySegment = { text: string } | { variable: string; known: boolean };

/** A template body cut into text and variables, each variable marked known or not (the editor's preview). */
export function bodySegments(body: string, known: ReadonlySet<string>): BodySegment[] {
  const segments: BodySegment[] = [];
  let last = 0;
  for (const match of body.matchAll(PLACEHOLDER)) {
    const index = match.index ?? 0;
    if (index > last) segments.push({ text: body.slice(last, index) });
    const variable = match[1] ?? '';
    segments.push({ variable, known: known.has(variable) });
    last = index + match[0].length;
  }
  if (last < body.length) segments.push({ text: body.slice(last) });
  return segments;
}
