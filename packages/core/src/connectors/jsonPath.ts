// A small JSONPath subset for mapping a merchant API's answer onto an order: `$`, `.key`, `['quoted key']`,
// `["quoted key"]`, `[0]` (negative counts from the end), `[*]` and `.*`. No filters or scripts: an
// admin-typed path must never execute anything, and these cover the shapes order APIs actually return.

export class JsonPathError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${message} in JSON path ${JSON.stringify(path)}`);
    this.name = 'JsonPathError';
  }
}

type Step = { kind: 'key'; key: string } | { kind: 'index'; index: number } | { kind: 'wildcard' };

export interface CompiledJsonPath {
  readonly source: string;
  /** Every match, in document order; empty when nothing matches. */
  evaluate(document: unknown): unknown[];
}

const IDENTIFIER = /^[A-Za-z_$\u00C0-\uFFFF][\w$\u00C0-\uFFFF-]*/;

function parse(source: string): Step[] {
  const path = source.trim();
  if (!path.startsWith('$')) throw new JsonPathError(source, 'must start with $');
  const steps: Step[] = [];
  let i = 1;
  while (i < path.length) {
    const rest = path.slice(i);
    if (rest.startsWith('..')) throw new JsonPathError(source, 'recursive descent (..) is not supported');
    if (rest[0] === '.') {
      if (rest[1] === '*') {
        steps.push({ kind: 'wildcard' });
        i += 2;
        continue;
      }
      const name = IDENTIFIER.exec(rest.slice(1));
      if (!name) throw new JsonPathError(source, `expected a key at position ${i + 1}`);
      steps.push({ kind: 'key', key: name[0] });
      i += 1 + name[0].length;
      continue;
    }
    if (rest[0] === '[') {
      const quote = rest[1];
      if (quote === "'" || quote === '"') {
        let key = '';
        let j = 2;
        for (; j < rest.length && rest[j] !== quote; j++) {
          if (rest[j] === '\\' && j + 1 < rest.length) j++;
          key += rest[j];
        }
        if (rest[j] !== quote || rest[j + 1] !== ']')
          throw new JsonPathError(source, `unterminated quoted key at position ${i}`);
        steps.push({ kind: 'key', key });
        i += j + 2;
        continue;
      }
      const inner = /^\[\s*(\*|-?\d+)\s*\]/.exec(rest);
      if (!inner) throw new JsonPathError(source, `expected [n], [*] or ['key'] at position ${i}`);
      steps.push(inner[1] === '*' ? { kind: 'wildcard' } : { kind: 'index', index: Number(inner[1]) });
      i += inner[0].length;
      continue;
    }
    throw new JsonPathError(source, `unexpected ${JSON.stringify(rest[0])} at position ${i}`);
  }
  return steps;
}

function step(values: unknown[], s: Step): unknown[] {
  const out: unknown[] = [];
  for (const value of values) {
    if (value === null || typeof value !== 'object') continue;
    if (s.kind === 'wildcard') out.push(...(Array.isArray(value) ? value : Object.values(value)));
    else if (s.kind === 'index') {
      if (!Array.isArray(value)) continue;
      const at = s.index < 0 ? value.length + s.index : s.index;
      if (at >= 0 && at < value.length) out.push(value[at]);
    } else if (!Array.isArray(value) && Object.hasOwn(value, s.key))
      out.push((value as Record<string, unknown>)[s.key]);
  }
  return out;
}

/** Throws JsonPathError for a path outside the subset, so a bad mapping is refused when it is saved. */
export function compileJsonPath(source: string): CompiledJsonPath {
  const steps = parse(source);
  return {
    source,
    evaluate: (document) => steps.reduce<unknown[]>((values, s) => step(values, s), [document]),
  };
}

/** The first match, or undefined. */
export const jsonPathFirst = (path: string, document: unknown): unknown =>
  compileJsonPath(path).evaluate(document)[0];
