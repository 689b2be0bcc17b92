// Keeps the industry templates honest: shape, counts, locale parity, placeholders, and test suites that
// never repeat a template example, not even nearly (held out: improving a template never means copying them).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { checkTemplateIntents, intentLabelProblem, OUT_OF_SCOPE_EXAMPLES } from '@zhike/bot';
import { normalise } from '@zhike/nlu';
import { describe, expect, it } from 'vitest';

const root = new URL('.', import.meta.url).pathname;
const locales = ['zh-CN', 'en-US'] as const;
const runtimeScopes = ['order.', 'ticket.', 'tickets.', 'slots.', 'customer.', 'callback.'];
const handlerTypes = new Set(['action', 'form', 'handoff', 'reply']);
const actions = new Set(['order.lookup', 'ticket.lookup', 'ticket.create', 'callback.create']);

interface Faq {
  id: string;
  question: string;
  similar: string[];
  answer: string;
  keywords?: string[];
}
interface Intent {
  name: string;
  label?: string;
  examples: string[];
  handler: { type: string; action?: string; form?: string; reply?: string; text?: string };
}
interface Form {
  id: string;
  slots: { name: string; prompt: string }[];
  policy?: string;
  confirm?: string;
  done: string;
}
interface Template {
  id: string;
  locale: string;
  name: string;
  variables: { key: string; label: string; default: string }[];
  faqs: Faq[];
  intents: Intent[];
  forms: Form[];
  synonyms?: string[][];
  outOfScope?: string[];
}

const industries = readdirSync(root).filter(
  (d) => statSync(join(root, d)).isDirectory() && existsSync(join(root, d, 'zh-CN.json')),
);
const load = (industry: string, locale: string): Template =>
  JSON.parse(readFileSync(join(root, industry, `${locale}.json`), 'utf8')) as Template;

/**
 * The form two messages are compared in for near-duplicates: the NLU's normalisation, then without
 * spaces, punctuation, symbols (emoji, ~) and trailing sentence particles.
 */
function nearKey(text: string): string {
  return normalise(text)
    .replace(/[\s\p{P}\p{S}]+/gu, '')
    .replace(/[吗呢吧啊呀啦嘛哦哈]+$/u, '');
}

/** Sørensen–Dice over character bigrams (multiset). */
function bigramDice(a: string, b: string): number {
  const grams = (s: string) => {
    const chars = [...s];
    const out = new Map<string, number>();
    if (chars.length === 1) out.set(s, 1);
    for (let i = 0; i + 1 < chars.length; i++) {
      const g = chars[i]! + chars[i + 1]!;
      out.set(g, (out.get(g) ?? 0) + 1);
    }
    return out;
  };
  const ga = grams(a);
  const gb = grams(b);
  let shared = 0;
  let total = 0;
  for (const [g, n] of ga) {
    shared += Math.min(n, gb.get(g) ?? 0);
    total += n;
  }
  for (const n of gb.values()) total += n;
  return total === 0 ? 0 : (2 * shared) / total;
}

/** The same message give or take punctuation, particles or a character or two (e.g. a trailing 课). */
function nearDuplicate(a: string, b: string): boolean {
  const ka = nearKey(a);
  const kb = nearKey(b);
  // Nothing left once particles go (哈哈哈, 啊啊啊): compare what the NLU sees instead.
  if (ka === '' || kb === '') return normalise(a) === normalise(b);
  if (ka === kb) return true;
  return Math.min([...ka].length, [...kb].length) >= 4 && bigramDice(ka, kb) >= 0.9;
}

function jsonl<T>(file: string): T[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);
}

/**
 * `nearDuplicate` against many lines at once: a line's near keys are indexed, so only lines sharing a
 * character bigram with the query are compared. Returns the held line a text nearly repeats, or null.
 */
function nearIndex(lines: readonly string[]): (text: string) => string | null {
  const byGram = new Map<string, number[]>();
  const exact = new Map<string, number>();
  lines.forEach((line, i) => {
    const key = nearKey(line);
    exact.set(key === '' ? `=${normalise(line)}` : key, i);
    const chars = [...key];
    for (let j = 0; j + 1 < chars.length; j++) {
      const gram = chars[j]! + chars[j + 1]!;
      const list = byGram.get(gram) ?? [];
      if (list.at(-1) !== i) list.push(i);
      byGram.set(gram, list);
    }
  });
  return (text) => {
    const key = nearKey(text);
    const hit = exact.get(key === '' ? `=${normalise(text)}` : key);
    if (hit !== undefined) return lines[hit]!;
    const chars = [...key];
    const candidates = new Set<number>();
    for (let j = 0; j + 1 < chars.length; j++)
      for (const i of byGram.get(chars[j]! + chars[j + 1]!) ?? []) candidates.add(i);
    for (const i of candidates) if (nearDuplicate(lines[i]!, text)) return lines[i]!;
    return null;
  };
}

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)].map((m) => m[1]!);
}

