// The HTTP half of the widget protocol: inbox config and the visitor session (identity + history).
import type {
  WidgetAttachmentUploaded,
  WidgetConfig,
  WidgetSession,
  WidgetSessionBody,
} from '@zhike/contracts';

export class HttpError extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
  }
}

export interface WidgetApi {
  config(): Promise<WidgetConfig>;
  session(body: Omit<WidgetSessionBody, 'inbox'>): Promise<WidgetSession>;
  socketUrl(visitorToken: string): string;
  /** Sends a photo as a message; the server decides the type from the file's bytes. */
  upload(
    visitorToken: string,
    file: Blob,
    name: string,
    clientMessageId: string,
  ): Promise<WidgetAttachmentUploaded>;
  attachmentUrl(visitorToken: string, id: string): string;
}

export function createWidgetApi(baseUrl: string, inbox: string, fetchFn: typeof fetch = fetch): WidgetApi {
  const base = baseUrl.replace(/\/+$/, '');
  const query = (visitorToken: string) =>
    `inbox=${encodeURIComponent(inbox)}&visitorToken=${encodeURIComponent(visitorToken)}`;
  const request = async <T>(path: string, init?: RequestInit): Promise<T> => {
    // No cookies: the visitor is identified by the token alone, so the widget works in third-party contexts.
    const response = await fetchFn(`${base}${path}`, { credentials: 'omit', ...init });
    if (!response.ok) throw new HttpError(response.status);
    return (await response.json()) as T;
  };
  return {
    config: () => request<WidgetConfig>(`/api/v1/widget/config?inbox=${encodeURIComponent(inbox)}`),
    session: (body) =>
      request<WidgetSession>('/api/v1/widget/sessions', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...body, inbox } satisfies WidgetSessionBody),
      }),
    upload: (visitorToken, file, name, clientMessageId) =>
      request<WidgetAttachmentUploaded>(
        `/api/v1/widget/attachments?${query(visitorToken)}&name=${encodeURIComponent(name.slice(0, 200))}&clientMessageId=${clientMessageId}`,
        { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: file },
      ),
    attachmentUrl: (visitorToken, id) => `${base}/api/v1/widget/attachments/${id}?${query(visitorToken)}`,
    socketUrl: (visitorToken) =>
      `${base.replace(/^http/, 'ws')}/api/v1/widget/ws?inbox=${encodeURIComponent(inbox)}&visitorToken=${encodeURIComponent(visitorToken)}`,
  };
}

/** 4xx other than 408/429 will not get better by retrying (unknown inbox, origin not allowed). */
export const isPermanent = (error: unknown): boolean =>
  error instanceof HttpError &&
  error.status >= 400 &&
  error.status < 500 &&
  error.status !== 408 &&
  error.status !== 429;
