// The agent assist endpoints the console calls (spread into createZhikeApi, where every path lives).
import type {
  ConversationSuggestions,
  SuggestionFeedbackBody,
  SuggestionFeedbackResult,
} from '@zhike/contracts';
import type { HttpClient } from '../api/http.ts';

const v1 = '/api/v1';
const enc = encodeURIComponent;

export const assistEndpoints = (http: HttpClient) => ({
  conversationSuggestions: (conversationId: string, signal?: AbortSignal) =>
    http.request<ConversationSuggestions>('GET', `${v1}/conversations/${enc(conversationId)}/suggestions`, {
      signal,
    }),
  suggestionFeedback: (conversationId: string, body: SuggestionFeedbackBody) =>
    http.request<SuggestionFeedbackResult>(
      'POST',
      `${v1}/conversations/${enc(conversationId)}/suggestions/feedback`,
      { body },
    ),
});
