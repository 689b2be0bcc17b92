// A template's files as the server reads them: the dialogue file with its hand-off examples
// (templates/<id>/<locale>.json, escalation.<locale>.jsonl), its default routing rules (routing.json) and
// its human queues (queues.json).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type BotTemplate, HANDOFF_KINDS, type HandoffExample } from '@zhike/bot';
import type { Locale, WorkspaceStore } from '@zhike/core';
import { ensureDefaultQueues, type TemplateQueueSeed, type TemplateRouting } from '@zhike/core';

const TEMPLATE_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

export async function loadTemplate(templatesDir: string, id: string, locale: string): Promise<BotTemplate> {
  if (!TEMPLATE_ID.test(id)) throw new Error(`invalid template id ${JSON.stringify(id)}`);
  const language = locale === 'en-US' ? 'en-US' : 'zh-CN';
  const template = JSON.parse(
    await readFile(join(templatesDir, id, `${language}.json`), 'utf8'),
  ) as BotTemplate;
  const escalation = await loadHandoffExamples(join(templatesDir, id, `escalation.${language}.jsonl`));
  return escalation ? { ...template, escalation } : template;
}

/**
 * A template's labelled hand-off examples (`escalation.<locale>.jsonl`, one `{"text","label"}` a line);
 * null when it has none. A line that is not an example fails the load: a template is shipped code.
 */
export async function loadHandoffExamples(file: string): Promise<HandoffExample[] | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  return text.split('\n').flatMap((line, i) => {
    if (line.trim() === '') return [];
    const example = JSON.parse(line) as Partial<HandoffExample>;
    if (typeof example.text !== 'string' || !HANDOFF_KINDS.some((k) => k === example.label))
      throw new Error(`${file}:${i + 1}: not a {"text","label"} hand-off example`);
    return [{ text: example.text, label: example.label as HandoffExample['label'] }];
  });
}

/** A template's default routing rules (templates/<id>/routing.json); none when the template has none. */
export async function loadTemplateRouting(templatesDir: string, id: string): Promise<TemplateRouting> {
  if (!TEMPLATE_ID.test(id)) throw new Error(`invalid template id ${JSON.stringify(id)}`);
  try {
    return JSON.parse(await readFile(join(templatesDir, id, 'routing.json'), 'utf8')) as TemplateRouting;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { rules: [] };
    throw error;
  }
}

/** A queue as templates/<id>/queues.json declares it: the name in each locale. */
interface TemplateQueueFile {
  queues: (Omit<TemplateQueueSeed, 'name'> & { name: Record<Locale, string> })[];
}

/**
 * Creates the template's human queues (templates/<id>/queues.json, or the general + complaints pair when
 * it has none) the first time a workspace's bot is set up; a no-op costing one read afterwards. A file of
 * its own, like routing.json: the template's dialogue file (what the NLU trains on) stays as it is.
 */
export async function seedTemplateQueues(
  store: WorkspaceStore,
  templatesDir: string,
  template: { id: string; locale: string },
  deps: { newId: () => string; at: string },
): Promise<void> {
  if (!TEMPLATE_ID.test(template.id)) throw new Error(`invalid template id ${JSON.stringify(template.id)}`);
  const locale: Locale = template.locale === 'en-US' ? 'en-US' : 'zh-CN';
  let file: TemplateQueueFile | null = null;
  try {
    file = JSON.parse(
      await readFile(join(templatesDir, template.id, 'queues.json'), 'utf8'),
    ) as TemplateQueueFile;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await ensureDefaultQueues(
    store,
    {
      templateId: template.id,
      locale,
      queues: file?.queues.map((q) => ({ ...q, name: q.name[locale] })),
    },
    deps,
  );
}
