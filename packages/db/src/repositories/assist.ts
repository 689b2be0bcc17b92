// Agent assist storage (migration 0019): conversations' survey results, agents' verdicts on reply
// suggestions, and the read model the history of good replies is built from — confined to the scope's
// workspace. The survey comment is the customer's words: sealed with their own key like messages.
import type {
  HistoryReply,
  ShownSuggestion,
  SuggestionAction,
  SuggestionFeedback,
  WorkspaceRepositories,
} from '@zhike/core';
import type { Selectable } from 'kysely';
import { openNullable, type PersonalDataCodec } from '../personalData.ts';
import type { SuggestionFeedbackTable } from '../schema.ts';
import { F } from './customers.ts';
import { MESSAGE_TEXT_FIELD } from './messages.ts';
import { parseList, type Scope } from './scope.ts';

export const CSAT_COMMENT_FIELD = 'conversations.csat_comment';

const toFeedback = (r: Selectable<SuggestionFeedbackTable>): SuggestionFeedback => ({
  id: r.id,
  conversationId: r.conversationId,
  messageId: r.messageId,
  userId: r.userId,
  intent: r.intent,
  suggestions: parseList<ShownSuggestion>(r.suggestions),
  action: r.action as SuggestionAction,
  chosenRank: r.chosenRank === null ? null : Number(r.chosenRank),
  sentMessageId: r.sentMessageId,
  editRatio: r.editRatio === null ? null : Number(r.editRatio) / 1000,
  latencyMs: r.latencyMs === null ? null : Number(r.latencyMs),
  createdAt: r.createdAt,
});

