// Agent assist's reply suggestions for one app: the history index of each workspace (built on first use,
// rebuilt in the background when conversations are resolved, rated or reopened, or feedback arrives —
// the old index keeps serving meanwhile, so no agent waits for a rebuild), and the ranking of a customer
// message against it, the workspace's knowledge base and its reply templates.
import {
  buildReplyHistoryIndex,
  type Conversation,
  type HistoryReply,
  type LabelledReply,
  type Message,
  type RecommendedReplies,
  type ReplyHistoryIndex,
  recommendReplies,
} from '@zhike/core';
import type { Database } from '@zhike/db';
import type { Logger } from 'pino';
import type { TemplateBot } from '../bot/templateBot.ts';
import { replyFiller, replyTemplatesOf } from './replySources.ts';
import { noUnderstanding, understandForAssist } from './understanding.ts';

export interface ReplySuggestionsDeps {
  db: Database;
  bot: TemplateBot;
  log: Logger;
  /** How many of the newest well-ended conversations the history index learns from. */
  historyConversations: number;
}

export interface TimedSuggestions extends RecommendedReplies {
  /** Time spent ranking them, in this process. */
  latencyMs: number;
}

export interface ReplySuggestions {
  forMessage(
    workspaceId: string,
    input: { conversation: Conversation; message: Message; agentId: string | null },
  ): Promise<TimedSuggestions>;
  /** For the conversation's latest customer message; null when the customer has not written. */
  latest(
    workspaceId: string,
    conversationId: string,
    agentId: string | null,
  ): Promise<TimedSuggestions | null>;
  /** The workspace's history index (waits for a rebuild under way, so tests and the bench see fresh data). */
  history(workspaceId: string, options?: { fresh?: boolean }): Promise<ReplyHistoryIndex>;
  /** Marks the workspace's history as changed: the next use rebuilds it in the background. */
  invalidate(workspaceId: string): void;
}

interface CacheEntry {
  index: Promise<ReplyHistoryIndex>;
  rebuilding: Promise<ReplyHistoryIndex> | null;
  stale: boolean;
  /** Intent of each customer message already read, so rebuilds only run the NLU on new ones. */
  labels: Map<string, string | null>;
}

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
/** Customer messages understood per event-loop turn while labelling history (keeps requests flowing). */
const LABEL_BATCH = 25;
/** How far back the latest customer message is looked for. */
const LATEST_WINDOW = 50;

export function createReplySuggestions(deps: ReplySuggestionsDeps): ReplySuggestions {
  const cache = new Map<string, CacheEntry>();

  const localeOf = async (workspaceId: string) =>
    (await deps.db.forWorkspace(workspaceId).workspace.get()).locale;

  async function build(workspaceId: string, labels: Map<string, string | null>): Promise<ReplyHistoryIndex> {
    const store = deps.db.forWorkspace(workspaceId);
    const rows: HistoryReply[] = await store.assist.historyReplies({ limit: deps.historyConversations });
    const bot = (await deps.bot.compiled(workspaceId, await localeOf(workspaceId)))?.bot ?? null;
    const labelled: LabelledReply[] = [];
    const seen = new Set<string>();
    let read = 0;
    for (const row of rows) {
      seen.add(row.customerMessageId);
      if (!labels.has(row.customerMessageId)) {
        const understanding = bot
          ? await understandForAssist(bot, row.customerText, new Date())
          : noUnderstanding;
        labels.set(row.customerMessageId, understanding.intent);
        if (++read % LABEL_BATCH === 0) await yieldToLoop();
      }
      labelled.push({ ...row, intent: labels.get(row.customerMessageId) ?? null });
    }
    // Messages that left the history (erased, purged, reopened) leave the label cache too.
    for (const id of labels.keys()) if (!seen.has(id)) labels.delete(id);
    return buildReplyHistoryIndex(labelled);
  }

  function history(workspaceId: string, options: { fresh?: boolean } = {}): Promise<ReplyHistoryIndex> {
    let entry = cache.get(workspaceId);
    if (!entry) {
      const labels = new Map<string, string | null>();
      const index = build(workspaceId, labels);
      const created: CacheEntry = { index, rebuilding: null, stale: false, labels };
      cache.set(workspaceId, created);
      index.catch((err: unknown) => {
        if (cache.get(workspaceId) === created) cache.delete(workspaceId);
        deps.log.warn({ err, workspaceId }, 'reply history index failed');
      });
      return index;
    }
    if (entry.stale && !entry.rebuilding) {
      const current = entry;
      current.stale = false;
      current.rebuilding = build(workspaceId, current.labels);
      current.rebuilding.then(
        (index) => {
          current.index = Promise.resolve(index);
          current.rebuilding = null;
        },
        (err: unknown) => {
          current.stale = true;
          current.rebuilding = null;
          deps.log.warn({ err, workspaceId }, 'reply history rebuild failed');
        },
      );
      entry = current;
    }
    return options.fresh && entry.rebuilding ? entry.rebuilding : entry.index;
  }

  async function forMessage(
    workspaceId: string,
    input: { conversation: Conversation; message: Message; agentId: string | null },
  ): Promise<TimedSuggestions> {
    const started = performance.now();
    const store = deps.db.forWorkspace(workspaceId);
    // Turned off for the workspace: nothing is ranked, shown or counted as shown.
    if (!(await store.assistSettings.get()).enabled)
      return {
        conversationId: input.conversation.id,
        messageId: input.message.id,
        intent: null,
        suggestions: [],
        latencyMs: 0,
      };
    const now = new Date();
    const locale = await localeOf(workspaceId);
    const bot = deps.bot.compiled(workspaceId, locale).then((c) => c?.bot ?? null);
    const fill = replyFiller(deps, store, input.conversation, input.agentId);
    const recommended = await recommendReplies(
      {
        understand: async (text) => {
          const compiled = await bot;
          return compiled ? understandForAssist(compiled, text, now) : noUnderstanding;
        },
        templates: () => replyTemplatesOf(store, locale),
        history: () => history(workspaceId),
        earlierCustomerMessages: async (limit) => {
          // Bot answers sit between the customer's messages: a page of a few times the limit holds them.
          const page = await store.messages.list(input.conversation.id, {
            before: input.message.id,
            limit: limit * 3,
          });
          return page
            .filter((m) => m.author === 'customer')
            .reverse()
            .slice(0, limit);
        },
        fill,
        now,
      },
      { conversation: input.conversation, message: input.message },
    );
    return { ...recommended, latencyMs: Math.round(performance.now() - started) };
  }

  return {
    forMessage,
    async latest(workspaceId, conversationId, agentId) {
      const store = deps.db.forWorkspace(workspaceId);
      const conversation = await store.conversations.get(conversationId);
      if (!conversation) return null;
      const recent = await store.messages.list(conversationId, { limit: LATEST_WINDOW });
      const message = recent.findLast((m) => m.author === 'customer');
      return message ? forMessage(workspaceId, { conversation, message, agentId }) : null;
    },
    history,
    invalidate(workspaceId) {
      const entry = cache.get(workspaceId);
      if (entry) entry.stale = true;
    },
  };
}
