import type { Customer, IdentityKind, WorkspaceRepositories } from '@zhike/core';
import { isUniqueViolation } from '../connect.ts';
import { openNullable, sealNullable } from '../personalData.ts';
import type { Scope } from './scope.ts';

export function customersRepository(s: Scope): WorkspaceRepositories['customers'] {
  const load = async (id: string): Promise<Customer | null> => {
    const row = await s.db
      .selectFrom('customers')
      .selectAll()
      .where('workspaceId', '=', s.workspaceId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) return null;
    const identities = await s.db
      .selectFrom('customerIdentities')
      .select(['kind', 'value'])
      .where('workspaceId', '=', s.workspaceId)
      .where('customerId', '=', id)
      .orderBy('createdAt')
      .execute();
    return {
      id: row.id,
      workspaceId: row.workspaceId,
      name: openNullable(s.codec, row.name),
      email: openNullable(s.codec, row.email),
      phone: openNullable(s.codec, row.phone),
      identities: identities.map((i) => ({ kind: i.kind as IdentityKind, value: s.codec.open(i.value) })),
      createdAt: row.createdAt,
    };
  };

  return {
    get: load,
    async findByIdentity(kind, value) {
      const row = await s.db
        .selectFrom('customerIdentities')
        .select('customerId')
        .where('workspaceId', '=', s.workspaceId)
        .where('kind', '=', kind)
        .where('value', '=', s.codec.lookup(value))
        .executeTakeFirst();
      return row ? load(row.customerId) : null;
    },
    async create(input) {
      // On PostgreSQL a failed insert would abort the surrounding transaction, so claim the identity
      // with ON CONFLICT DO NOTHING first and only then write the customer it points to.
      await s.db
        .insertInto('customers')
        .values({
          id: input.id,
          workspaceId: s.workspaceId,
          name: sealNullable(s.codec, input.name),
          email: sealNullable(s.codec, input.email),
          phone: sealNullable(s.codec, input.phone),
          createdAt: input.createdAt,
        })
        .execute();
      try {
        const inserted = await s.db
          .insertInto('customerIdentities')
          .values({
            id: input.id,
            workspaceId: s.workspaceId,
            customerId: input.id,
            kind: input.identity.kind,
            value: s.codec.lookup(input.identity.value),
            createdAt: input.createdAt,
          })
          .onConflict((oc) => oc.columns(['workspaceId', 'kind', 'value']).doNothing())
          .returning('id')
          .executeTakeFirst();
        if (!inserted) {
          await s.db
            .deleteFrom('customers')
            .where('workspaceId', '=', s.workspaceId)
            .where('id', '=', input.id)
            .execute();
          return null;
        }
      } catch (error) {
        if (isUniqueViolation(error)) return null;
        throw error;
      }
      return load(input.id);
    },
    async updateProfile(id, patch) {
      const values = {
        ...(patch.name !== undefined ? { name: sealNullable(s.codec, patch.name) } : {}),
        ...(patch.email !== undefined ? { email: sealNullable(s.codec, patch.email) } : {}),
        ...(patch.phone !== undefined ? { phone: sealNullable(s.codec, patch.phone) } : {}),
      };
      if (Object.keys(values).length === 0) return;
      await s.db
        .updateTable('customers')
        .set(values)
        .where('workspaceId', '=', s.workspaceId)
        .where('id', '=', id)
        .execute();
    },
    async lock(id) {
      if (s.dialect !== 'postgres') return; // SQLite transactions are already serialised
      await s.db
        .selectFrom('customers')
        .select('id')
        .where('workspaceId', '=', s.workspaceId)
        .where('id', '=', id)
        .forUpdate()
        .execute();
    },
  };
}
