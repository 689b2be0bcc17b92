// JSON Lines datasets of {"text", "label"}: parsing with line-numbered errors.
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
    if (
      typeof value !== 'object' ||
      value === null ||
      typeof (value as { text?: unknown }).text !== 'string' ||
      typeof (value as { label?: unknown }).label !== 'string'
    ) {
      throw new DatasetError(`${source}:${i + 1}: expected an object with string "text" and "label"`);
    }
    const { text, label } = value as IntentExample;
    examples.push({ text, label });
  }
  return examples;
}

export async function readJsonl(path: string): Promise<IntentExample[]> {
  let content: string;
  try {
    content = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new DatasetError(code === 'ENOENT' ? `${path}: file not found` : `${path}: cannot read (${code})`);
  }
  const examples = parseJsonl(content, path);
  if (examples.length === 0) throw new DatasetError(`${path}: no examples`);
  return examples;
}
