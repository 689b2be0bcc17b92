// The workspace's own KPI targets (migration 0039).
import { KPI_KEYS, type KpiTargetOverrides, type WorkspaceRepositories } from '@zhike/core';
import type { Scope } from './scope.ts';

export interface KpiTargetsTable {
  workspaceId: string;
  targets: string;
  updatedAt: string;
}

function parse(stored: string): KpiTargetOverrides {
  const value = JSON.parse(stored) as Record<string, unknown>;
  const out: KpiTargetOverrides = {};
  for (const key of KPI_KEYS) if (typeof value[key] === 'number') out[key] = value[key] as number;
  return out;
}

export function kpiTargetsRepository(s: Scope): WorkspaceRepositories['kpiTargets'] {
  return {
    async get() {
      const row = await s.db
        .selectFrom('kpiTargets')
        .select(['targets', 'updatedAt'])
        .where('workspaceId', '=', s.workspaceId)
        .executeTakeFirst();
      return row
        ? { overrides: parse(row.targets), updatedAt: row.updatedAt }
        : { overrides: {}, updatedAt: null };
    },
    async save(overrides, at) {
      const values = { targets: JSON.stringify(overrides), updatedAt: at };
      await s.db
        .insertInto('kpiTargets')
        .values({ workspaceId: s.workspaceId, ...values })
        .onConflict((oc) => oc.column('workspaceId').doUpdateSet(values))
        .execute();
    },
  };
}
