// The customer 360 and hand-off card endpoints the console calls (spread into createZhikeApi).
import type { CustomerNote, CustomerOverview, HandoffCard } from '@zhike/contracts';
import type { HttpClient } from '../api/http.ts';

const v1 = '/api/v1';
const enc = encodeURIComponent;

export const customer360Endpoints = (http: HttpClient) => ({
  customerOverview: (customerId: string, signal?: AbortSignal) =>
    http.request<CustomerOverview>('GET', `${v1}/customers/${enc(customerId)}/overview`, { signal }),
  addCustomerNote: (customerId: string, body: string) =>
    http.request<CustomerNote>('POST', `${v1}/customers/${enc(customerId)}/notes`, { body: { body } }),
  deleteCustomerNote: (customerId: string, noteId: string) =>
    http.request<unknown>('DELETE', `${v1}/customers/${enc(customerId)}/notes/${enc(noteId)}`),
  handoffCard: (conversationId: string, signal?: AbortSignal) =>
    http.request<HandoffCard>('GET', `${v1}/conversations/${enc(conversationId)}/handoff`, { signal }),
  refreshHandoffCard: (conversationId: string) =>
    http.request<HandoffCard>('POST', `${v1}/conversations/${enc(conversationId)}/handoff/refresh`),
});
