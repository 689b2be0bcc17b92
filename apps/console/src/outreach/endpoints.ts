// The re-engagement endpoints the console calls (spread into createZhikeApi).
import type {
  OfferPreview,
  OutreachCampaignBody,
  OutreachCampaignView,
  OutreachReport,
  SegmentBody,
  SegmentCount,
  SegmentRule,
  SegmentView,
} from '@zhike/contracts';
import type { HttpClient } from '../api/http.ts';

export type OutreachAction = 'start' | 'pause' | 'resume' | 'cancel';
const enc = encodeURIComponent;

export const outreachEndpoints = (http: HttpClient) => ({
  listSegments: () => http.request<{ segments: SegmentView[] }>('GET', '/api/v1/outreach-segments'),
  createSegment: (body: SegmentBody) =>
    http.request<{ segment: SegmentView }>('POST', '/api/v1/outreach-segments', { body }),
  updateSegment: (id: string, body: SegmentBody) =>
    http.request<{ segment: SegmentView }>('PUT', `/api/v1/outreach-segments/${enc(id)}`, { body }),
  countSegment: (rule: SegmentRule, signal?: AbortSignal) =>
    http.request<SegmentCount>('POST', '/api/v1/outreach-segments/count', { body: { rule }, signal }),
  listOutreachCampaigns: () =>
    http.request<{ campaigns: OutreachCampaignView[] }>('GET', '/api/v1/outreach-campaigns'),
  getOutreachCampaign: (id: string) =>
    http.request<{ campaign: OutreachCampaignView }>('GET', `/api/v1/outreach-campaigns/${enc(id)}`),
  createOutreachCampaign: (body: OutreachCampaignBody) =>
    http.request<{ campaign: OutreachCampaignView }>('POST', '/api/v1/outreach-campaigns', { body }),
  outreachAction: (id: string, action: OutreachAction) =>
    http.request<{ campaign: OutreachCampaignView }>(
      'POST',
      `/api/v1/outreach-campaigns/${enc(id)}/${action}`,
    ),
  importCoupons: (id: string, codes: string[]) =>
    http.request<{ added: number; total: number }>('POST', `/api/v1/outreach-campaigns/${enc(id)}/coupons`, {
      body: { codes },
    }),
  previewOffer: (id: string) =>
    http.request<OfferPreview>('POST', `/api/v1/outreach-campaigns/${enc(id)}/preview`, { body: {} }),
  outreachReport: (id: string) =>
    http.request<OutreachReport>('GET', `/api/v1/outreach-campaigns/${enc(id)}/report`),
});
