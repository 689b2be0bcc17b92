// The weekly review endpoints the console calls (spread into createZhikeApi, where every path lives).
import type { ReviewMailing, ReviewMailSettings, ReviewMailState, SendReviewBody } from '@zhike/contracts';
import type { HttpClient } from '../api/http.ts';

export const reviewPath = (from: string | null, kind: 'html' | 'pdf', locale?: string) => {
  const query = new URLSearchParams({ ...(from ? { from } : {}), ...(locale ? { locale } : {}) }).toString();
  return `/api/v1/reviews/weekly${kind === 'pdf' ? '.pdf' : ''}${query ? `?${query}` : ''}`;
};

export const reviewEndpoints = (http: HttpClient) => ({
  getWeeklyReviewHtml: (query: { from?: string; locale?: 'zh-CN' | 'en-US' }, signal?: AbortSignal) =>
    http.request<string>('GET', '/api/v1/reviews/weekly', { query: { ...query }, signal }),
  getReviewMail: (signal?: AbortSignal) =>
    http.request<ReviewMailState>('GET', '/api/v1/reviews/mail', { signal }),
  saveReviewMail: (body: ReviewMailSettings) =>
    http.request<ReviewMailState>('PUT', '/api/v1/reviews/mail', { body }),
  sendWeeklyReview: (body: SendReviewBody) =>
    http.request<ReviewMailing>('POST', '/api/v1/reviews/weekly/email', { body }),
});
