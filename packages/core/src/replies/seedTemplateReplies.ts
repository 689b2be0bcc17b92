// An industry template's canned replies become the workspace's with its knowledge base and routing rules
// (on the bot's compile for that template); replies the shop wrote or edited stay.
import type { Locale } from '../model.ts';
import type { WorkspaceRepositories } from '../ports.ts';
import { normaliseReplyInput, type TemplateReply } from './replyTemplates.ts';

export async function seedTemplateReplies(
  deps: { store: Pick<WorkspaceRepositories, 'replyTemplates'>; newId: () => string },
  input: { templateId: string; locale: Locale; replies: readonly TemplateReply[]; at: string },
): Promise<boolean> {
  const replies = input.replies.map((reply) => ({
    ...normaliseReplyInput({ ...reply, locale: input.locale }),
    id: deps.newId(),
    createdAt: input.at,
    updatedAt: input.at,
  }));
  return deps.store.replyTemplates.seedTemplateReplies(
    `${input.templateId}/${input.locale}`,
    replies,
    input.at,
  );
}
