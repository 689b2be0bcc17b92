// The console's calls for human queues: my presence, my offers, and the waiting line (for an offer's details).
import type { Agent, AgentList, AgentStatus, OfferList, WaitingList } from '@zhike/contracts';
import type { HttpClient } from '../api/http.ts';

const v1 = '/api/v1';
const enc = encodeURIComponent;

export const queueEndpoints = (http: HttpClient) => ({
  listAgents: (signal?: AbortSignal) => http.request<AgentList>('GET', `${v1}/agents`, { signal }),
  setMyStatus: (status: AgentStatus) =>
    http.request<Agent>('PUT', `${v1}/agents/me/status`, { body: { status } }),
  listMyOffers: (signal?: AbortSignal) => http.request<OfferList>('GET', `${v1}/offers`, { signal }),
  acceptOffer: (offerId: string) =>
    http.request<{ conversationId: string }>('POST', `${v1}/offers/${enc(offerId)}/accept`),
  declineOffer: (offerId: string) => http.request<unknown>('POST', `${v1}/offers/${enc(offerId)}/decline`),
  listWaiting: (signal?: AbortSignal) => http.request<WaitingList>('GET', `${v1}/queues/waiting`, { signal }),
});
