// The endpoints the workspace helpers call (spread into createZhikeApi, where every path lives).
import type { KnowledgeSearchBody, KnowledgeSearchResult } from '@zhike/contracts';
import type { HttpClient } from '../api/http.ts';

export const workspaceEndpoints = (http: HttpClient) => ({
  searchKnowledge: (body: KnowledgeSearchBody, signal?: AbortSignal) =>
    http.request<KnowledgeSearchResult>('POST', '/api/v1/knowledge/search', { body, signal }),
});
