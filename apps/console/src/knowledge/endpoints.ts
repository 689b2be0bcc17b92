// The knowledge-base endpoints the console calls (spread into createZhikeApi, where every path lives).
import type {
  CreateKnowledgeArticleBody,
  CreateKnowledgeFaqBody,
  KnowledgeArticle,
  KnowledgeArticleList,
  KnowledgeFaq,
  KnowledgeFaqList,
  KnowledgeImportQuery,
  TryKnowledgeResult,
  UpdateKnowledgeArticleBody,
  UpdateKnowledgeFaqBody,
} from '@zhike/contracts';
import { buildUrl, type HttpClient } from '../api/http.ts';

const base = '/api/v1/knowledge';
const enc = encodeURIComponent;

export interface KnowledgeListQuery {
  q?: string;
  tag?: string;
}

export const knowledgeEndpoints = (http: HttpClient) => ({
  listFaqs: (query: KnowledgeListQuery, signal?: AbortSignal) =>
    http.request<KnowledgeFaqList>('GET', `${base}/faqs`, { query: { ...query, limit: 1000 }, signal }),
  createFaq: (body: CreateKnowledgeFaqBody) => http.request<KnowledgeFaq>('POST', `${base}/faqs`, { body }),
  updateFaq: (id: string, body: UpdateKnowledgeFaqBody) =>
    http.request<KnowledgeFaq>('PATCH', `${base}/faqs/${enc(id)}`, { body }),
  deleteFaq: (id: string) => http.request<unknown>('DELETE', `${base}/faqs/${enc(id)}`),
  listArticles: (query: KnowledgeListQuery, signal?: AbortSignal) =>
    http.request<KnowledgeArticleList>('GET', `${base}/articles`, {
      query: { ...query, limit: 1000 },
      signal,
    }),
  createArticle: (body: CreateKnowledgeArticleBody) =>
    http.request<KnowledgeArticle>('POST', `${base}/articles`, { body }),
  updateArticle: (id: string, body: UpdateKnowledgeArticleBody) =>
    http.request<KnowledgeArticle>('PATCH', `${base}/articles/${enc(id)}`, { body }),
  deleteArticle: (id: string) => http.request<unknown>('DELETE', `${base}/articles/${enc(id)}`),
  tryKnowledge: (text: string) => http.request<TryKnowledgeResult>('POST', `${base}/try`, { body: { text } }),
  /** The import takes the file itself as the body (not JSON), so the page posts it with fetch. */
  knowledgeImportUrl: (query: KnowledgeImportQuery) => buildUrl('', `${base}/import`, { ...query }),
});
