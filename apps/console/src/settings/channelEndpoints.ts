// Channel inbox endpoints (spread into createZhikeApi, where every path lives).
import type {
  ChannelAdapterList,
  CreateChannelInboxBody,
  Inbox,
  TestSendBody,
  TestSendResult,
} from '@zhike/contracts';
import type { HttpClient } from '../api/http.ts';

const enc = encodeURIComponent;

export const channelEndpoints = (http: HttpClient) => ({
  listChannelAdapters: () => http.request<ChannelAdapterList>('GET', '/api/v1/channels/adapters'),
  createChannelInbox: (body: CreateChannelInboxBody) =>
    http.request<Inbox>('POST', '/api/v1/inboxes', { body }),
  disableInbox: (id: string) => http.request<Inbox>('DELETE', `/api/v1/inboxes/${enc(id)}`),
  testSendInbox: (id: string, body: TestSendBody) =>
    http.request<TestSendResult>('POST', `/api/v1/inboxes/${enc(id)}/test-send`, { body }),
});
