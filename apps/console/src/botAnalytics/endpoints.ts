// The bot analytics endpoints the console calls (spread into createZhikeApi, where every path lives),
// and the knowledge-base FAQ creation its "Make FAQ" button posts.
import type {
  BotAnalytics,
  BotAnalyticsQuery,
  CreateKnowledgeFaqBody,
  DismissedUnanswered,
  KnowledgeFaq,
  UnansweredClusters,
  UnansweredQuery,
} from '@zhike/contracts';
import type { HttpClient } from '../api/http.ts';

const base = '/api/v1/bot';

export const botAnalyticsEndpoints = (http: HttpClient) => ({
  getBotAnalytics: (query: BotAnalyticsQuery, signal?: AbortSignal) =>
    http.request<BotAnalytics>('GET', `${base}/analytics`, { query: { ...query }, signal }),
  listUnanswered: (query: UnansweredQuery, signal?: AbortSignal) =>
    http.request<UnansweredClusters>('GET', `${base}/unanswered`, { query: { ...query }, signal }),
  dismissUnanswered: (turnIds: string[]) =>
    http.request<DismissedUnanswered>('POST', `${base}/unanswered/dismiss`, { body: { turnIds } }),
  createFaqFromQuestions: (body: CreateKnowledgeFaqBody) =>
    http.request<KnowledgeFaq>('POST', '/api/v1/knowledge/faqs', { body }),
});
