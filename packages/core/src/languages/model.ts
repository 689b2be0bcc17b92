// Languages (issue 11): what language a message is in, the other side's version of it when a conversation
// is translated live, and the switch per conversation. Language tags are Zhike's (zh-Hans, zh-Hant, yue,
// en, ja, ko, vi, th, ms, ru); the translation providers map them to their own codes.

/**
 * The other side's version of a message. For a customer message it is the machine translation into the
 * agents' language (the customer's original is the message text). For an agent reply sent translated it
 * is what the agent wrote (the message text is the machine translation the customer received).
 */
export interface MessageTranslation {
  language: string;
  text: string;
  /** Which of the two versions the machine wrote. */
  machine: 'text' | 'translation';
  /** The provider that translated (libretranslate, deepl, tencent…). */
  provider: string;
}

/** Live translation of one conversation, switched by an agent (or on by default for a foreign language). */
export interface ConversationTranslation {
  enabled: boolean;
  /** The language agents' replies are translated into; null: the customer's remembered language. */
  customerLanguage: string | null;
  updatedAt: string;
}

/** Translation settings as stored: the provider's own fields are validated by the server's adapter. */
export interface StoredTranslationSettings {
  settings: Record<string, unknown>;
  /** Names of the secrets set (the values never leave the store except to build a provider). */
  secretsSet: string[];
  updatedAt: string | null;
}

export interface TranslationUsageDay {
  day: string;
  provider: string;
  requests: number;
  characters: number;
  cachedCharacters: number;
}

export interface LanguagesRepository {
  /** Remembers the customer's language (from a confident detection or a profile). */
  rememberCustomerLanguage(customerId: string, language: string): Promise<void>;
  customerLanguage(customerId: string): Promise<string | null>;
  conversationTranslation(conversationId: string): Promise<ConversationTranslation | null>;
  setConversationTranslation(conversationId: string, value: ConversationTranslation): Promise<void>;
  /** Stores the other side's version of a message (sealed with the customer's key, like its text). */
  setMessageTranslation(messageId: string, translation: MessageTranslation): Promise<boolean>;
  settings: {
    get(): Promise<StoredTranslationSettings>;
    secrets(): Promise<Record<string, string>>;
    save(input: {
      settings: Record<string, unknown>;
      secrets: Record<string, string>;
      at: string;
    }): Promise<StoredTranslationSettings>;
  };
  usage: {
    add(entry: TranslationUsageDay): Promise<void>;
    /** Days from `from` to `to` inclusive (YYYY-MM-DD), oldest first. */
    list(from: string, to: string): Promise<TranslationUsageDay[]>;
  };
}
