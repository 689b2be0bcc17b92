// The privacy endpoints the console calls (spread into createZhikeApi, where every path lives).
import type {
  ConsentList,
  CustomerExport,
  ErasureResult,
  PutConsentBody,
  RetentionPolicy,
  RetentionPolicyBody,
} from '@zhike/contracts';
import type { HttpClient } from '../api/http.ts';

const v1 = '/api/v1';
const enc = encodeURIComponent;

export const privacyEndpoints = (http: HttpClient) => ({
  exportCustomer: (id: string) => http.request<CustomerExport>('GET', `${v1}/customers/${enc(id)}/export`),
  eraseCustomer: (id: string, confirm: 'ERASE' | '删除') =>
    http.request<ErasureResult>('POST', `${v1}/customers/${enc(id)}/erase`, { body: { confirm } }),
  getConsents: (id: string, signal?: AbortSignal) =>
    http.request<ConsentList>('GET', `${v1}/customers/${enc(id)}/consents`, { signal }),
  putConsent: (id: string, body: PutConsentBody) =>
    http.request<ConsentList>('PUT', `${v1}/customers/${enc(id)}/consents`, { body }),
  getRetention: () => http.request<RetentionPolicy>('GET', `${v1}/privacy/retention`),
  putRetention: (body: RetentionPolicyBody) =>
    http.request<RetentionPolicy>('PUT', `${v1}/privacy/retention`, { body }),
  /** Same-origin and cookie-authenticated, so an <img> can load it directly. */
  attachmentUrl: (id: string) => `${v1}/attachments/${enc(id)}`,
});
