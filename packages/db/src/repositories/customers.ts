import type { Customer, IdentityKind, WorkspaceRepositories } from '@zhike/core';
import { isUniqueViolation } from '../connect.ts';
import { openNullable, sealNullable } from '../personalData.ts';
import type { Scope } from './scope.ts';

// Column names bound into each sealed value (see PersonalDataCodec).
export const F = {
  name: 'customers.name',
  email: 'customers.email',
  phone: 'customers.phone',
  identity: 'customer_identities.value',
} as const;

const lookupKind = (kind: IdentityKind) => (kind === 'phone' ? 'phone' : kind === 'email' ? 'email' : 'text');

export function customersRepository(s: Scope): WorkspaceRepositories['customers'] {
  const load = async (id: string): Promise<Customer | null> => {
    const row = await s.db
      .selectFrom('customers')
      .selectAll()
      .where('workspaceId', '=', s.workspaceId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) return null;
    // The customer's codec, not the workspace's: it makes sure this process holds their key (another
    // process may have created it) before opening.
    const codec = await s.customerCodec(id);
    const identities = await s.db
      .selectFrom('customerIdentities')
      .select(['kind', 'value', 'sealedValue'])
      .where('workspaceId', '=', s.workspaceId)
      .where('customerId', '=', id)
      .orderBy('createdAt')
      .execute();
    return {
      id: row.id,
      workspaceId: row.workspaceId,
      name: openNullable(codec, row.name, F.name),
      email: openNullable(codec, row.email, F.email),
      phone: openNullable(codec, row.phone, F.phone),
      identities: identities.map((i) => ({
        kind: i.kind as IdentityKind,
        // Rows from before migration 0002 have no sealed copy; their `value` is the plaintext lookup form.
        value: i.sealedValue === null ? i.value : codec.open(i.sealedValue, F.identity),
      })),
      createdAt: row.createdAt,
    };
  };

  return {
    get: load,
    async findByIdentity(kind, value) {
      const codec = await s.codec();
      const row = await s.db
        .selectFrom('customerIdentities')
        .select('customerId')
        .where('workspaceId', '=', s.workspaceId)
        .where('kind', '=', kind)
        .where('value', '=', codec.lookup(value, lookupKind(kind)))
        .executeTakeFirst();
      return row ? load(row.customerId) : null;
    },
    async create(input) {
      // On PostgreSQL a failed insert would abort the surrounding transaction, so claim the identity
      // with ON CONFLICT DO NOTHING first and only then write the customer it points to.
      const codec = await s.customerCodec(input.id);
      await s.db
        .insertInto('customers')
        .values({
          id: input.id,
          workspaceId: s.workspaceId,
          name: sealNullable(codec, input.name, F.name),
          email: sealNullable(codec, input.email, F.email),
          phone: sealNullable(codec, input.phone, F.phone),
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
            value: codec.lookup(input.identity.value, lookupKind(input.identity.kind)),
            sealedValue: codec.seal(input.identity.value, F.identity),
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
      const codec = await s.customerCodec(id);
      const values = {
        ...(patch.name !== undefined ? { name: sealNullable(codec, patch.name, F.name) } : {}),
        ...(patch.email !== undefined ? { email: sealNullable(codec, patch.email, F.email) } : {}),
        ...(patch.phone !== undefined ? { phone: sealNullable(codec, patch.phone, F.phone) } : {}),
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
