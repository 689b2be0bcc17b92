// Live translation as the app runs it: each workspace's translator (built from its saved settings, rebuilt
// when they change, behind the provider package's cache), the per-conversation switch with its default,
// the translation of customer messages for agents (a durable job after the message is stored, so an
// accepted message never waits on or fails with a provider), agent replies into the customer's language,
// and metering of every call. Providers: @zhike/providers (OpenAI-compatible, Tencent, Aliyun, DeepL,
// LibreTranslate); outbound HTTP through the SSRF-guarded client.
import type { HttpClient } from '@zhike/channels';
import type { Clock, ConversationTranslation, EventBus, JobPayloads, MessageTranslation } from '@zhike/core';
import type { Database } from '@zhike/db';
import {
  buildTranslator,
  type FetchLike,
  type GlossaryTerm,
  type TranslationSettings,
  type Translator,
} from '@zhike/providers';
import type { Logger } from 'pino';
import type { CostMeter } from '../costs/costMeter.ts';
import { languageOfLocale, sameFamily, servedLanguage } from './languages.ts';

/** What a workspace saved (PUT /api/v1/translation-settings); the provider record is validated on save. */
export interface SavedTranslation {
  provider: TranslationSettings | null;
  /** The language agents read and write; default: the workspace locale's. */
  agentLanguage: string | null;
  /** Brand and product names never translated. */
  glossary: string[];
  /** Switch translation on by itself for a conversation whose customer writes another language. */
  autoTranslate: boolean;
}

export function savedTranslationOf(settings: Record<string, unknown>): SavedTranslation {
  const provider = settings.provider;
  return {
    provider: provider && typeof provider === 'object' ? (provider as TranslationSettings) : null,
    agentLanguage: typeof settings.agentLanguage === 'string' ? settings.agentLanguage : null,
    glossary: Array.isArray(settings.glossary)
      ? settings.glossary.filter((t): t is string => typeof t === 'string')
      : [],
    autoTranslate: settings.autoTranslate !== false,
  };
}

export interface WorkspaceTranslation {
  translator: Translator | null;
  agentLanguage: string;
  glossary: readonly GlossaryTerm[];
  autoTranslate: boolean;
}

/** A conversation's translation as agents see it. */
export interface ConversationTranslationState {
  conversationId: string;
  /** Whether messages are being translated now. */
  enabled: boolean;
  /** True when an agent chose; false when the default (on for another language, if a provider exists). */
  chosen: boolean;
  /** Whether a provider is configured at all (the console greys the switch out otherwise). */
  available: boolean;
  customerLanguage: string | null;
  agentLanguage: string;
}

export interface TranslatedReply {
  /** What the customer receives, in `language`. */
  text: string;
  language: string;
  translation: MessageTranslation;
}

export class TranslationUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TranslationUnavailable';
  }
}

export interface TranslationService {
  forWorkspace(workspaceId: string): Promise<WorkspaceTranslation>;
  state(workspaceId: string, conversationId: string): Promise<ConversationTranslationState | null>;
  /** An agent switches translation on or off for one conversation. */
  choose(
    workspaceId: string,
    conversationId: string,
    input: { enabled: boolean; customerLanguage?: string | null },
  ): Promise<ConversationTranslationState | null>;
  /** Translates texts for a workspace and meters the call; throws TranslationUnavailable without a provider. */
  translate(workspaceId: string, texts: string[], from: string, to: string): Promise<string[]>;
  /** The job's work: a customer message in the agents' language, stored beside the original. */
  translateIncoming(workspaceId: string, messageId: string): Promise<void>;
  /** An agent's reply in the customer's language, or null when the conversation is not translated. */
  translateReply(workspaceId: string, conversationId: string, text: string): Promise<TranslatedReply | null>;
  /** The customer's remembered language, when it is one translation serves. */
  customerLanguage(workspaceId: string, customerId: string): Promise<string | null>;
  /** Enqueues the translation of the conversation's latest customer messages that have none. */
  translateRecent(workspaceId: string, conversationId: string): Promise<void>;
  /** Forget a workspace's built translator (its settings changed). */
  invalidate(workspaceId: string): void;
}

