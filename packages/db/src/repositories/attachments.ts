// Rows of the files sent in conversations (migration 0010). The bytes live encrypted on disk (the server's
// attachment store); the file name and the file's key are sealed with the owning customer's key.
import type {
  AttachmentMetadata,
  AttachmentRecord,
  AttachmentUploader,
  WorkspaceRepositories,
} from '@zhike/core';
import type { Selectable } from 'kysely';
import type { PersonalDataCodec } from '../personalData.ts';
import type { AttachmentsTable } from '../schema.ts';
import type { Scope } from './scope.ts';

export const ATTACHMENT_FIELDS = { name: 'attachments.name', fileKey: 'attachments.file_key' } as const;

export const toAttachmentMetadata = (
  codec: PersonalDataCodec,
  row: Selectable<AttachmentsTable>,
): AttachmentMetadata => ({
  id: row.id,
  conversationId: row.conversationId,
  customerId: row.customerId,
  messageId: row.messageId,
  uploadedBy: row.uploadedBy as AttachmentUploader,
  name: codec.open(row.name, ATTACHMENT_FIELDS.name),
  mimeType: row.mimeType,
  size: Number(row.size),
  createdAt: row.createdAt,
});

export function attachmentsRepository(s: Scope): WorkspaceRepositories['attachments'] {
  const scoped = () => s.db.selectFrom('attachments').selectAll().where('workspaceId', '=', s.workspaceId);
  return {
    async create(a: AttachmentRecord) {
      const codec = await s.customerCodec(a.customerId);
      await s.db
        .insertInto('attachments')
        .values({
          id: a.id,
          workspaceId: s.workspaceId,
          conversationId: a.conversationId,
          customerId: a.customerId,
          messageId: a.messageId,
          uploadedBy: a.uploadedBy,
          name: codec.seal(a.name, ATTACHMENT_FIELDS.name),
          fileKey: codec.seal(a.fileKey, ATTACHMENT_FIELDS.fileKey),
          mimeType: a.mimeType,
          size: a.size,
          createdAt: a.createdAt,
        })
        .execute();
    },
    async get(id) {
      const row = await scoped().where('id', '=', id).executeTakeFirst();
      if (!row) return null;
      const codec = await s.customerCodec(row.customerId);
      return {
        ...toAttachmentMetadata(codec, row),
        fileKey: codec.open(row.fileKey, ATTACHMENT_FIELDS.fileKey),
      };
    },
    async linkMessage(id, messageId) {
      await s.db
        .updateTable('attachments')
        .set({ messageId })
        .where('workspaceId', '=', s.workspaceId)
        .where('id', '=', id)
        .execute();
    },
    async olderThan(before, limit) {
      const rows = await scoped().where('createdAt', '<', before).orderBy('createdAt').limit(limit).execute();
      const result: AttachmentMetadata[] = [];
      for (const row of rows) result.push(toAttachmentMetadata(await s.customerCodec(row.customerId), row));
      return result;
    },
    async delete(id) {
      const result = await s.db
        .deleteFrom('attachments')
        .where('workspaceId', '=', s.workspaceId)
        .where('id', '=', id)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
  };
}
