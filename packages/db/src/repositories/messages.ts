import type { Attachment, Message, MessageAuthor, MessageMetadata, WorkspaceRepositories } from '@zhike/core';
import type { Selectable } from 'kysely';
import type { PersonalDataCodec } from '../personalData.ts';
import type { MessagesTable } from '../schema.ts';
import { openTranslation, sealTranslation } from './languages.ts';
import { parseList, type Scope } from './scope.ts';

export const MESSAGE_TEXT_FIELD = 'messages.text';
export const ATTACHMENTS_FIELD = 'messages.attachments';

// File names are personal data too: a list with entries is sealed like the text; `[]` stays as it is.
const sealAttachments = (codec: PersonalDataCodec, list: Attachment[]): string =>
  list.length === 0 ? '[]' : codec.seal(JSON.stringify(list), ATTACHMENTS_FIELD);
const openAttachments = (codec: PersonalDataCodec, stored: string): Attachment[] =>
  parseList<Attachment>(stored.startsWith('[') ? stored : codec.open(stored, ATTACHMENTS_FIELD));

export function toMessage(codec: PersonalDataCodec, row: Selectable<MessagesTable>): Message {
  return {
    id: row.id,
    workspaceId: row.workspaceId,
    conversationId: row.conversationId,
    inboxId: row.inboxId,
    author: row.author as MessageAuthor,
    authorUserId: row.authorUserId,
    text: codec.open(row.text, MESSAGE_TEXT_FIELD),
    attachments: openAttachments(codec, row.attachments),
    ...(row.metadata ? { metadata: JSON.parse(row.metadata) as MessageMetadata } : {}),
    ...(row.language ? { language: row.language } : {}),
    ...(row.translation ? { translation: openTranslation(codec, row.translation) } : {}),
    idempotencyKey: row.idempotencyKey,
    clientMessageId: row.clientMessageId,
    createdAt: row.createdAt,
  };
}

export function messagesRepository(s: Scope): WorkspaceRepositories['messages'] {
  const scoped = () => s.db.selectFrom('messages').selectAll().where('workspaceId', '=', s.workspaceId);
  // Message text belongs to the conversation's customer and is sealed with their key, so erasing them
  // shreds it. Without a conversation row (never expected) the workspace key is used.
  const codecFor = async (conversationId: string): Promise<PersonalDataCodec> => {
    const conversation = await s.db
      .selectFrom('conversations')
      .select('customerId')
      .where('workspaceId', '=', s.workspaceId)
      .where('id', '=', conversationId)
      .executeTakeFirst();
    return conversation ? s.customerCodec(conversation.customerId) : s.codec();
  };
  return {
    async get(id) {
      const row = await scoped().where('id', '=', id).executeTakeFirst();
      return row ? toMessage(await codecFor(row.conversationId), row) : null;
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
      const codec = await codecFor(conversationId);
      return rows.reverse().map((r) => toMessage(codec, r));
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
      const codec = await codecFor(conversationId);
      return rows.map((r) => toMessage(codec, r));
    },
    async listForCustomer(customerId, { after, limit }) {
      let q = s.db
        .selectFrom('messages as m')
        .innerJoin('conversations as c', 'c.id', 'm.conversationId')
        .selectAll('m')
        .where('m.workspaceId', '=', s.workspaceId)
        .where('c.workspaceId', '=', s.workspaceId)
        .where('c.customerId', '=', customerId);
      if (after) {
        const pivot = await scoped().where('id', '=', after).executeTakeFirst();
        if (!pivot) return [];
        q = q.where((eb) =>
          eb.or([
            eb('m.createdAt', '>', pivot.createdAt),
            eb.and([eb('m.createdAt', '=', pivot.createdAt), eb('m.id', '>', pivot.id)]),
          ]),
        );
      }
      const rows = await q.orderBy('m.createdAt', 'asc').orderBy('m.id', 'asc').limit(limit).execute();
      // All of one customer's: sealed with their key (or, for older rows, the workspace's; it opens both).
      const codec = await s.customerCodec(customerId);
      return rows.map((r) => toMessage(codec, r));
    },
    async findByIdempotencyKey(inboxId, key) {
      const row = await scoped()
        .where('inboxId', '=', inboxId)
        .where('idempotencyKey', '=', key)
        .executeTakeFirst();
      return row ? toMessage(await codecFor(row.conversationId), row) : null;
    },
    async insert(m) {
      const codec = await codecFor(m.conversationId);
      await s.db
        .insertInto('messages')
        .values({
          id: m.id,
          workspaceId: s.workspaceId,
          conversationId: m.conversationId,
          inboxId: m.inboxId,
          author: m.author,
          authorUserId: m.authorUserId,
          text: codec.seal(m.text, MESSAGE_TEXT_FIELD),
          attachments: sealAttachments(codec, m.attachments),
          metadata: m.metadata ? JSON.stringify(m.metadata) : null,
          language: m.language ?? null,
          translation: m.translation ? sealTranslation(codec, m.translation) : null,
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
