// Live translation (issue 11): a workspace's translation provider, agents' language and glossary; the
// per-conversation switch; daily usage for cost metering.
import Type from 'typebox';
import { Timestamp } from './common.ts';

const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

const LanguageTag = Type.String({ pattern: '^[a-z]{2,3}(-[A-Za-z]{2,4})?$', maxLength: 12 });

const ProviderRecord = Type.Record(
  Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_]{0,40}$' }),
  Type.Union([Type.String({ maxLength: 4000 }), Type.Number(), Type.Boolean(), Type.Null()]),
  { maxProperties: 30, additionalProperties: false },
);

export const TranslationSettings = Type.Object({
  /** The provider record without its secrets (`provider` plus its fields); null when none is chosen. */
  provider: Nullable(ProviderRecord),
  /** Which secret fields hold a value (`apiKey`…); values are never returned. */
  secretsSet: Type.Array(Type.String()),
  agentLanguage: LanguageTag,
  glossary: Type.Array(Type.String()),
  autoTranslate: Type.Boolean(),
  updatedAt: Nullable(Timestamp),
  /** Every provider's fields, for the settings form. */
  providers: Type.Record(
    Type.String(),
    Type.Array(
      Type.Object({
        name: Type.String(),
        type: Type.String(),
        required: Type.Optional(Type.Boolean()),
        secret: Type.Optional(Type.Boolean()),
        description: Type.Optional(Type.String()),
        options: Type.Optional(Type.Array(Type.String())),
      }),
    ),
  ),
});
export type TranslationSettings = Type.Static<typeof TranslationSettings>;

export const TranslationSettingsBody = Type.Object(
  {
    /**
     * `provider` plus its fields, secrets included: a secret left blank or absent keeps the stored one.
     * null switches translation off.
     */
    provider: Nullable(ProviderRecord),
    agentLanguage: Type.Optional(Nullable(LanguageTag)),
    glossary: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 500 })),
    autoTranslate: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type TranslationSettingsBody = Type.Static<typeof TranslationSettingsBody>;

export const ConversationTranslation = Type.Object({
  conversationId: Type.String(),
  enabled: Type.Boolean(),
  /** True when an agent chose; false while the default decides (on for another language). */
  chosen: Type.Boolean(),
  /** Whether a translation provider is configured. */
  available: Type.Boolean(),
  customerLanguage: Nullable(Type.String()),
  agentLanguage: Type.String(),
});
export type ConversationTranslation = Type.Static<typeof ConversationTranslation>;

export const ConversationTranslationBody = Type.Object(
  {
    enabled: Type.Boolean(),
    /** Override the language replies are translated into (null: the customer's detected language). */
    customerLanguage: Type.Optional(Nullable(LanguageTag)),
  },
  { additionalProperties: false },
);
export type ConversationTranslationBody = Type.Static<typeof ConversationTranslationBody>;

export const TranslationUsageQuery = Type.Object(
  {
    from: Type.String({ format: 'date' }),
    to: Type.String({ format: 'date' }),
  },
  { additionalProperties: false },
);

export const TranslationUsage = Type.Object({
  days: Type.Array(
    Type.Object({
      day: Type.String(),
      provider: Type.String(),
      requests: Type.Integer(),
      characters: Type.Integer(),
      cachedCharacters: Type.Integer(),
    }),
  ),
});
export type TranslationUsage = Type.Static<typeof TranslationUsage>;
