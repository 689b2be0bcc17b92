// The background-job endpoints the console calls (spread into createZhikeApi).
import type { JobPage, JobStatus, JobView, RetriedJobs } from '@zhike/contracts';
import type { HttpClient } from '../api/http.ts';

const enc = encodeURIComponent;

export const jobEndpoints = (http: HttpClient) => ({
  listJobs: (query: { status?: JobStatus; name?: string; cursor?: string; limit?: number }) =>
    http.request<JobPage>('GET', '/api/v1/jobs', { query: { ...query } }),
  retryJob: (id: string) => http.request<JobView>('POST', `/api/v1/jobs/${enc(id)}/retry`),
  retryFailedJobs: (name: string) =>
    http.request<RetriedJobs>('POST', '/api/v1/jobs/retry', { body: { name } }),
});
