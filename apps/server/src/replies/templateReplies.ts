// An industry template's canned replies (templates/<id>/replies.json, each reply in both locales), seeded
// into a workspace with the template's knowledge base and routing rules.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Locale, seedTemplateReplies, type TemplateReplies, type WorkspaceStore } from '@zhike/core';

const TEMPLATE_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** None when the template ships no replies file. */
export async function loadTemplateReplies(templatesDir: string, id: string): Promise<TemplateReplies> {
  if (!TEMPLATE_ID.test(id)) throw new Error(`invalid template id ${JSON.stringify(id)}`);
  try {
    return JSON.parse(await readFile(join(templatesDir, id, 'replies.json'), 'utf8')) as TemplateReplies;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { replies: [] };
    throw error;
  }
}

/** Seeds the template's replies once per template and locale; a no-op costing one read afterwards. */
export async function seedTemplateRepliesFrom(
  store: WorkspaceStore,
  templatesDir: string,
  template: { id: string; locale: Locale },
  deps: { newId: () => string; at: string },
): Promise<boolean> {
  return seedTemplateReplies(
    { store, newId: deps.newId },
    {
      templateId: template.id,
      locale: template.locale,
      replies: await loadTemplateReplies(templatesDir, template.id),
      at: deps.at,
    },
  );
}