export interface TranslationDeps {
  db: Database;
  bus: EventBus;
  clock: Clock;
  log: Logger;
  http: HttpClient;
  wakeWorker: () => void;
  /** Meters translated characters at the workspace's price. */
  costs?: CostMeter;
}

/** How long a workspace's translation settings are trusted before their version is read again. */
const SETTINGS_RECHECK_MS = 5_000;

/** How many of the latest messages are looked at when an agent switches translation on. */
const RECENT_ON_SWITCH = 30;

async function enqueueTranslation(
  deps: { db: Database; clock: Clock },
  workspaceId: string,
  messageId: string,
  /** Distinguishes a later request for the same message (translation switched on after it arrived). */
  occasion = 'arrival',
): Promise<void> {
  const payload: JobPayloads['message.translate'] = { workspaceId, messageId };
  await deps.db.forWorkspace(workspaceId).jobs.enqueue({
    name: 'message.translate',
    payload: { ...payload },
    runAt: deps.clock.now().toISOString(),
    // With Redis every process hears the event: one job per message.
    idempotencyKey: `message.translate:${messageId}:${occasion}`,
  });
}

const day = (at: Date) => at.toISOString().slice(0, 10);
const codePoints = (texts: readonly string[]) => texts.reduce((n, t) => n + [...t].length, 0);

