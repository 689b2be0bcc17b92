// A strict reader of Prometheus's text exposition format (version 0.0.4), for the tests: every line must
// be a HELP, a TYPE or a sample Prometheus would accept, each series must be declared before it appears
// and appear once, and histograms must be cumulative and end in +Inf = _count. What it returns is the
// samples, so a test asks for values instead of matching text.

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL = '[a-zA-Z_][a-zA-Z0-9_]*';
const LABEL_VALUE = '"(?:[^"\\\\\\n]|\\\\["\\\\n])*"';
const NUMBER = '[-+]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][-+]?\\d+)?|[-+]?Inf|NaN';
const SAMPLE = new RegExp(
  `^(${NAME})(?:\\{((?:${LABEL}=${LABEL_VALUE})(?:,${LABEL}=${LABEL_VALUE})*)?\\})? (${NUMBER})(?: -?\\d+)?$`,
);
const HELP = new RegExp(`^# HELP (${NAME}) (?:[^\\\\\\n]|\\\\[\\\\n])*$`);
const TYPE = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`);
const PAIR = new RegExp(`(${LABEL})=(${LABEL_VALUE})`, 'g');

const unquote = (quoted: string) =>
  quoted.slice(1, -1).replace(/\\(["\\n])/g, (_m, c: string) => (c === 'n' ? '\n' : c));

const toNumber = (text: string) =>
  /Inf$/.test(text) ? (text.startsWith('-') ? -Infinity : Infinity) : Number(text);

/** The family a sample belongs to: a histogram's _bucket, _sum and _count lines are its own. */
function familyOf(name: string, types: Map<string, string>): string | null {
  if (types.has(name)) return name;
  const m = /^(.*)_(bucket|sum|count)$/.exec(name);
  if (m && ['histogram', 'summary'].includes(types.get(m[1] ?? '') ?? '')) return m[1] ?? null;
  return null;
}

/** Parses the text, throwing on the first line that breaks the format. */
export function parseExposition(text: string): Sample[] {
  if (!text.endsWith('\n')) throw new Error('the exposition must end with a line feed');
  const types = new Map<string, string>();
  const seen = new Set<string>();
  const samples: Sample[] = [];
  for (const [index, line] of text.slice(0, -1).split('\n').entries()) {
    const where = `line ${index + 1}: ${line}`;
    if (line === '') continue;
    if (line.startsWith('# HELP ')) {
      if (!HELP.test(line)) throw new Error(`bad HELP, ${where}`);
      continue;
    }
    const type = TYPE.exec(line);
    if (type) {
      const [, name = '', kind = ''] = type;
      if (types.has(name) || samples.some((s) => familyOf(s.name, types) === name))
        throw new Error(`TYPE after the family's samples or twice, ${where}`);
      types.set(name, kind);
      continue;
    }
    if (line.startsWith('#')) throw new Error(`unknown comment, ${where}`);
    const m = SAMPLE.exec(line);
    if (!m) throw new Error(`not a sample, ${where}`);
    const [, name = '', labelText = '', value = ''] = m;
    if (familyOf(name, types) === null) throw new Error(`sample without a TYPE, ${where}`);
    const labels: Record<string, string> = {};
    for (const [, key = '', quoted = ''] of labelText.matchAll(PAIR)) {
      if (key in labels) throw new Error(`label twice, ${where}`);
      labels[key] = unquote(quoted);
    }
    const series = `${name}${JSON.stringify(Object.entries(labels).sort())}`;
    if (seen.has(series)) throw new Error(`series twice, ${where}`);
    seen.add(series);
    samples.push({ name, labels, value: toNumber(value) });
  }
  checkHistograms(samples, types);
  return samples;
}

function checkHistograms(samples: Sample[], types: Map<string, string>): void {
  for (const [family, kind] of types) {
    if (kind !== 'histogram') continue;
    const bySeries = new Map<string, Sample[]>();
    for (const s of samples.filter((x) => x.name === `${family}_bucket`)) {
      const { le, ...rest } = s.labels;
      if (le === undefined) throw new Error(`${family}_bucket without le`);
      const key = JSON.stringify(Object.entries(rest).sort());
      bySeries.set(key, [...(bySeries.get(key) ?? []), s]);
    }
    for (const [key, buckets] of bySeries) {
      for (let i = 1; i < buckets.length; i++)
        if ((buckets[i]?.value ?? 0) < (buckets[i - 1]?.value ?? 0))
          throw new Error(`${family} buckets are not cumulative for ${key}`);
      const last = buckets.at(-1);
      const count = samples.find(
        (s) => s.name === `${family}_count` && JSON.stringify(Object.entries(s.labels).sort()) === key,
      );
      if (last?.labels.le !== '+Inf' || count?.value !== last.value)
        throw new Error(`${family} must end in le="+Inf" equal to _count for ${key}`);
    }
  }
}

/** The value of the one sample with this name and (at least) these labels; undefined when there is none. */
export function sampleValue(
  samples: readonly Sample[],
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  const found = samples.filter(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
  if (found.length > 1) throw new Error(`${name} ${JSON.stringify(labels)} matches ${found.length} series`);
  return found[0]?.value;
}
