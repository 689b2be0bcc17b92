// Datasets for evaluation: JSON Lines of {"text", "label"} (or {"text", "expect"}, the industry templates'
// test suites), parsed with line-numbered errors; or an industry template's JSON, whose FAQ questions and
// intent examples are its training data.
import { readFile } from 'node:fs/promises';
import type { IntentExample } from '../intent/model.ts';

export class DatasetError extends Error {}

export function parseJsonl(content: string, source: string): IntentExample[] {
  const examples: IntentExample[] = [];
  const lines = content.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new DatasetError(`${source}:${i + 1}: not valid JSON`);
    }
    const row = (typeof value === 'object' && value !== null ? value : {}) as {
      text?: unknown;
      label?: unknown;
      expect?: unknown;
    };
    const label = row.label ?? row.expect;
    if (typeof row.text !== 'string' || typeof label !== 'string') {
      throw new DatasetError(
        `${source}:${i + 1}: expected an object with string "text" and "label" (or "expect")`,
      );
    }
    examples.push({ text: row.text, label });
  }
  return examples;
}

interface TemplateShape {
  faqs: { id: string; question: string; similar?: string[] }[];
  intents: { name: string; examples: string[] }[];
}

function isTemplate(value: unknown): value is TemplateShape {
  const t = value as Partial<TemplateShape> | null;
  return typeof t === 'object' && t !== null && Array.isArray(t.faqs) && Array.isArray(t.intents);
}

/** An industry template's utterances as training examples: `faq:<id>` for FAQs, the intent name otherwise. */
export function templateExamples(content: string, source: string): IntentExample[] {
  let value: unknown;
  try {
    value = JSON.parse(content);
  } catch {
    throw new DatasetError(`${source}: not valid JSON`);
  }
  if (!isTemplate(value)) throw new DatasetError(`${source}: expected a template with "faqs" and "intents"`);
  return [
    ...value.faqs.flatMap((f) =>
      [f.question, ...(f.similar ?? [])].map((text) => ({ text, label: `faq:${f.id}` })),
    ),
    ...value.intents.flatMap((i) => i.examples.map((text) => ({ text, label: i.name }))),
  ];
}

export async function readJsonl(path: string): Promise<IntentExample[]> {
  let content: string;
  try {
    content = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new DatasetError(code === 'ENOENT' ? `${path}: file not found` : `${path}: cannot read (${code})`);
  }
  const examples = path.endsWith('.json') ? templateExamples(content, path) : parseJsonl(content, path);
  if (examples.length === 0) throw new DatasetError(`${path}: no examples`);
  return examples;
}