export function assistRepository(s: Scope): WorkspaceRepositories['assist'] {
  const ws = s.workspaceId;
  const codecs = () => {
    const cache = new Map<string, Promise<PersonalDataCodec>>();
    return (customerId: string) => {
      let codec = cache.get(customerId);
      if (!codec) {
        codec = s.customerCodec(customerId);
        cache.set(customerId, codec);
      }
      return codec;
    };
  };

  return {
    async rate(conversationId, rating) {
      const conversation = await s.db
        .selectFrom('conversations')
        .select('customerId')
        .where('workspaceId', '=', ws)
        .where('id', '=', conversationId)
        .executeTakeFirst();
      if (!conversation) return false;
      const codec = await s.customerCodec(conversation.customerId);
      const result = await s.db
        .updateTable('conversations')
        .set({
          csatScore: rating.score,
          csatComment: rating.comment === null ? null : codec.seal(rating.comment, CSAT_COMMENT_FIELD),
          ratedAt: rating.ratedAt,
        })
        .where('workspaceId', '=', ws)
        .where('id', '=', conversationId)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    async rating(conversationId) {
      const row = await s.db
        .selectFrom('conversations')
        .select(['customerId', 'csatScore', 'csatComment', 'ratedAt'])
        .where('workspaceId', '=', ws)
        .where('id', '=', conversationId)
        .executeTakeFirst();
      if (!row || row.csatScore === null || row.ratedAt === null) return null;
      const codec = await s.customerCodec(row.customerId);
      return {
        score: Number(row.csatScore),
        comment: openNullable(codec, row.csatComment, CSAT_COMMENT_FIELD),
        ratedAt: row.ratedAt,
      };
    },

    async markReopened(conversationId, at) {
      await s.db
        .updateTable('conversations')
        .set({ reopenedAt: at })
        .where('workspaceId', '=', ws)
        .where('id', '=', conversationId)
        .execute();
    },

    async recordFeedback(f) {
      const inserted = await s.db
        .insertInto('suggestionFeedback')
        .values({
          id: f.id,
          workspaceId: ws,
          conversationId: f.conversationId,
          messageId: f.messageId,
          userId: f.userId,
          intent: f.intent,
          suggestions: JSON.stringify(f.suggestions),
          action: f.action,
          chosenRank: f.chosenRank,
          sentMessageId: f.sentMessageId,
          editRatio: f.editRatio === null ? null : Math.round(Math.min(1, Math.max(0, f.editRatio)) * 1000),
          latencyMs: f.latencyMs,
          createdAt: f.createdAt,
        })
        // ON CONFLICT DO NOTHING keeps a PostgreSQL transaction usable after a retried report.
        .onConflict((oc) => oc.columns(['workspaceId', 'messageId', 'userId']).doNothing())
        .returning('id')
        .executeTakeFirst();
      return inserted !== undefined;
    },

    async feedback({ from, to, limit }) {
      const rows = await s.db
        .selectFrom('suggestionFeedback')
        .selectAll()
        .where('workspaceId', '=', ws)
        .where('createdAt', '>=', from)
        .where('createdAt', '<', to)
        .orderBy('createdAt', 'desc')
        .orderBy('id', 'desc')
        .limit(limit)
        .execute();
      return rows.map(toFeedback);
    },

    async historyReplies({ limit }) {
      // The newest conversations that ended well: rated 4–5, or unrated and never reopened.
      const conversations = await s.db
        .selectFrom('conversations as c')
        .leftJoin('customers as p', (j) =>
          j.onRef('p.id', '=', 'c.customerId').onRef('p.workspaceId', '=', 'c.workspaceId'),
        )
        .select(['c.id', 'c.customerId', 'c.csatScore', 'c.updatedAt', 'p.name'])
        .where('c.workspaceId', '=', ws)
        .where('c.status', '=', 'resolved')
        .where((eb) =>
          eb.or([
            eb('c.csatScore', '>=', 4),
            eb.and([eb('c.csatScore', 'is', null), eb('c.reopenedAt', 'is', null)]),
          ]),
        )
        .orderBy('c.updatedAt', 'desc')
        .orderBy('c.id', 'desc')
        .limit(limit)
        .execute();
      if (conversations.length === 0) return [];
      const byId = new Map(conversations.map((c) => [c.id, c]));
      const ids = [...byId.keys()];
      const messages = [];
      // Chunks keep the IN list well under SQLite's and PostgreSQL's parameter limits.
      for (let i = 0; i < ids.length; i += 500)
        messages.push(
          ...(await s.db
            .selectFrom('messages')
            .select(['id', 'conversationId', 'author', 'text', 'createdAt', 'metadata'])
            .where('workspaceId', '=', ws)
            .where('conversationId', 'in', ids.slice(i, i + 500))
            .where('author', 'in', ['customer', 'agent'])
            .orderBy('conversationId')
            .orderBy('createdAt')
            .orderBy('id')
            .execute()),
        );
      // Replies an agent sent from a suggestion, by sent message id.
      const learned = new Map<string, SuggestionAction>();
      for (let i = 0; i < ids.length; i += 500)
        for (const f of await s.db
          .selectFrom('suggestionFeedback')
          .select(['sentMessageId', 'action'])
          .where('workspaceId', '=', ws)
          .where('conversationId', 'in', ids.slice(i, i + 500))
          .where('action', 'in', ['accepted', 'edited'])
          .execute())
          if (f.sentMessageId) learned.set(f.sentMessageId, f.action as SuggestionAction);

      const codecOf = codecs();
      const replies: HistoryReply[] = [];
      let asked: { id: string; conversationId: string; text: string } | null = null;
      for (const m of messages) {
        const c = byId.get(m.conversationId)!;
        if (asked && asked.conversationId !== m.conversationId) asked = null;
        // Notes agents leave for each other are not replies to the customer.
        if (m.metadata && (JSON.parse(m.metadata) as { internal?: boolean }).internal) continue;
        const codec = await codecOf(c.customerId);
        const text = codec.open(m.text, MESSAGE_TEXT_FIELD);
        if (m.author === 'customer') {
          asked = { id: m.id, conversationId: m.conversationId, text };
          continue;
        }
        if (!asked) continue; // an agent's opening words answer nothing the customer asked
        replies.push({
          conversationId: c.id,
          customerMessageId: asked.id,
          customerText: asked.text,
          replyMessageId: m.id,
          replyText: text,
          repliedAt: m.createdAt,
          csatScore: c.csatScore === null ? null : Number(c.csatScore),
          feedback: learned.get(m.id) ?? null,
          customerName: openNullable(codec, c.name, F.name),
        });
      }
      return replies.sort((a, b) => a.repliedAt.localeCompare(b.repliedAt));
    },
  };
}
