// The complaint board's endpoints (spread into createZhikeApi).
import type { ComplaintKpiView, ComplaintView } from '@zhike/contracts';
import type { HttpClient } from '../api/http.ts';

const enc = encodeURIComponent;

export const complaintEndpoints = (http: HttpClient) => ({
  listComplaints: (status: 'open' | 'closed', signal?: AbortSignal) =>
    http.request<{ complaints: ComplaintView[] }>('GET', '/api/v1/complaints', {
      query: { status, limit: 200 },
      signal,
    }),
  complaintKpi: (signal?: AbortSignal) =>
    http.request<ComplaintKpiView>('GET', '/api/v1/complaints/kpi', { signal }),
  flagComplaint: (body: { conversationId: string; note?: string }) =>
    http.request<{ complaint: ComplaintView }>('POST', '/api/v1/complaints', { body }),
  closeComplaint: (id: string, body: { resolutionNote: string; customerConfirmed: true }) =>
    http.request<{ complaint: ComplaintView }>('POST', `/api/v1/complaints/${enc(id)}/close`, { body }),
});