function texts(t: Template): string[] {
  const out: string[] = [];
  for (const f of t.faqs) out.push(f.answer);
  for (const i of t.intents) for (const v of [i.handler.reply, i.handler.text]) if (v) out.push(v);
  for (const f of t.forms) {
    out.push(f.done);
    if (f.policy) out.push(f.policy);
    if (f.confirm) out.push(f.confirm);
    for (const s of f.slots) out.push(s.prompt);
  }
  return out;
}

describe('near-duplicate check', () => {
  it('catches punctuation, particles, traditional characters and one-character edits, not paraphrases', () => {
    expect(nearDuplicate('可以开发票吗？', '可以开发票吗')).toBe(true);
    expect(nearDuplicate('hello~', 'Hello')).toBe(true);
    expect(nearDuplicate('寒假班什么时候开', '寒假班什么时候开课')).toBe(true);
    expect(nearDuplicate('國慶節有醫生坐診嗎', '国庆节有医生坐诊吗')).toBe(true);
    expect(nearDuplicate('上门费多少钱', '上门费多少')).toBe(false);
    expect(nearDuplicate('周末有课吗', '星期六星期天上课吗')).toBe(false);
    expect(nearDuplicate('hi', 'hey')).toBe(false);
  });
});

describe('industry templates', () => {
  it('cover at least 8 industries with at least 100 FAQ/intent templates per locale', () => {
    expect(industries.length).toBeGreaterThanOrEqual(8);
    for (const locale of locales) {
      const total = industries.reduce((n, ind) => {
        const t = load(ind, locale);
        return n + t.faqs.length + t.intents.length;
      }, 0);
      expect(total, locale).toBeGreaterThanOrEqual(100);
    }
  });

  describe.each(industries)('%s', (industry) => {
    // Loaded inside each test, so one half-written industry fails its own tests rather than the whole file.
    const byLocale = new Proxy({} as Record<(typeof locales)[number], Template>, {
      get: (_, locale: string) => load(industry, locale),
    });

    it.each(locales)('%s is well formed', (locale) => {
      const t = byLocale[locale];
      expect(t.id).toBe(industry);
      expect(t.locale).toBe(locale);
      const vars = new Set(t.variables.map((v) => v.key));
      const formIds = new Set(t.forms.map((f) => f.id));
      for (const f of t.faqs) {
        expect(1 + f.similar.length, `faq ${f.id}`).toBeGreaterThanOrEqual(10);
        expect(f.answer.trim(), `faq ${f.id}`).not.toBe('');
      }
      // Optional in the format, required of what we ship: people see the label, not the intent id.
      const labels = new Set<string>();
      for (const i of t.intents) {
        expect(typeof i.label, `intent ${i.name} needs a label`).toBe('string');
        expect(intentLabelProblem(i.label ?? ''), `intent ${i.name} label`).toBeNull();
        expect(labels.has(i.label ?? ''), `intent ${i.name} label is unique`).toBe(false);
        labels.add(i.label ?? '');
      }
      expect(() =>
        checkTemplateIntents(t as unknown as Parameters<typeof checkTemplateIntents>[0]),
      ).not.toThrow();
      for (const i of t.intents) {
        expect(i.examples.length, `intent ${i.name}`).toBeGreaterThanOrEqual(10);
        expect(handlerTypes.has(i.handler.type), `intent ${i.name} handler ${i.handler.type}`).toBe(true);
        if (i.handler.type === 'action') expect(actions.has(i.handler.action ?? ''), i.name).toBe(true);
        if (i.handler.type === 'form') expect(formIds.has(i.handler.form ?? ''), i.name).toBe(true);
      }
      for (const text of texts(t)) {
        for (const p of placeholders(text)) {
          const ok = vars.has(p) || runtimeScopes.some((s) => p.startsWith(s));
          expect(ok, `undeclared placeholder {{${p}}} in ${industry}/${locale}`).toBe(true);
        }
      }
      const ids = [...t.faqs.map((f) => `faq:${f.id}`), ...t.intents.map((i) => i.name)];
      expect(new Set(ids).size, 'ids are unique').toBe(ids.length);
    });

    it('has the same ids in zh-CN and en-US', () => {
      const shape = (t: Template) => ({
        faqs: t.faqs.map((f) => f.id).sort(),
        intents: t.intents.map((i) => i.name).sort(),
        forms: t.forms.map((f) => f.id).sort(),
        variables: t.variables.map((v) => v.key).sort(),
      });
      expect(shape(byLocale['en-US'])).toEqual(shape(byLocale['zh-CN']));
    });

    it.each(locales)('%s hand-off examples are labelled, sourced and held-out-clean', (locale) => {
      const file = join(root, industry, `escalation.${locale}.jsonl`);
      if (!existsSync(file)) return;
      const examples = readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => l.trim())
        .map((l) => JSON.parse(l) as { text: string; label: string; source: string });
      const routing = new URL('../bench/routing/', import.meta.url).pathname;
      const tuning = new Map<string, string>();
      for (const set of ['dev', 'dev2', 'dev3'])
        for (const line of jsonl<{ id: string; text: string }>(join(routing, `${set}.zh-CN.jsonl`)))
          tuning.set(`${set}:${line.id}`, line.text);
      const counts: Record<string, number> = {};
      for (const e of examples) {
        expect(['routine', 'person', 'complaint', 'grave'], `label of ${e.text}`).toContain(e.label);
        counts[e.label] = (counts[e.label] ?? 0) + 1;
        // A tuning-set line keeps its set and id (bench/routing/cv.ts leaves each set out by them).
        if (e.source.includes(':')) expect(tuning.get(e.source), `source ${e.source}`).toBe(e.text);
        else expect(e.source, `source of ${e.text}`).toMatch(/^written-[a-z]$/);
      }
      expect(Object.keys(counts).sort()).toEqual(['complaint', 'grave', 'person', 'routine']);
      const keys = examples.map((e) => nearKey(e.text));
      expect(new Set(keys).size, 'no example repeats another').toBe(keys.length);
      // Held out: the industry's own test suites and the routing benchmark's replay sets.
      const heldOut = [
        ...readdirSync(join(root, industry))
          .filter((f) => /^tests\..*\.jsonl$/.test(f))
          .flatMap((f) => jsonl<{ text: string }>(join(root, industry, f))),
        ...(industry === 'retail'
          ? ['replay', 'replay2', 'replay3'].flatMap((set) =>
              jsonl<{ text: string }>(join(routing, `${set}.zh-CN.jsonl`)),
            )
          : []),
      ].map((l) => l.text);
      const near = nearIndex(heldOut);
      for (const e of examples) expect(near(e.text), `example repeats a held-out line: ${e.text}`).toBeNull();
    });

    it.each(locales)('%s test suite is disjoint from the examples and names real targets', (locale) => {
      const file = join(root, industry, `tests.${locale}.jsonl`);
      if (!existsSync(file)) {
        expect(locale, `${industry} needs tests.zh-CN.jsonl`).toBe('en-US');
        return;
      }
      const t = byLocale[locale];
      const targets = new Set(['oos', ...t.faqs.map((f) => `faq:${f.id}`), ...t.intents.map((i) => i.name)]);
      const examples = new Set(
        [...t.faqs.flatMap((f) => [f.question, ...f.similar]), ...t.intents.flatMap((i) => i.examples)].map(
          (e) => normalise(e),
        ),
      );
      const lines = readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => l.trim())
        .map((l) => JSON.parse(l) as { text: string; expect: string });
      const minimum = locale === 'zh-CN' ? (industry === 'retail' ? 150 : 60) : 0;
      expect(lines.length).toBeGreaterThanOrEqual(minimum);
      const originals = [
        ...t.faqs.flatMap((f) => [f.question, ...f.similar]),
        ...t.intents.flatMap((i) => i.examples),
        // The engine trains every bot on these too, so they are training data like the template's own.
        ...OUT_OF_SCOPE_EXAMPLES.zh,
        ...OUT_OF_SCOPE_EXAMPLES.en,
        ...(t.outOfScope ?? []),
      ];
      for (const line of lines) {
        expect(targets.has(line.expect), `unknown target ${line.expect}`).toBe(true);
        expect(examples.has(normalise(line.text)), `test line repeats an example: ${line.text}`).toBe(false);
        const near = originals.find((e) => nearDuplicate(e, line.text));
        expect(near, `test line nearly repeats an example: ${line.text}`).toBeUndefined();
      }
    });
  });
});
