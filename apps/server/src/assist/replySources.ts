// Where suggestions get the shop's reply templates and this conversation's variable values from: the
// reply templates context (canned replies) owns both, so a suggestion fills exactly like a `/shortcut`.
import {
  type Conversation,
  fillReplyVariables,
  type Locale,
  type ReplyContext,
  type TemplateCandidate,
  type WorkspaceStore,
} from '@zhike/core';
import type { AppContext } from '../context.ts';
import { replyContextFor } from '../replies/replyContext.ts';

/** The workspace's live templates in its language. */
export async function replyTemplatesOf(
  store: WorkspaceStore,
  locale: Locale,
): Promise<readonly TemplateCandidate[]> {
  return (await store.replyTemplates.list()).filter((t) => t.locale === locale);
}

/** Fills `{{variables}}` from the conversation's reply context, loaded once on first use. */
export function replyFiller(
  ctx: Pick<AppContext, 'bot'>,
  store: WorkspaceStore,
  conversation: Conversation,
  agentId: string | null,
): (text: string) => Promise<{ text: string; missing: string[] }> {
  let context: Promise<ReplyContext | null> | null = null;
  return async (text) => {
    context ??= replyContextFor(ctx, store, { conversationId: conversation.id, agentId });
    const loaded = await context;
    return loaded ? fillReplyVariables(text, loaded) : { text, missing: [] };
  };
}
