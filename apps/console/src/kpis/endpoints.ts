// The KPI endpoint the console calls (spread into createZhikeApi, where every path lives).
import type { KpiDrilldown, KpiDrilldownQuery, KpiReport } from '@zhike/contracts';
import type { HttpClient } from '../api/http.ts';

export const kpiEndpoints = (http: HttpClient) => ({
  getKpis: (
    query: {
      from?: string;
      to?: string;
      dimension?: 'channel' | 'queue' | 'agent' | 'intent';
      value?: string;
    },
    signal?: AbortSignal,
  ) => http.request<KpiReport>('GET', '/api/v1/kpis', { query: { ...query }, signal }),
  getKpiConversations: (query: KpiDrilldownQuery, signal?: AbortSignal) =>
    http.request<KpiDrilldown>('GET', '/api/v1/kpis/conversations', { query: { ...query }, signal }),
});