export function createTranslationService(deps: TranslationDeps): TranslationService {
  // Tenants choose the provider URL: it goes through the SSRF-guarded client (ZHIKE_CHANNEL_ALLOW_HOSTS).
  const fetch: FetchLike = (url, init) => deps.http(url, init as unknown as RequestInit);
  const built = new Map<string, { version: string; checkedAt: number; value: WorkspaceTranslation }>();

  const forWorkspace = async (workspaceId: string): Promise<WorkspaceTranslation> => {
    const cached = built.get(workspaceId);
    // Every customer message asks: the stored version is read again only every few seconds (a save in this
    // process invalidates at once; one in another process is seen within SETTINGS_RECHECK_MS).
    const now = Date.now();
    if (cached && now - cached.checkedAt < SETTINGS_RECHECK_MS) return cached.value;
    const store = deps.db.forWorkspace(workspaceId);
    const stored = await store.languages.settings.get();
    const version = stored.updatedAt ?? 'none';
    if (cached && cached.version === version) {
      cached.checkedAt = now;
      return cached.value;
    }
    const saved = savedTranslationOf(stored.settings);
    let translator: Translator | null = null;
    if (saved.provider) {
      try {
        const secrets = await store.languages.settings.secrets();
        translator = buildTranslator(saved.provider, secrets, { fetch });
      } catch (error) {
        deps.log.warn({ err: error, workspaceId }, 'translation settings cannot be built');
      }
    }
    const agentLanguage = saved.agentLanguage ?? languageOfLocale((await store.workspace.get()).locale);
    const value = { translator, agentLanguage, glossary: saved.glossary, autoTranslate: saved.autoTranslate };
    built.set(workspaceId, { version, checkedAt: now, value });
    return value;
  };

  const translate = async (workspaceId: string, texts: string[], from: string, to: string) => {
    const ws = await forWorkspace(workspaceId);
    if (!ws.translator) throw new TranslationUnavailable('no translation provider is configured');
    const result = await ws.translator.translate({ texts, from, to, glossary: ws.glossary });
    const all = codePoints(texts);
    if (all > 0) {
      await deps.db
        .forWorkspace(workspaceId)
        .languages.usage.add({
          day: day(deps.clock.now()),
          provider: result.provider,
          requests: result.characters > 0 ? 1 : 0,
          characters: result.characters,
          cachedCharacters: Math.max(0, all - result.characters),
        })
        .catch((error: unknown) => deps.log.error({ err: error, workspaceId }, 'translation meter failed'));
      await deps.costs?.record(workspaceId, 'translation_character', result.characters);
    }
    return result.texts;
  };

  const state = async (
    workspaceId: string,
    conversationId: string,
  ): Promise<ConversationTranslationState | null> => {
    const store = deps.db.forWorkspace(workspaceId);
    const conversation = await store.conversations.get(conversationId);
    if (!conversation) return null;
    const ws = await forWorkspace(workspaceId);
    const chosen = await store.languages.conversationTranslation(conversationId);
    const remembered = servedLanguage(await store.languages.customerLanguage(conversation.customerId));
    const customerLanguage = chosen?.customerLanguage ?? remembered;
    const available = ws.translator !== null;
    const foreign = customerLanguage !== null && !sameFamily(customerLanguage, ws.agentLanguage);
    return {
      conversationId,
      enabled: available && (chosen ? chosen.enabled : ws.autoTranslate && foreign),
      chosen: chosen !== null,
      available,
      customerLanguage,
      agentLanguage: ws.agentLanguage,
    };
  };

  return {
    forWorkspace,
    state,
    translate,
    invalidate: (workspaceId) => built.delete(workspaceId),
    customerLanguage: async (workspaceId, customerId) =>
      servedLanguage(await deps.db.forWorkspace(workspaceId).languages.customerLanguage(customerId)),
    async translateRecent(workspaceId, conversationId) {
      const store = deps.db.forWorkspace(workspaceId);
      const recent = await store.messages.list(conversationId, { limit: RECENT_ON_SWITCH });
      for (const m of recent) {
        if (m.author !== 'customer' || m.translation) continue;
        await enqueueTranslation(deps, workspaceId, m.id, deps.clock.now().toISOString());
      }
      deps.wakeWorker();
    },
    async choose(workspaceId, conversationId, input) {
      const store = deps.db.forWorkspace(workspaceId);
      const conversation = await store.conversations.get(conversationId);
      if (!conversation) return null;
      const current = await store.languages.conversationTranslation(conversationId);
      const value: ConversationTranslation = {
        enabled: input.enabled,
        customerLanguage:
          input.customerLanguage === undefined ? (current?.customerLanguage ?? null) : input.customerLanguage,
        updatedAt: deps.clock.now().toISOString(),
      };
      await store.languages.setConversationTranslation(conversationId, value);
      return state(workspaceId, conversationId);
    },
    async translateIncoming(workspaceId, messageId) {
      const store = deps.db.forWorkspace(workspaceId);
      const message = await store.messages.get(messageId);
      if (!message || message.author !== 'customer' || message.translation) return;
      const now = await state(workspaceId, message.conversationId);
      if (!now?.enabled) return;
      const from = servedLanguage(message.language) ?? now.customerLanguage ?? 'auto';
      if (from !== 'auto' && sameFamily(from, now.agentLanguage)) return;
      const [text] = await translate(workspaceId, [message.text], from, now.agentLanguage);
      const ws = await forWorkspace(workspaceId);
      const translation: MessageTranslation = {
        language: now.agentLanguage,
        text: text ?? '',
        machine: 'translation',
        provider: ws.translator?.id ?? 'unknown',
      };
      if (!(await store.languages.setMessageTranslation(messageId, translation))) return;
      await deps.bus
        .publish([
          {
            name: 'message.translated',
            workspaceId,
            occurredAt: deps.clock.now().toISOString(),
            conversationId: message.conversationId,
            messageId,
          },
        ])
        .catch((error: unknown) => deps.log.error({ err: error }, 'event publish failed'));
    },
    async translateReply(workspaceId, conversationId, text) {
      const now = await state(workspaceId, conversationId);
      if (!now?.enabled || !now.customerLanguage || sameFamily(now.customerLanguage, now.agentLanguage))
        return null;
      const [translated] = await translate(workspaceId, [text], now.agentLanguage, now.customerLanguage);
      const ws = await forWorkspace(workspaceId);
      return {
        text: translated ?? text,
        language: now.customerLanguage,
        translation: {
          language: now.agentLanguage,
          text,
          machine: 'text',
          provider: ws.translator?.id ?? 'unknown',
        },
      };
    },
  };
}

/** Enqueues the translation of every customer message of a workspace with a provider; the job decides. */
export function listenForCustomerMessages(deps: {
  bus: EventBus;
  db: Database;
  clock: Clock;
  translation: TranslationService;
  wakeWorker: () => void;
}): () => void {
  return deps.bus.subscribe(async (event) => {
    if (event.name !== 'message.created' || event.author !== 'customer') return;
    const ws = await deps.translation.forWorkspace(event.workspaceId);
    if (!ws.translator) return;
    await enqueueTranslation(deps, event.workspaceId, event.messageId);
    deps.wakeWorker();
  });
}
