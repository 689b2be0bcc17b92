// An admin retires a reply template: it leaves agents' lists and frees its shortcut, but stays on record
// (suggestion history may still name it).
import type { WorkspaceRepositories } from '../ports.ts';
import type { ReplyTemplate } from './replyTemplates.ts';

/** Null when the workspace has no such live template. */
export async function archiveReplyTemplate(
  deps: { store: Pick<WorkspaceRepositories, 'replyTemplates'>; at: string },
  input: { id: string },
): Promise<ReplyTemplate | null> {
  return deps.store.replyTemplates.archive(input.id, deps.at);
}
