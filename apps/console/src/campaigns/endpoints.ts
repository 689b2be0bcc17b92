// The campaign and do-not-call endpoints the console calls (spread into createZhikeApi).
import type {
  CampaignBody,
  CampaignCreated,
  CampaignList,
  CampaignTargetList,
  CampaignView,
  DoNotCallBody,
  DoNotCallEntry,
  DoNotCallList,
} from '@zhike/contracts';
import type { HttpClient } from '../api/http.ts';

export type CampaignAction = 'start' | 'pause' | 'cancel';
export type TargetStatusFilter = 'pending' | 'dialing' | 'reached' | 'unreached' | 'skipped';

const enc = encodeURIComponent;

export const campaignEndpoints = (http: HttpClient) => ({
  listCampaigns: (signal?: AbortSignal) => http.request<CampaignList>('GET', '/api/v1/campaigns', { signal }),
  getCampaign: (id: string, signal?: AbortSignal) =>
    http.request<{ campaign: CampaignView }>('GET', `/api/v1/campaigns/${enc(id)}`, { signal }),
  createCampaign: (body: CampaignBody) =>
    http.request<CampaignCreated>('POST', '/api/v1/campaigns', { body }),
  campaignAction: (id: string, action: CampaignAction) =>
    http.request<{ campaign: CampaignView }>('POST', `/api/v1/campaigns/${enc(id)}/${action}`),
  listCampaignTargets: (
    id: string,
    query: { status?: TargetStatusFilter; after?: string; limit?: number },
    signal?: AbortSignal,
  ) =>
    http.request<CampaignTargetList>('GET', `/api/v1/campaigns/${enc(id)}/targets`, {
      query: { ...query },
      signal,
    }),
  listDoNotCall: () => http.request<DoNotCallList>('GET', '/api/v1/voice/do-not-call'),
  addDoNotCall: (body: DoNotCallBody) =>
    http.request<{ entry: DoNotCallEntry }>('POST', '/api/v1/voice/do-not-call', { body }),
  removeDoNotCall: (id: string) => http.request<unknown>('DELETE', `/api/v1/voice/do-not-call/${enc(id)}`),
});
