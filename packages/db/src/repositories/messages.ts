import type { Attachment, Message, MessageAuthor, WorkspaceRepositories } from '@zhike/core';
import type { Selectable } from 'kysely';
import type { MessagesTable } from '../schema.ts';
import { parseList, type Scope } from './scope.ts';

export function toMessage(s: Scope, row: Selectable<MessagesTable>): Message {
  return {
    id: row.id,
    workspaceId: row.workspaceId,
    conversationId: row.conversationId,
    inboxId: row.inboxId,
    author: row.author as MessageAuthor,
    authorUserId: row.authorUserId,
    text: s.codec.open(row.text),
    attachments: parseList<Attachment>(row.attachments),
    idempotencyKey: row.idempotencyKey,
    clientMessageId: row.clientMessageId,
    createdAt: row.createdAt,
  };
}

export function messagesRepository(s: Scope): WorkspaceRepositories['messages'] {
  const scoped = () => s.db.selectFrom('messages').selectAll().where('workspaceId', '=', s.workspaceId);
  return {
    async get(id) {
      const row = await scoped().where('id', '=', id).executeTakeFirst();
      return row ? toMessage(s, row) : null;
    },
    async list(conversationId, { before, limit }) {
      let q = scoped().where('conversationId', '=', conversationId);
      if (before) {
        const pivot = await scoped()
          .where('id', '=', before)
          .where('conversationId', '=', conversationId)
          .executeTakeFirst();
        if (!pivot) return [];
        q = q.where((eb) =>
          eb.or([
            eb('createdAt', '<', pivot.createdAt),
            eb.and([eb('createdAt', '=', pivot.createdAt), eb('id', '<', pivot.id)]),
          ]),
        );
      }
      const rows = await q.orderBy('createdAt', 'desc').orderBy('id', 'desc').limit(limit).execute();
      return rows.reverse().map((r) => toMessage(s, r));
    },
    async listAfter(conversationId, afterId, limit) {
      let q = scoped().where('conversationId', '=', conversationId);
      if (afterId) {
        const pivot = await scoped()
          .where('id', '=', afterId)
          .where('conversationId', '=', conversationId)
          .executeTakeFirst();
        if (pivot) {
          q = q.where((eb) =>
            eb.or([
              eb('createdAt', '>', pivot.createdAt),
              eb.and([eb('createdAt', '=', pivot.createdAt), eb('id', '>', pivot.id)]),
            ]),
          );
        }
      }
      const rows = await q.orderBy('createdAt', 'asc').orderBy('id', 'asc').limit(limit).execute();
      return rows.map((r) => toMessage(s, r));
    },
    async findByIdempotencyKey(inboxId, key) {
      const row = await scoped()
        .where('inboxId', '=', inboxId)
        .where('idempotencyKey', '=', key)
        .executeTakeFirst();
      return row ? toMessage(s, row) : null;
    },
    async insert(m) {
      await s.db
        .insertInto('messages')
        .values({
          id: m.id,
          workspaceId: s.workspaceId,
          conversationId: m.conversationId,
          inboxId: m.inboxId,
          author: m.author,
          authorUserId: m.authorUserId,
          text: s.codec.seal(m.text),
          attachments: JSON.stringify(m.attachments),
          idempotencyKey: m.idempotencyKey,
          clientMessageId: m.clientMessageId,
          createdAt: m.createdAt,
        })
        .execute();
    },
    async countByAuthor(conversationId, author) {
      const row = await s.db
        .selectFrom('messages')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('workspaceId', '=', s.workspaceId)
        .where('conversationId', '=', conversationId)
        .where('author', '=', author)
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },
  };
}
