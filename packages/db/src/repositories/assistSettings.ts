// Agent assist's switch (migration 0038).
import type { AssistSettings, WorkspaceRepositories } from '@zhike/core';
import type { Scope } from './scope.ts';

export interface AssistSettingsTable {
  workspaceId: string;
  enabled: number;
  enabledAt: string | null;
  updatedAt: string;
}

export function assistSettingsRepository(s: Scope): WorkspaceRepositories['assistSettings'] {
  const get = async (): Promise<AssistSettings> => {
    const row = await s.db
      .selectFrom('assistSettings')
      .select(['enabled', 'enabledAt', 'updatedAt'])
      .where('workspaceId', '=', s.workspaceId)
      .executeTakeFirst();
    return row
      ? { enabled: Number(row.enabled) === 1, enabledAt: row.enabledAt, updatedAt: row.updatedAt }
      : { enabled: true, enabledAt: null, updatedAt: null };
  };
  return {
    get,
    async set(enabled, at) {
      const before = await get();
      const enabledAt = enabled && !before.enabled ? at : before.enabledAt;
      const values = { enabled: enabled ? 1 : 0, enabledAt, updatedAt: at };
      await s.db
        .insertInto('assistSettings')
        .values({ workspaceId: s.workspaceId, ...values })
        .onConflict((oc) => oc.column('workspaceId').doUpdateSet(values))
        .execute();
      return { enabled, enabledAt, updatedAt: at };
    },
  };
}
