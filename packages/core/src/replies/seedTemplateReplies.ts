// An industry template's canned replies become the workspace's with its knowledge base and routing rules
// (on the bot's compile for that template); replies the shop wrote or edited stay.
import type { Locale } from '../model.ts';
import type { WorkspaceRepositories } from '../ports.ts';
import { normaliseReplyInput, type TemplateReplies } from './replyTemplates.ts';

export async function seedTemplateReplies(
  deps: { store: Pick<WorkspaceRepositories, 'replyTemplates'>; newId: () => string },
  input: { templateId: string; locale: Locale; replies: TemplateReplies; at: string },
): Promise<boolean> {
  const replies = input.replies.replies.map((reply) => ({
    ...normaliseReplyInput({
      shortcut: reply.shortcut,
      title: reply.title[input.locale],
      body: reply.body[input.locale],
      intents: reply.intents,
      compliance: reply.compliance,
      locale: input.locale,
    }),
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
