// Wires the core's reply context to this server: orders are looked up where the bot looks them up (the
// shop's connector, else the orders table) and the shop's variables come from the compiled bot.
import { OrderLookupUnavailable, templateVariableValues } from '@zhike/bot';
import {
  buildReplyContext,
  type Locale,
  type ReplyContext,
  type ReplyContextDeps,
  type WorkspaceStore,
} from '@zhike/core';
import { lookupOrderFor } from '../bot/orderLookup.ts';
import type { AppContext } from '../context.ts';

export function replyContextDeps(
  ctx: Pick<AppContext, 'bot'>,
  store: WorkspaceStore,
  locale: Locale,
): ReplyContextDeps {
  return {
    store,
    async findOrder(number, customerId) {
      try {
        return await lookupOrderFor(store, { customerId })(number);
      } catch (error) {
        // The shop's system cannot answer now: the reply shows the order's fields for the agent to fill.
        if (error instanceof OrderLookupUnavailable) return null;
        throw error;
      }
    },
    async shopVariables() {
      const compiled = await ctx.bot.compiled(store.workspaceId, locale);
      return compiled ? templateVariableValues(compiled.bot.template, compiled.settings.variables) : {};
    },
  };
}

/** The reply context of one conversation for the agent writing; null when the workspace has no such conversation. */
export async function replyContextFor(
  ctx: Pick<AppContext, 'bot'>,
  store: WorkspaceStore,
  input: { conversationId: string; agentId: string | null },
): Promise<ReplyContext | null> {
  const workspace = await store.workspace.get();
  return buildReplyContext(replyContextDeps(ctx, store, workspace.locale), input);
}
