// The console's calls for one customer across channels: timeline, merge suggestions, merges.
import type { CustomerTimeline, MergeResult, MergeSuggestion, MergeSuggestionList } from '@zhike/contracts';
import type { HttpClient } from '../api/http.ts';

const v1 = '/api/v1';
const enc = encodeURIComponent;

export const identityEndpoints = (http: HttpClient) => ({
  customerTimeline: (customerId: string, signal?: AbortSignal) =>
    http.request<CustomerTimeline>('GET', `${v1}/customers/${enc(customerId)}/timeline`, { signal }),
  mergeSuggestions: (customerId: string, signal?: AbortSignal) =>
    http.request<MergeSuggestionList>('GET', `${v1}/customer-merge-suggestions`, {
      query: { customerId },
      signal,
    }),
  mergeCustomers: (survivorId: string, absorbedCustomerId: string) =>
    http.request<MergeResult>('POST', `${v1}/customers/${enc(survivorId)}/merge`, {
      body: { absorbedCustomerId },
    }),
  dismissMergeSuggestion: (suggestionId: string) =>
    http.request<MergeSuggestion>('POST', `${v1}/customer-merge-suggestions/${enc(suggestionId)}/dismiss`),
});
