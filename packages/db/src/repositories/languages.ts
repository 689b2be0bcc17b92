// Languages (migration 0031): customers' remembered language, per-conversation translation switches,
// machine translations of messages (sealed with the customer's key, like the message text), the
// workspace's translation provider settings (secrets sealed with the workspace key) and daily usage.
import type { ConversationTranslation, MessageTranslation, WorkspaceRepositories } from '@zhike/core';
import type { PersonalDataCodec } from '../personalData.ts';
import type { Scope } from './scope.ts';

export const TRANSLATION_FIELD = 'messages.translation';
export const TRANSLATION_SECRETS_FIELD = 'translation_settings.secrets';

export interface TranslationSettingsTable {
  workspaceId: string;
  settings: string;
  secrets: string | null;
  updatedAt: string;
}

export interface TranslationUsageTable {
  workspaceId: string;
  day: string;
  provider: string;
  requests: number;
  characters: number;
  cachedCharacters: number;
}

export const sealTranslation = (codec: PersonalDataCodec, t: MessageTranslation): string =>
  codec.seal(JSON.stringify(t), TRANSLATION_FIELD);

export function openTranslation(codec: PersonalDataCodec, stored: string | null): MessageTranslation | null {
  if (!stored) return null;
  const value: unknown = JSON.parse(codec.open(stored, TRANSLATION_FIELD));
  return value && typeof value === 'object' ? (value as MessageTranslation) : null;
}

function parseSwitch(stored: string | null): ConversationTranslation | null {
  if (!stored) return null;
  const value = JSON.parse(stored) as Partial<ConversationTranslation>;
  return {
    enabled: value.enabled === true,
    customerLanguage: typeof value.customerLanguage === 'string' ? value.customerLanguage : null,
    updatedAt: typeof value.updatedAt === 'string' ? value.updatedAt : '',
  };
}

export function languagesRepository(s: Scope): WorkspaceRepositories['languages'] {
  const openSecrets = async (sealed: string | null): Promise<Record<string, string>> =>
    sealed
      ? (JSON.parse((await s.codec()).open(sealed, TRANSLATION_SECRETS_FIELD)) as Record<string, string>)
      : {};
  return {
    async rememberCustomerLanguage(customerId, language) {
      await s.db
        .updateTable('customers')
        .set({ language })
        .where('workspaceId', '=', s.workspaceId)
        .where('id', '=', customerId)
        .execute();
    },
    async customerLanguage(customerId) {
      const row = await s.db
        .selectFrom('customers')
        .select('language')
        .where('workspaceId', '=', s.workspaceId)
        .where('id', '=', customerId)
        .executeTakeFirst();
      return row?.language ?? null;
    },
    async conversationTranslation(conversationId) {
      const row = await s.db
        .selectFrom('conversations')
        .select('translation')
        .where('workspaceId', '=', s.workspaceId)
        .where('id', '=', conversationId)
        .executeTakeFirst();
      return parseSwitch(row?.translation ?? null);
    },
    async setConversationTranslation(conversationId, value) {
      await s.db
        .updateTable('conversations')
        .set({ translation: JSON.stringify(value) })
        .where('workspaceId', '=', s.workspaceId)
        .where('id', '=', conversationId)
        .execute();
    },
    async setMessageTranslation(messageId, translation) {
      const row = await s.db
        .selectFrom('messages as m')
        .innerJoin('conversations as c', 'c.id', 'm.conversationId')
        .select('c.customerId')
        .where('m.workspaceId', '=', s.workspaceId)
        .where('c.workspaceId', '=', s.workspaceId)
        .where('m.id', '=', messageId)
        .executeTakeFirst();
      if (!row) return false;
      const codec = await s.customerCodec(row.customerId);
      const result = await s.db
        .updateTable('messages')
        .set({ translation: sealTranslation(codec, translation) })
        .where('workspaceId', '=', s.workspaceId)
        .where('id', '=', messageId)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
    settings: {
      async get() {
        const row = await s.db
          .selectFrom('translationSettings')
          .selectAll()
          .where('workspaceId', '=', s.workspaceId)
          .executeTakeFirst();
        if (!row) return { settings: {}, secretsSet: [], updatedAt: null };
        const settings: unknown = JSON.parse(row.settings);
        return {
          settings: settings && typeof settings === 'object' ? (settings as Record<string, unknown>) : {},
          secretsSet: Object.keys(await openSecrets(row.secrets)).sort(),
          updatedAt: row.updatedAt,
        };
      },
      async secrets() {
        const row = await s.db
          .selectFrom('translationSettings')
          .select('secrets')
          .where('workspaceId', '=', s.workspaceId)
          .executeTakeFirst();
        return openSecrets(row?.secrets ?? null);
      },
      async save(input) {
        const sealed =
          Object.keys(input.secrets).length === 0
            ? null
            : (await s.codec()).seal(JSON.stringify(input.secrets), TRANSLATION_SECRETS_FIELD);
        const values = { settings: JSON.stringify(input.settings), secrets: sealed, updatedAt: input.at };
        await s.db
          .insertInto('translationSettings')
          .values({ workspaceId: s.workspaceId, ...values })
          .onConflict((oc) => oc.column('workspaceId').doUpdateSet(values))
          .execute();
        return {
          settings: { ...input.settings },
          secretsSet: Object.keys(input.secrets).sort(),
          updatedAt: input.at,
        };
      },
    },
    usage: {
      async add(e) {
        await s.db
          .insertInto('translationUsage')
          .values({
            workspaceId: s.workspaceId,
            day: e.day,
            provider: e.provider,
            requests: e.requests,
            characters: e.characters,
            cachedCharacters: e.cachedCharacters,
          })
          .onConflict((oc) =>
            oc.columns(['workspaceId', 'day', 'provider']).doUpdateSet((eb) => ({
              requests: eb('translationUsage.requests', '+', eb.ref('excluded.requests')),
              characters: eb('translationUsage.characters', '+', eb.ref('excluded.characters')),
              cachedCharacters: eb(
                'translationUsage.cachedCharacters',
                '+',
                eb.ref('excluded.cachedCharacters'),
              ),
            })),
          )
          .execute();
      },
      async list(from, to) {
        const rows = await s.db
          .selectFrom('translationUsage')
          .selectAll()
          .where('workspaceId', '=', s.workspaceId)
          .where('day', '>=', from)
          .where('day', '<=', to)
          .orderBy('day')
          .orderBy('provider')
          .execute();
        return rows.map((r) => ({
          day: r.day,
          provider: r.provider,
          requests: Number(r.requests),
          characters: Number(r.characters),
          cachedCharacters: Number(r.cachedCharacters),
        }));
      },
    },
  };
}
