// The reply template endpoints the console calls (spread into createZhikeApi, where every path lives).
import type {
  ReplyPreview,
  ReplyPreviewBody,
  ReplyTemplate,
  ReplyTemplateBody,
  ReplyTemplateList,
  ReplyTemplateOptions,
} from '@zhike/contracts';
import type { HttpClient } from '../api/http.ts';

const v1 = '/api/v1';
const enc = encodeURIComponent;

export const replyEndpoints = (http: HttpClient) => ({
  listReplyTemplates: (query: { q?: string; limit?: number }, signal?: AbortSignal) =>
    http.request<ReplyTemplateList>('GET', `${v1}/reply-templates`, { query, signal }),
  replyTemplateOptions: (signal?: AbortSignal) =>
    http.request<ReplyTemplateOptions>('GET', `${v1}/reply-templates/options`, { signal }),
  createReplyTemplate: (body: ReplyTemplateBody) =>
    http.request<{ template: ReplyTemplate }>('POST', `${v1}/reply-templates`, { body }),
  updateReplyTemplate: (id: string, body: ReplyTemplateBody) =>
    http.request<{ template: ReplyTemplate }>('PUT', `${v1}/reply-templates/${enc(id)}`, { body }),
  archiveReplyTemplate: (id: string) =>
    http.request<{ template: ReplyTemplate }>('DELETE', `${v1}/reply-templates/${enc(id)}`),
  previewReply: (conversationId: string, body: ReplyPreviewBody, signal?: AbortSignal) =>
    http.request<ReplyPreview>('POST', `${v1}/conversations/${enc(conversationId)}/reply-preview`, {
      body,
      signal,
    }),
});
