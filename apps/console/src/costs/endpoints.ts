// The cost endpoints the console calls (spread into createZhikeApi, where every path lives).
import type { Budget, BudgetBody, CostSummary } from '@zhike/contracts';
import type { HttpClient } from '../api/http.ts';

export const costEndpoints = (http: HttpClient) => ({
  getCosts: (month: string | null, signal?: AbortSignal) =>
    http.request<CostSummary>('GET', '/api/v1/costs', { query: month ? { month } : {}, signal }),
  saveBudget: (body: BudgetBody) => http.request<Budget>('PUT', '/api/v1/budget', { body }),
});
