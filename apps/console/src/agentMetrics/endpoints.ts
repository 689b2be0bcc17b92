// The agent metrics endpoint the console calls (spread into createZhikeApi, where every path lives).
import type { AgentMetrics, AgentMetricsQuery } from '@zhike/contracts';
import type { HttpClient } from '../api/http.ts';

export const agentMetricsEndpoints = (http: HttpClient) => ({
  getAgentMetrics: (query: AgentMetricsQuery, signal?: AbortSignal) =>
    http.request<AgentMetrics>('GET', '/api/v1/metrics/agents', { query: { ...query }, signal }),
});
