// The setup wizard's record (migration 0009), confined to the scope's workspace.
import type { WorkspaceRepositories } from '@zhike/core';
import type { Scope } from './scope.ts';

export function setupRepository(s: Scope): WorkspaceRepositories['setup'] {
  return {
    async get() {
      const row = await s.db
        .selectFrom('workspaceSetup')
        .select(['botEnabled', 'completedAt', 'updatedAt'])
        .where('workspaceId', '=', s.workspaceId)
        .executeTakeFirst();
      return row
        ? { botEnabled: row.botEnabled === 1, completedAt: row.completedAt, updatedAt: row.updatedAt }
        : null;
    },
    async save(input, at) {
      const values = { botEnabled: input.botEnabled ? 1 : 0, completedAt: input.completedAt, updatedAt: at };
      await s.db
        .insertInto('workspaceSetup')
        .values({ workspaceId: s.workspaceId, ...values })
        .onConflict((oc) => oc.column('workspaceId').doUpdateSet(values))
        .execute();
      return { botEnabled: input.botEnabled, completedAt: input.completedAt, updatedAt: at };
    },
  };
}
