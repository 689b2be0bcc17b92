// The reply templates an agent picks from: live ones, narrowed by what they typed (`/ref` or words of the
// title or body), the closest first — a shortcut that starts with the query before one that contains it.
import type { WorkspaceRepositories } from '../ports.ts';
import type { ReplyTemplate } from './replyTemplates.ts';

/** 0 = shortcut starts with the query … 3 = only the body mentions it; null = no match. */
function rank(template: ReplyTemplate, query: string): number | null {
  if (template.shortcut.startsWith(query)) return 0;
  if (template.shortcut.includes(query)) return 1;
  if (template.title.toLowerCase().includes(query)) return 2;
  if (template.body.toLowerCase().includes(query)) return 3;
  return null;
}

export function searchReplyTemplates(templates: readonly ReplyTemplate[], q: string): ReplyTemplate[] {
  const query = q.trim().replace(/^\//, '').toLowerCase();
  if (query === '') return [...templates];
  return templates
    .map((template) => ({ template, rank: rank(template, query) }))
    .filter((r): r is { template: ReplyTemplate; rank: number } => r.rank !== null)
    .sort((a, b) => a.rank - b.rank || a.template.shortcut.localeCompare(b.template.shortcut))
    .map((r) => r.template);
}

export async function listReplyTemplates(
  store: Pick<WorkspaceRepositories, 'replyTemplates'>,
  options: { q?: string; includeArchived?: boolean; limit?: number } = {},
): Promise<ReplyTemplate[]> {
  const all = await store.replyTemplates.list({ includeArchived: options.includeArchived ?? false });
  const found = options.q ? searchReplyTemplates(all, options.q) : all;
  return options.limit === undefined ? found : found.slice(0, options.limit);
}
