// Wrapped data keys in the workspace_keys table: the storage side of @zhike/security's keyring.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { WrappedKeyRow, WrappedKeyStore } from '@zhike/security';
import type { Kysely, Selectable } from 'kysely';
import { isUniqueViolation } from './connect.ts';
import type { DB, WorkspaceKeysTable } from './schema.ts';

const toRow = (r: Selectable<WorkspaceKeysTable>): WrappedKeyRow => ({
  workspaceId: r.workspaceId,
  keyId: r.keyId,
  subjectId: r.subjectId === '' ? null : r.subjectId,
  purpose: r.purpose === 'index' ? 'index' : 'data',
  version: Number(r.version),
  masterKeyId: r.masterKeyId,
  wrapped: r.wrapped,
  createdAt: r.createdAt,
});

/**
 * The key store plus `within`: key rows written during `fn` go through `executor` (a transaction) instead
 * of the pool. On SQLite the transaction holds the only connection, so a key created outside it would wait
 * forever; inside it, a new customer's key commits or rolls back with the customer.
 */
export interface TransactionalKeyStore extends WrappedKeyStore {
  within<T>(executor: Kysely<DB>, fn: () => Promise<T>): Promise<T>;
}

export function createKeyStore(root: Kysely<DB>): TransactionalKeyStore {
  const ambient = new AsyncLocalStorage<Kysely<DB>>();
  // A getter, not a variable: each call picks the executor of the async context it runs in.
  const db = (): Kysely<DB> => ambient.getStore() ?? root;
  return {
    within: (executor, fn) => ambient.run(executor, fn),
    async list(workspaceId) {
      const rows = await db()
        .selectFrom('workspaceKeys')
        .selectAll()
        .where('workspaceId', '=', workspaceId)
        .execute();
      return rows.map(toRow);
    },
    async listSubject(workspaceId, subjectId) {
      const rows = await db()
        .selectFrom('workspaceKeys')
        .selectAll()
        .where('workspaceId', '=', workspaceId)
        .where('subjectId', '=', subjectId ?? '')
        .execute();
      return rows.map(toRow);
    },
    async workspaces() {
      const rows = await db().selectFrom('workspaceKeys').select('workspaceId').distinct().execute();
      return rows.map((r) => r.workspaceId);
    },
    async insert(row) {
      try {
        const inserted = await db()
          .insertInto('workspaceKeys')
          .values({ ...row, subjectId: row.subjectId ?? '' })
          .onConflict((oc) => oc.doNothing())
          .returning('keyId')
          .executeTakeFirst();
        return inserted !== undefined;
      } catch (error) {
        if (isUniqueViolation(error)) return false;
        throw error;
      }
    },
    async rewrap(workspaceId, keyId, fromMasterKeyId, to) {
      const result = await db()
        .updateTable('workspaceKeys')
        .set({ masterKeyId: to.masterKeyId, wrapped: to.wrapped })
        .where('workspaceId', '=', workspaceId)
        .where('keyId', '=', keyId)
        .where('masterKeyId', '=', fromMasterKeyId)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async deleteSubject(workspaceId, subjectId) {
      const result = await db()
        .deleteFrom('workspaceKeys')
        .where('workspaceId', '=', workspaceId)
        .where('subjectId', '=', subjectId)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
    async deleteWorkspace(workspaceId) {
      const result = await db()
        .deleteFrom('workspaceKeys')
        .where('workspaceId', '=', workspaceId)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
