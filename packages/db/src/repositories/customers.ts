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

/** The customer an absorbed id was merged into; merges are kept flat (see customerMerges.ts). */
export async function survivorOf(s: Scope, absorbedId: string): Promise<string | null> {
  const row = await s.db
    .selectFrom('customerMerges')
    .select('survivorId')
    .where('workspaceId', '=', s.workspaceId)
    .where('absorbedId', '=', absorbedId)
    .executeTakeFirst();
  return row?.survivorId ?? null;
}

export function customersRepository(s: Scope): WorkspaceRepositories['customers'] {
  const holderOf = async (kind: IdentityKind, lookup: string) => {
    const row = await s.db
      .selectFrom('customerIdentities')
      .select(['customerId', 'verified'])
      .where('workspaceId', '=', s.workspaceId)
      .where('kind', '=', kind)
      .where('value', '=', lookup)
      .executeTakeFirst();
    return row ? { customerId: row.customerId, verified: Number(row.verified) === 1 } : null;
  };

  const load = async (id: string, followMerge = true): Promise<Customer | null> => {
    const row = await s.db
      .selectFrom('customers')
      .selectAll()
      .where('workspaceId', '=', s.workspaceId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) {
      // Old links (a conversation URL, a webhook consumer) may name a customer merged away since.
      const survivor = followMerge ? await survivorOf(s, id) : null;
      return survivor ? load(survivor, false) : null;
    }
    // The customer's codec, not the workspace's: it makes sure this process holds their key (another
    // process may have created it) before opening.
    const codec = await s.customerCodec(id);
    const identities = await s.db
      .selectFrom('customerIdentities')
      .select(['kind', 'value', 'sealedValue', 'verified', 'source'])
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
        verified: Number(i.verified) === 1,
        source: i.source,
      })),
      createdAt: row.createdAt,
    };
  };

  return {
    get: (id) => load(id),
    async identityHolder(kind, value) {
      const codec = await s.codec();
      return holderOf(kind, codec.lookup(value, lookupKind(kind)));
    },
    async addIdentity(customerId, identity, createdAt) {
      const codec = await s.customerCodec(customerId);
      const lookup = codec.lookup(identity.value, lookupKind(identity.kind));
      // ON CONFLICT DO NOTHING, not a caught error: on PostgreSQL a failed insert aborts the transaction.
      const inserted = await s.db
        .insertInto('customerIdentities')
        .values({
          id: s.newId(),
          workspaceId: s.workspaceId,
          customerId,
          kind: identity.kind,
          value: lookup,
          sealedValue: codec.seal(identity.value, F.identity),
          verified: identity.verified ? 1 : 0,
          source: identity.source,
          createdAt,
        })
        .onConflict((oc) => oc.columns(['workspaceId', 'kind', 'value']).doNothing())
        .returning('id')
        .executeTakeFirst();
      if (inserted) return { customerId, verified: identity.verified };
      const holder = await holderOf(identity.kind, lookup);
      if (!holder) throw new Error('identity conflict without a holder');
      if (holder.customerId === customerId && identity.verified && !holder.verified) {
        // What was typed before is now proven by a channel.
        await s.db
          .updateTable('customerIdentities')
          .set({ verified: 1, source: identity.source })
          .where('workspaceId', '=', s.workspaceId)
          .where('kind', '=', identity.kind)
          .where('value', '=', lookup)
          .execute();
        return { customerId, verified: true };
      }
      return holder;
    },
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
            verified: input.identity.verified ? 1 : 0,
            source: input.identity.source,
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
