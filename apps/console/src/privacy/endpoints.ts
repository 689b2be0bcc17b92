// The privacy endpoints the console calls (spread into createZhikeApi, where every path lives).
import type {
  AttachmentUploaded,
  ConsentList,
  CustomerExport,
  ErasureResult,
  PutConsentBody,
  RetentionPolicy,
  RetentionPolicyBody,
} from '@zhike/contracts';
import { CSRF_HEADER } from '@zhike/contracts/protocol';
import type { HttpClient } from '../api/http.ts';
import { problemToError } from '../api/problem.ts';

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
  /**
   * Sends a file (image or PDF) into the conversation as an agent message. The body is the file itself,
   * streamed, so it cannot go through the JSON client; the CSRF token comes from the session.
   */
  async uploadAttachment(conversationId: string, file: File, csrfToken: string): Promise<AttachmentUploaded> {
    const response = await fetch(
      `${v1}/conversations/${enc(conversationId)}/attachments?name=${enc(file.name.slice(0, 200))}`,
      {
        method: 'POST',
        credentials: 'include',
        headers: { 'content-type': 'application/octet-stream', [CSRF_HEADER]: csrfToken },
        body: file,
      },
    );
    const body: unknown = await response.json().catch(() => null);
    if (!response.ok) throw problemToError(response.status, body);
    return body as AttachmentUploaded;
  },
  /** Same-origin and cookie-authenticated, so an <img> can load it directly. */
  attachmentUrl: (id: string) => `${v1}/attachments/${enc(id)}`,
});
