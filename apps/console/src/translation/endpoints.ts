// The live-translation endpoints the console calls (spread into createZhikeApi, where every path lives).
import type {
  ConversationTranslation,
  ConversationTranslationBody,
  TranslationSettings,
  TranslationSettingsBody,
  TranslationUsage,
} from '@zhike/contracts';
import type { HttpClient } from '../api/http.ts';

export const translationEndpoints = (http: HttpClient) => ({
  getTranslationSettings: (signal?: AbortSignal) =>
    http.request<TranslationSettings>('GET', '/api/v1/translation-settings', { signal }),
  saveTranslationSettings: (body: TranslationSettingsBody) =>
    http.request<TranslationSettings>('PUT', '/api/v1/translation-settings', { body }),
  getTranslationUsage: (range: { from: string; to: string }, signal?: AbortSignal) =>
    http.request<TranslationUsage>('GET', '/api/v1/translation-usage', { query: { ...range }, signal }),
  getConversationTranslation: (conversationId: string, signal?: AbortSignal) =>
    http.request<ConversationTranslation>(
      'GET',
      `/api/v1/conversations/${encodeURIComponent(conversationId)}/translation`,
      { signal },
    ),
  setConversationTranslation: (conversationId: string, body: ConversationTranslationBody) =>
    http.request<ConversationTranslation>(
      'PUT',
      `/api/v1/conversations/${encodeURIComponent(conversationId)}/translation`,
      { body },
    ),
});
