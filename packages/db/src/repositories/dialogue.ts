// The owner's dialogue overrides (migration 0012), confined to the scope's workspace. A save inserts the
// next numbered row and never updates one, so the primary key decides which of two concurrent saves wins.
import type { DialogueVersion, WorkspaceRepositories } from '@zhike/core';
import type { Selectable } from 'kysely';
import type { DialogueVersionsTable } from '../schema.ts';
import type { Scope } from './scope.ts';

const toVersion = (row: Selectable<DialogueVersionsTable>): DialogueVersion => ({
  id: row.id,
  version: row.version,
  templateId: row.templateId,
  locale: row.locale,
  document: JSON.parse(row.document) as unknown,
  authorUserId: row.authorUserId,
  restoredFrom: row.restoredFrom,
  createdAt: row.createdAt,
});

export function dialogueRepository(s: Scope): WorkspaceRepositories['dialogue'] {
  const newest = async (): Promise<number> =>
    Number(
      (
        await s.db
          .selectFrom('dialogueVersions')
          .select((eb) => eb.fn.max('version').as('version'))
          .where('workspaceId', '=', s.workspaceId)
          .executeTakeFirst()
      )?.version ?? 0,
    );
  const byNumber = async (version: number): Promise<DialogueVersion | null> => {
    const row = await s.db
      .selectFrom('dialogueVersions')
      .selectAll()
      .where('workspaceId', '=', s.workspaceId)
      .where('version', '=', version)
      .executeTakeFirst();
    return row ? toVersion(row) : null;
  };
  return {
    version: newest,
    async get(id) {
      const row = await s.db
        .selectFrom('dialogueVersions')
        .selectAll()
        .where('workspaceId', '=', s.workspaceId)
        .where('id', '=', id)
        .executeTakeFirst();
      return row ? toVersion(row) : null;
    },
    async current() {
      const version = await newest();
      return version === 0 ? null : byNumber(version);
    },
    async list(limit) {
      const rows = await s.db
        .selectFrom('dialogueVersions')
        .select(['id', 'version', 'templateId', 'locale', 'authorUserId', 'restoredFrom', 'createdAt'])
        .where('workspaceId', '=', s.workspaceId)
        .orderBy('version', 'desc')
        .limit(limit)
        .execute();
      return rows.map((r) => ({ ...r }));
    },
    async save(input, at) {
      if ((await newest()) !== input.baseVersion) return null;
      const row = {
        id: s.newId(),
        workspaceId: s.workspaceId,
        version: input.baseVersion + 1,
        templateId: input.templateId,
        locale: input.locale,
        document: JSON.stringify(input.document),
        authorUserId: input.authorUserId,
        restoredFrom: input.restoredFrom,
        createdAt: at,
      };
      const inserted = await s.db
        .insertInto('dialogueVersions')
        .values(row)
        .onConflict((oc) => oc.columns(['workspaceId', 'version']).doNothing())
        .returning('version')
        .executeTakeFirst();
      return inserted ? toVersion(row) : null;
    },
  };
}
