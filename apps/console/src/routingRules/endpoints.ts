// The routing endpoints the console calls (spread into createZhikeApi, where every path lives).
import type {
  CustomerProfile,
  QueueList,
  RoutingRule,
  RoutingRuleBody,
  RoutingRuleList,
  SimulatedRouting,
  SimulateRoutingBody,
} from '@zhike/contracts';
import type { HttpClient } from '../api/http.ts';

const v1 = '/api/v1';
const enc = encodeURIComponent;

export const routingEndpoints = (http: HttpClient) => ({
  listRoutingRules: (signal?: AbortSignal) =>
    http.request<RoutingRuleList>('GET', `${v1}/routing/rules`, { signal }),
  createRoutingRule: (body: RoutingRuleBody) =>
    http.request<{ rule: RoutingRule }>('POST', `${v1}/routing/rules`, { body }),
  updateRoutingRule: (id: string, body: RoutingRuleBody) =>
    http.request<{ rule: RoutingRule }>('PUT', `${v1}/routing/rules/${enc(id)}`, { body }),
  deleteRoutingRule: (id: string) => http.request<unknown>('DELETE', `${v1}/routing/rules/${enc(id)}`),
  reorderRoutingRules: (ids: string[]) =>
    http.request<RoutingRuleList>('PUT', `${v1}/routing/rule-order`, { body: { ids } }),
  simulateRouting: (body: SimulateRoutingBody) =>
    http.request<SimulatedRouting>('POST', `${v1}/routing/simulate`, { body }),
  /** The workspace's queues, for the rule editor's picker and the routing card's queue names. */
  listRoutingQueues: (signal?: AbortSignal) => http.request<QueueList>('GET', `${v1}/queues`, { signal }),
  getCustomerProfile: (id: string, signal?: AbortSignal) =>
    http.request<CustomerProfile>('GET', `${v1}/customers/${enc(id)}/profile`, { signal }),
});
