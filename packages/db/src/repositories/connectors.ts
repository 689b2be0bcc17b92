// Connectors to the shop's own systems, one per kind and workspace. Secret header values live sealed in
// their own column (bound to it by the codec) and are opened only here, for the server's outbound call.
import {
  type ConnectorHeader,
  type ConnectorsRepository,
  DomainError,
  type OrderLookupConnector,
  type OrderLookupConnectorSettings,
} from '@zhike/core';
import type { Scope } from './scope.ts';

const ORDER_LOOKUP = 'order_lookup';
const SECRETS_FIELD = 'connectors.secrets';

/** Settings as stored: every header's name and flag, values only for the non-secret ones. */
type StoredSettings = Omit<OrderLookupConnectorSettings, 'enabled' | 'headers'> & {
  headers: { name: string; secret: boolean; value: string | null }[];
};

export function connectorsRepository(s: Scope): ConnectorsRepository {
  const load = async () => {
    const row = await s.db
      .selectFrom('connectors')
      .selectAll()
      .where('workspaceId', '=', s.workspaceId)
      .where('kind', '=', ORDER_LOOKUP)
      .executeTakeFirst();
    if (!row) return null;
    const codec = await s.codec();
    const secrets: Record<string, string> =
      row.secrets === null
        ? {}
        : (JSON.parse(codec.open(row.secrets, SECRETS_FIELD)) as Record<string, string>);
    const stored = JSON.parse(row.settings) as StoredSettings;
    const connector: OrderLookupConnector = {
      ...stored,
      id: row.id,
      enabled: row.enabled === 1,
      headers: stored.headers.map((h) => ({
        name: h.name,
        secret: h.secret,
        value: (h.secret ? secrets[h.name.toLowerCase()] : h.value) ?? '',
      })),
      version: row.version,
      updatedAt: row.updatedAt,
    };
    return connector;
  };

  return {
    getOrderLookup: load,
    async saveOrderLookup(input, at) {
      const previous = await load();
      const kept = new Map(
        (previous?.headers ?? []).filter((h) => h.secret).map((h) => [h.name.toLowerCase(), h.value]),
      );
      const secrets: Record<string, string> = {};
      const headers: ConnectorHeader[] = input.headers.map((h, i) => {
        if (!h.secret) return { name: h.name, secret: false, value: h.value ?? '' };
        const value = h.value ?? kept.get(h.name.toLowerCase());
        if (value === undefined)
          throw new DomainError('validation_failed', `headers/${i}: secret header ${h.name} needs a value`);
        secrets[h.name.toLowerCase()] = value;
        return { name: h.name, secret: true, value };
      });
      const { enabled, headers: _headers, ...rest } = input;
      const stored: StoredSettings = {
        ...rest,
        headers: headers.map((h) => ({ name: h.name, secret: h.secret, value: h.secret ? null : h.value })),
      };
      const codec = await s.codec();
      const values = {
        enabled: enabled ? 1 : 0,
        settings: JSON.stringify(stored),
        secrets:
          Object.keys(secrets).length === 0 ? null : codec.seal(JSON.stringify(secrets), SECRETS_FIELD),
        version: (previous?.version ?? 0) + 1,
        updatedAt: at,
      };
      await s.db
        .insertInto('connectors')
        .values({ id: s.newId(), workspaceId: s.workspaceId, kind: ORDER_LOOKUP, createdAt: at, ...values })
        .onConflict((oc) => oc.columns(['workspaceId', 'kind']).doUpdateSet(values))
        .execute();
      const saved = await load();
      if (!saved) throw new Error('connector vanished while it was being saved');
      return saved;
    },
  };
}
