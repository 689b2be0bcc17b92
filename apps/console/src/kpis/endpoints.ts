// The KPI endpoint the console calls (spread into createZhikeApi, where every path lives).
import type {
  AssistImpact,
  AssistSettingsView,
  KpiDrilldown,
  KpiDrilldownQuery,
  KpiReport,
  KpiTargets,
  KpiTargetsBody,
} from '@zhike/contracts';
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
  getAssistImpact: (signal?: AbortSignal) =>
    http.request<AssistImpact>('GET', '/api/v1/metrics/assist-impact', { signal }),
  getKpiTargets: (signal?: AbortSignal) =>
    http.request<KpiTargets>('GET', '/api/v1/kpis/targets', { signal }),
  saveKpiTargets: (body: KpiTargetsBody) => http.request<KpiTargets>('PUT', '/api/v1/kpis/targets', { body }),
  setAssist: (enabled: boolean) =>
    http.request<AssistSettingsView>('PUT', '/api/v1/assist/settings', { body: { enabled } }),
});
