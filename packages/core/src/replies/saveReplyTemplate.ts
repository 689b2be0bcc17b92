// An admin creates or edits a reply template: normalised, checked field by field (shortcut, intents the
// bot template knows, variables), then stored; an edited industry template becomes the shop's own.
import type { WorkspaceRepositories } from '../ports.ts';
import {
  checkReplyTemplate,
  normaliseReplyInput,
  type ReplyProblem,
  type ReplyTemplate,
  type ReplyTemplateInput,
} from './replyTemplates.ts';

export type SaveReplyTemplateResult =
  | { ok: true; template: ReplyTemplate }
  | { ok: false; problems: ReplyProblem[] }
  | { ok: false; notFound: true };

const taken = (shortcut: string): ReplyProblem[] => [
  { path: 'shortcut', message: `another reply template uses /${shortcut}` },
];

export async function saveReplyTemplate(
  deps: {
    store: Pick<WorkspaceRepositories, 'replyTemplates'>;
    newId: () => string;
    at: string;
    /** The bot template's intents and variable keys; absent when no bot is set up (nothing to check against). */
    known?: { intents?: ReadonlySet<string>; shopVariables?: readonly string[] };
  },
  input: { id: string | null; template: ReplyTemplateInput; userId: string | null },
): Promise<SaveReplyTemplateResult> {
  const { store } = deps;
  const current = input.id === null ? null : await store.replyTemplates.get(input.id);
  if (input.id !== null && (!current || current.archivedAt !== null)) return { ok: false, notFound: true };
  const template = normaliseReplyInput(input.template);
  const problems = checkReplyTemplate(template, deps.known);
  if (problems.length > 0) return { ok: false, problems };
  const holder = await store.replyTemplates.findByShortcut(template.shortcut);
  if (holder && holder.id !== input.id) return { ok: false, problems: taken(template.shortcut) };

  if (input.id === null) {
    const created = await store.replyTemplates.create({
      ...template,
      id: deps.newId(),
      createdBy: input.userId,
      createdAt: deps.at,
      updatedAt: deps.at,
    });
    // A concurrent writer took the shortcut between the check and the insert.
    return created ? { ok: true, template: created } : { ok: false, problems: taken(template.shortcut) };
  }
  const updated = await store.replyTemplates.update(input.id, template, deps.at);
  if (updated === 'not_found') return { ok: false, notFound: true };
  if (updated === 'shortcut_taken') return { ok: false, problems: taken(template.shortcut) };
  return { ok: true, template: updated };
}
